package io.nlstream.monitor.read;

/**
 * The name an interface had at the point of the journal a reader is at (iproute2's {@code dev}), and the name
 * of its namespace there.
 */
interface DevNames
{
    /** @return the name the namespace's capture journalled for it ({@code run --netns blue}), or null */
    String netnsName(long netns);

    /** @return the name of link {@code ifindex} in {@code netns} now, or null when no such link is known */
    String name(long netns, int ifindex);
}
