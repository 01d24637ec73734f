package io.nlstream.sinks;

/**
 * Test reference: turns an {@link Event} into one line of text (without the line end), as
 * {@link JsonEncoder} or {@link TextEncoder}. {@link ByteFieldWriter#forFormat} takes the same format names
 * and rejects others with the same message as {@link #forFormat}.
 */
public interface EventEncoder
{
    void encode(Event event, StringBuilder out);

    static EventEncoder forFormat(final String format)
    {
        switch (format)
        {
            case "json":
                return new JsonEncoder();
            case "kv":
                return new TextEncoder();
            default:
                throw new IllegalArgumentException("unknown output format '" + format + "': expected json, text or kv");
        }
    }
}
