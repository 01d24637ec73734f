package io.nlstream.netlink;

import java.nio.ByteBuffer;

/**
 * What every generated walk ({@link Walked}) shares: the buffer it reads, unchecked, once {@link #open} has checked
 * the area against the buffer's limit, and the refusal it found, if any. A generated {@code XWalk} extends it with one
 * method per top-level policy and private per-level loops, and with one abstract method per hook its policies name
 * ({@link AttributePolicy.Builder#hook}), which a subclass implements with {@link #view} and {@link #refuse}; a
 * decoder hands the outcome to {@link MessageDecoder#accept}. Not thread safe.
 */
public abstract class Walk
{
    /** The message's buffer, read by the generated loops. */
    protected final ByteView view = new ByteView();
    private String error;
    private int errorOffset = -1;

    protected Walk()
    {
    }

    /**
     * @return what the last refusal was: an {@code ERR_*} of {@link AttributeIterator} or a policy's own error
     */
    public final String error()
    {
        return error;
    }

    /**
     * @return the buffer index of the attribute (or left-over bytes) refused last, -1 before any refusal
     */
    public final int errorOffset()
    {
        return errorOffset;
    }

    /**
     * Starts a walk of {@code [start, start + length)} of {@code buf}.
     *
     * @return false, with {@code nest} emptied, when the area is not inside the buffer
     */
    protected final boolean open(final ByteBuffer buf, final int start, final int length, final Nest nest)
    {
        view.wrap(buf);
        if (start < 0 || length < 0 || start > buf.limit() || length > buf.limit() - start)
        {
            nest.clear();
            return refuse(AttributeIterator.ERR_AREA_PAST_END, start);
        }
        return true;
    }

    /**
     * A walk's refusal: {@code error} at {@code errorOffset}. A hook refuses with it too, and returns its false.
     *
     * @return false
     */
    protected final boolean refuse(final String error, final int errorOffset)
    {
        this.error = error;
        this.errorOffset = errorOffset;
        return false;
    }
}
