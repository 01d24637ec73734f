package io.nlstream.sinks;

/**
 * Turns an event into one line of text (without the line end).
 */
public interface EventEncoder
{
    void encode(Event event, StringBuilder out);

    static EventEncoder forFormat(final String format)
    {
        switch (format)
        {
            case "json": return new JsonEncoder();
            case "text": return new TextEncoder();
            default: throw new IllegalArgumentException("unknown output format '" + format + "': expected json or text");
        }
    }
}
