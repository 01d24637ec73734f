package io.nlstream.sinks;

import java.nio.ByteBuffer;

/**
 * Where a typed event writes itself, field by field, in the order it wants them printed: the one contract
 * between the event model and the output formats (JSON, text). An event is written between
 * {@link #beginEvent} and {@link #endEvent}; a writer is reused from event to event and allocates nothing on
 * the way for ASCII content.
 *
 * <p>Values are written only when present: an absent attribute is simply not written. Nested objects
 * ({@code orig}, {@code counters}) sit between {@link #beginObject} and {@link #endObject}; lists of constant
 * names or strings ({@code flags}) between {@link #beginList} and {@link #endList}; lists of objects
 * ({@code nexthops}) hold {@link #beginListObject}/{@link #endListObject} pairs.
 *
 * <p>Addresses are read from a buffer as the kernel sent them (network order): 4 bytes give a dotted quad,
 * 16 bytes RFC 5952 text as glibc's inet_ntop writes it, any other length lower-case colon-separated hex
 * (see netlink's {@code InetAddresses}).
 */
public interface FieldWriter
{
    /**
     * Starts an event. {@code op} null: an object as {@code state} prints it (no seq, ts, op).
     */
    void beginEvent(long seq, long tsNanos, Name kind, Name op, long netns);

    void endEvent();

    /**
     * The name of the event's namespace ({@code blue} for {@code run --netns blue}), when the journal knows one:
     * called right after {@link #beginEvent}. JSON adds {@code "netns_name"} after {@code "netns"}; text prints
     * the name where the inode was.
     */
    default void netnsName(CharSequence name)
    {
        field(NETNS_NAME, name);
    }

    Name NETNS_NAME = Name.of("netns_name");

    /**
     * The container the event's namespace belongs to, when the journal knows one: called after {@link #netnsName}
     * (or {@link #beginEvent}); each part null when not known. JSON writes {@code "container_id"},
     * {@code "pod_uid"} and {@code "container_runtime"} there; text leaves them out, as it does the host.
     */
    default void container(CharSequence containerId, CharSequence podUid, CharSequence runtime)
    {
    }

    Name CONTAINER_ID = Name.of("container_id");
    Name POD_UID = Name.of("pod_uid");
    Name CONTAINER_RUNTIME = Name.of("container_runtime");

    /**
     * The id of the host whose journal the event comes from, called after {@link #container} (or
     * {@link #beginEvent}): JSON writes {@code "host"} there, so that a record's value names its host (a Kafka
     * value is byte for byte the replay JSON); text leaves it out (one host's lines).
     */
    default void host(CharSequence host)
    {
    }

    Name HOST = Name.of("host");

    void field(Name name, long value);

    /**
     * A lifetime in seconds, {@link #INFINITE_LIFETIME} for one that does not run out: a number in JSON; text
     * says {@code forever}, as iproute2 does.
     */
    default void lifetime(Name name, long seconds)
    {
        field(name, seconds);
    }

    /** The kernel's infinite lifetime (INFINITY_LIFE_TIME, 0xFFFFFFFF). */
    long INFINITE_LIFETIME = 0xFFFF_FFFFL;

    void field(Name name, boolean value);

    /** A constant text value (family, proto, state names...). */
    void field(Name name, Name value);

    /** Any text; escaped as the format needs. */
    void field(Name name, CharSequence value);

    /**
     * A string attribute as the kernel sent it: UTF-8 from {@code offset}, up to the first NUL within
     * {@code length} bytes (as netlink's {@code AttributeIterator.string} reads it). Invalid UTF-8 is written
     * as {@code new String(bytes, UTF_8)} would decode it.
     */
    void string(Name name, ByteBuffer buf, int offset, int length);

    /** {@code length} bytes of printable ASCII (no quotes or backslashes), written as they are. */
    void ascii(Name name, byte[] src, int offset, int length);

    /** An address: 4 or 16 bytes as IP text, any other length as colon-separated hex. */
    void address(Name name, ByteBuffer buf, int offset, int length);

    /** An address and a prefix length: {@code 10.0.0.0/24}. */
    void cidr(Name name, ByteBuffer buf, int offset, int length, int prefixLength);

    /** Lower-case colon-separated hex of {@code length} bytes (a MAC). */
    void mac(Name name, ByteBuffer buf, int offset, int length);

    /** Lower-case hex of {@code length} bytes without separators (conntrack labels). */
    void hex(Name name, ByteBuffer buf, int offset, int length);

    /** RFC 3339 UTC with nanoseconds, as {@link Timestamps#rfc3339(long)}. */
    void timestamp(Name name, long epochNanos);

    /**
     * A field known to be absent, inside a list's object only: JSON leaves it out, text writes
     * {@code name=null} as the map of the event model printed it.
     */
    void absent(Name name);

    void beginObject(Name name);

    void endObject();

    void beginList(Name name);

    void element(Name value);

    void element(CharSequence value);

    void beginListObject();

    void endListObject();

    void endList();
}
