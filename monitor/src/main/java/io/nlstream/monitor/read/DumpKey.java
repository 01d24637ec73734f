package io.nlstream.monitor.read;

/**
 * Which dump an entry belongs to: namespace, netlink protocol and the capture socket's dump id.
 */
final class DumpKey
{
    long netns;
    int protocol;
    int group;

    DumpKey set(final long netns, final int protocol, final int group)
    {
        this.netns = netns;
        this.protocol = protocol;
        this.group = group;
        return this;
    }

    DumpKey copy()
    {
        return new DumpKey().set(netns, protocol, group);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof DumpKey))
        {
            return false;
        }
        final DumpKey k = (DumpKey)o;
        return k.netns == netns && k.protocol == protocol && k.group == group;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(netns) * 31 * 31 + protocol * 31 + group;
    }
}
