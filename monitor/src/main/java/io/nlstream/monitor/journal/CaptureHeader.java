package io.nlstream.monitor.journal;

/**
 * Layout of one journal entry: a fixed capture header, then the netlink message exactly as received.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |    version    |    origin     |       netlink protocol        |  0
 *  +---------------+---------------+-------------------------------+
 *  |          group (multicast group; dump id for dump entries)    |  4
 *  +---------------------------------------------------------------+
 *  |                 wall-clock ns since the epoch                 |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  monotonic ns (System.nanoTime)               | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             netns identity (inode of /proc/self/ns/net)       | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          nsid (-1: the capturing socket's own namespace)      | 32
 *  +---------------------------------------------------------------+
 *  |                  flags (FLAG_*)                               | 36
 *  +---------------------------------------------------------------+
 *  |                  payload length                               | 40
 *  +---------------------------------------------------------------+
 *  |                  CRC32C (version 2 only, see below)           | 44
 *  +---------------------------------------------------------------+
 *  |                  payload: raw netlink message ...             | 48 (version 1: 44)
 * </pre>
 * All fields little-endian. Version 2 (written since issue 11) adds a CRC32C of the header's first 44 bytes and
 * the payload, so a reader tells a damaged entry (a flipped bit, a torn write) from a message the kernel sent;
 * version 1 entries (44-byte header, no checksum) still read.
 */
public final class CaptureHeader
{
    /** The version this build writes. */
    public static final int VERSION = 2;
    /** The first version: no checksum, payload at {@link #LENGTH_V1}. */
    public static final int VERSION_1 = 1;

    public static final int VERSION_OFFSET = 0;
    public static final int ORIGIN_OFFSET = 1;
    public static final int PROTOCOL_OFFSET = 2;
    public static final int GROUP_OFFSET = 4;
    public static final int WALL_NANOS_OFFSET = 8;
    public static final int MONO_NANOS_OFFSET = 16;
    public static final int NETNS_OFFSET = 24;
    public static final int NSID_OFFSET = 32;
    public static final int FLAGS_OFFSET = 36;
    public static final int PAYLOAD_LENGTH_OFFSET = 40;
    /** The bytes the checksum covers before the payload, and version 1's whole header. */
    public static final int LENGTH_V1 = 44;
    public static final int CRC_OFFSET = 44;
    /** Version 2's header. */
    public static final int LENGTH = 48;

    /** The header's length in an entry of this version, or -1 for a version this build does not read. */
    public static int length(final int version)
    {
        return version == VERSION ? LENGTH : version == VERSION_1 ? LENGTH_V1 : -1;
    }

    /** A multicast notification. */
    public static final int ORIGIN_EVENT = 0;
    /** A dump was requested; payload = the request message. group = dump id. */
    public static final int ORIGIN_DUMP_BEGIN = 1;
    /** One message of a dump reply. group = dump id. */
    public static final int ORIGIN_DUMP = 2;
    /** The dump's NLMSG_DONE (or NLMSG_ERROR). group = dump id. */
    public static final int ORIGIN_DUMP_END = 3;
    /** The kernel dropped notifications (ENOBUFS); payload = {@link GapRecord}. */
    public static final int ORIGIN_GAP = 4;
    /** Something observed at capture time that the kernel message does not carry. */
    public static final int ORIGIN_ANNOTATION = 5;

    /**
     * Written by a repair in place of an entry the damage took, so every later entry keeps its index; payload = the
     * name the damaged file is kept under. Readers report these as damage and skip them.
     */
    public static final int ORIGIN_LOST = 6;

    /** Dump entries: this dump repairs state after a gap. */
    public static final int FLAG_RESYNC = 1;
    /** Dump entries: the kernel flagged the dump as interrupted (NLM_F_DUMP_INTR); it will be redone. */
    public static final int FLAG_DUMP_INTR = 2;

    private static final String[] ORIGIN_NAMES = {"event", "dump-begin", "dump", "dump-end", "gap", "annotation", "lost"};

    private CaptureHeader()
    {
    }

    public static String originName(final int origin)
    {
        return origin >= 0 && origin < ORIGIN_NAMES.length ? ORIGIN_NAMES[origin] : "origin-" + origin;
    }
}
