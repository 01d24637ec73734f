package io.nlstream.monitor.read;

import io.nlstream.sinks.FieldWriter;

/**
 * What one kind adds to an event: its fields, read from a decoder flyweight, and its identity. One
 * instance per kind and reader, rewrapped for every entry.
 */
abstract class EventBody
{
    abstract Kind kind();

    /** Writes the kind's own fields, in the order the JSON contract gives them. */
    abstract void writeFields(FieldWriter w, EventView event);

    /**
     * Feeds the object's identity (the fields that make it one object in the kernel's tables, without the
     * namespace) into {@code h}; false for a message that names no object.
     */
    abstract boolean identity(IdentityHash h);

    /** The address family, for dump scopes. */
    abstract int family();

    /** The IP protocol (conn, sock), for dump scopes; 0 elsewhere. */
    int proto()
    {
        return 0;
    }

    /**
     * The Kafka record key: what keeps one object's or flow's records in one partition, in order (conn and sock:
     * the flow's Community ID; link, addr, neigh: {@code NETNS:IFINDEX}; route: {@code NETNS:TABLE:DST}).
     */
    void kafkaKey(final long netns, final Ascii key)
    {
        key.append(netns).append(':').append(kind().jsonName());
    }
}
