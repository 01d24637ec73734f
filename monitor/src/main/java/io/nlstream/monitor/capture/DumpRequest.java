package io.nlstream.monitor.capture;

import io.nlstream.netlink.Netlink;

import java.nio.ByteBuffer;

/**
 * A dump the capture asks the kernel for: message type, and the family header that follows nlmsghdr
 * (all zero but for the family byte, which is enough for every dump nlstream makes).
 */
public final class DumpRequest
{
    private final String name;
    private final int type;
    private final int familyHeaderLength;
    private final int family;

    public DumpRequest(final String name, final int type, final int familyHeaderLength, final int family)
    {
        this.name = name;
        this.type = type;
        this.familyHeaderLength = familyHeaderLength;
        this.family = family;
    }

    public String name()
    {
        return name;
    }

    /** Writes the request at offset 0 of {@code buffer}; returns its length. */
    public int encode(final ByteBuffer buffer, final int seq, final int portId)
    {
        final int length = Netlink.NLMSG_HDRLEN + familyHeaderLength;
        for (int i = 0; i < Netlink.nlmsgAlign(length); i++)
        {
            buffer.put(i, (byte)0);
        }
        buffer.putInt(Netlink.NLMSG_LENGTH_OFFSET, length);
        buffer.putShort(Netlink.NLMSG_TYPE_OFFSET, (short)type);
        buffer.putShort(Netlink.NLMSG_FLAGS_OFFSET, (short)(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP));
        buffer.putInt(Netlink.NLMSG_SEQ_OFFSET, seq);
        buffer.putInt(Netlink.NLMSG_PID_OFFSET, portId);
        if (familyHeaderLength > 0)
        {
            buffer.put(Netlink.NLMSG_HDRLEN, (byte)family);
        }
        return length;
    }

    @Override
    public String toString()
    {
        return name;
    }
}
