package io.nlstream.monitor.journal;

/**
 * Payload of a gap entry.
 *
 * <pre>
 *  0  u64 overruns so far on this socket (including this one)
 *  8  u32 errno that reported the loss (ENOBUFS)
 * 12  u32 reserved
 * </pre>
 */
public final class GapRecord
{
    public static final int OVERRUNS_OFFSET = 0;
    public static final int ERRNO_OFFSET = 8;
    public static final int LENGTH = 16;

    private GapRecord()
    {
    }
}
