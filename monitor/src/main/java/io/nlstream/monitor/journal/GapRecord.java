package io.nlstream.monitor.journal;

/**
 * Payload of a gap entry.
 *
 * <pre>
 *  0  u64 overruns so far on this socket (including this one)
 *  8  u32 errno that reported the loss (ENOBUFS)
 * 12  u32 reserved
 * 16  u64 wall-clock ns of the first entry lost (ENOSPC gaps only: the time the journal could not be written)
 * </pre>
 * For ENOSPC, "overruns" counts the entries not written on a full disk.
 */
public final class GapRecord
{
    public static final int OVERRUNS_OFFSET = 0;
    public static final int ERRNO_OFFSET = 8;
    public static final int LENGTH = 16;
    public static final int SINCE_OFFSET = 16;
    public static final int LENGTH_WITH_SINCE = 24;

    private GapRecord()
    {
    }
}
