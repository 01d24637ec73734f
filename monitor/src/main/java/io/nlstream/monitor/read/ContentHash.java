package io.nlstream.monitor.read;

import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;

import java.nio.ByteBuffer;

/**
 * A FieldWriter that hashes what an object would print, leaving out what changes by itself (address
 * lifetimes count down between dumps without anything having changed): two dumps of an unchanged object hash
 * alike, so a dump prints only what changed without reading the object's earlier record.
 */
final class ContentHash implements FieldWriter
{
    private static final String VALID_LFT = "valid_lft";
    private static final String PREFERRED_LFT = "preferred_lft";

    private final IdentityHash h = new IdentityHash();

    long of(final EventBody body, final EventView event)
    {
        h.start(body.kind().ordinal() + 101);
        body.writeFields(this, event);
        return h.hash() ^ (long)h.check() << 1;
    }

    private boolean skip(final Name name)
    {
        return VALID_LFT.equals(name.text()) || PREFERRED_LFT.equals(name.text());
    }

    private void name(final Name name)
    {
        h.add(name.text());
    }

    @Override
    public void beginEvent(final long seq, final long tsNanos, final Name kind, final Name op, final long netns)
    {
    }

    @Override
    public void endEvent()
    {
    }

    @Override
    public void field(final Name name, final long value)
    {
        if (!skip(name))
        {
            name(name);
            h.add(value);
        }
    }

    @Override
    public void field(final Name name, final boolean value)
    {
        name(name);
        h.add(value ? 1 : 0);
    }

    @Override
    public void field(final Name name, final Name value)
    {
        name(name);
        h.add(value.text());
    }

    @Override
    public void field(final Name name, final CharSequence value)
    {
        name(name);
        h.add(value);
    }

    @Override
    public void string(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        name(name);
        h.add(buf, offset, length);
    }

    @Override
    public void ascii(final Name name, final byte[] src, final int offset, final int length)
    {
        name(name);
        h.add(new String(src, offset, length, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Override
    public void address(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        name(name);
        h.add(buf, offset, length);
    }

    @Override
    public void cidr(final Name name, final ByteBuffer buf, final int offset, final int length, final int prefixLength)
    {
        name(name);
        h.add(buf, offset, length).add(prefixLength);
    }

    @Override
    public void mac(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        name(name);
        h.add(buf, offset, length);
    }

    @Override
    public void hex(final Name name, final ByteBuffer buf, final int offset, final int length)
    {
        name(name);
        h.add(buf, offset, length);
    }

    @Override
    public void timestamp(final Name name, final long epochNanos)
    {
        name(name);
        h.add(epochNanos);
    }

    @Override
    public void absent(final Name name)
    {
        name(name);
        h.add(-7L);
    }

    @Override
    public void beginObject(final Name name)
    {
        name(name);
        h.add(-1L);
    }

    @Override
    public void endObject()
    {
        h.add(-2L);
    }

    @Override
    public void beginList(final Name name)
    {
        name(name);
        h.add(-3L);
    }

    @Override
    public void element(final Name value)
    {
        h.add(value.text());
    }

    @Override
    public void element(final CharSequence value)
    {
        h.add(value);
    }

    @Override
    public void beginListObject()
    {
        h.add(-4L);
    }

    @Override
    public void endListObject()
    {
        h.add(-5L);
    }

    @Override
    public void endList()
    {
        h.add(-6L);
    }
}
