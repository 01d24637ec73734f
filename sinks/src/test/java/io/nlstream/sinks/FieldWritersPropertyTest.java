package io.nlstream.sinks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link JsonFieldWriter} and {@link TextFieldWriter} against {@link JsonEncoder} and {@link TextEncoder} (the
 * slow, obviously-right side) on random events: the same bytes as the old text encoded as UTF-8, event by
 * event, and the same stream as {@link StreamSink} printed for a batch.
 */
class FieldWritersPropertyTest
{
    private static final int EVENTS = 30_000;

    private static String json(final Event e)
    {
        return JsonEncoder.toJson(e);
    }

    private static String text(final Event e)
    {
        final StringBuilder sb = new StringBuilder();
        new TextEncoder().encode(e, sb);
        return sb.toString();
    }

    private static void assertSame(final String expected, final ByteFieldWriter writer, final Event e, final String format)
    {
        final byte[] want = expected.getBytes(StandardCharsets.UTF_8);
        final byte[] got = writer.toByteArray();
        if (!java.util.Arrays.equals(want, got))
        {
            // the text side by side, and the event as the old JSON shows it with every char escaped
            assertEquals(new String(want, StandardCharsets.UTF_8), new String(got, StandardCharsets.UTF_8),
                format + " differs for " + escaped(JsonEncoder.toJson(e)));
        }
    }

    static String escaped(final String s)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Test
    void jsonMatchesJsonEncoderOnRandomEvents()
    {
        final SplittableRandom random = new SplittableRandom(1);
        final RandomEvents events = new RandomEvents(random);
        final JsonFieldWriter json = new JsonFieldWriter();
        for (int i = 0; i < EVENTS; i++)
        {
            final Event e = events.event();
            json.reset();
            EventReplay.replay(e, json);
            assertSame(json(e), json, e, "json");
        }
    }

    @Test
    void textMatchesTextEncoderOnRandomEvents()
    {
        final SplittableRandom random = new SplittableRandom(2);
        final RandomEvents events = new RandomEvents(random);
        final TextFieldWriter text = new TextFieldWriter();
        for (int i = 0; i < EVENTS; i++)
        {
            final Event e = events.event();
            text.reset();
            EventReplay.replay(e, text);
            assertSame(text(e), text, e, "text");
        }
    }

    /** Strings also arrive as Names and as string attributes (heap and direct buffers, NUL-ended). */
    @Test
    void everyRoadToAStringGivesTheSameBytes()
    {
        final SplittableRandom random = new SplittableRandom(3);
        final RandomEvents events = new RandomEvents(random);
        final JsonFieldWriter json = new JsonFieldWriter();
        final TextFieldWriter text = new TextFieldWriter();
        for (int i = 0; i < EVENTS; i++)
        {
            final Event e = events.event();
            json.reset();
            EventReplay.replay(e, json, random);
            assertSame(json(e), json, e, "json");
            text.reset();
            EventReplay.replay(e, text, random);
            assertSame(text(e), text, e, "text");
        }
    }

    /** Many lines in one buffer, written out now and then, give what StreamSink printed through its Writer. */
    @Test
    void batchesMatchStreamSink() throws IOException
    {
        for (final String format : List.of("json", "kv"))
        {
            final SplittableRandom random = new SplittableRandom(4);
            final RandomEvents events = new RandomEvents(random);
            final List<Event> batch = new ArrayList<>();
            for (int i = 0; i < 20_000; i++)
            {
                batch.add(events.event());
            }
            final ByteArrayOutputStream old = new ByteArrayOutputStream();
            final StreamSink sink = new StreamSink(EventEncoder.forFormat(format), old);
            batch.forEach(sink::accept);
            sink.close();

            final ByteArrayOutputStream now = new ByteArrayOutputStream();
            final ByteFieldWriter writer = ByteFieldWriter.forFormat(format);
            for (final Event e : batch)
            {
                EventReplay.replay(e, writer, random);
                writer.newLine();
                if (writer.length() > 50_000)
                {
                    writer.writeTo(now);
                    writer.reset();
                }
            }
            writer.writeTo(now);
            assertEquals(ByteFieldWriter.INITIAL_CAPACITY, writer.array().length, "batches under the capacity never grow it");
            assertEquals(old.toString(StandardCharsets.UTF_8), now.toString(StandardCharsets.UTF_8), format);
            assertEquals(old.size(), now.size());
            assertEquals(true, java.util.Arrays.equals(old.toByteArray(), now.toByteArray()), format);
        }
    }
}
