package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.ContainerIdentity;

/**
 * The name an interface had at the point of the journal a reader is at (iproute2's {@code dev}), and the name
 * of its namespace there and the container that namespace belongs to.
 */
interface DevNames
{
    /** @return the name the namespace's capture journalled for it ({@code run --netns blue}), or null */
    String netnsName(long netns);

    /** @return the container the namespace's capture found it belongs to, or null when none is known */
    ContainerIdentity container(long netns);

    /** @return the name of link {@code ifindex} in {@code netns} now, or null when no such link is known */
    String name(long netns, int ifindex);
}
