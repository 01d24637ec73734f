package io.nlstream.monitor.read;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nlstream.monitor.journal.Entries;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.sinks.ByteFieldWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of what every reader does with one journal entry: the capture header and the
 * entry's framing checked ({@code JournalEntry.set}), the message decoded into a typed event whatever its
 * protocol and kind, and the event printed in each format. On any bytes nothing is thrown: a damaged entry is
 * reported, a malformed message counted and skipped, and what decodes prints. The JSON is one object on one
 * line. A normal test run replays the saved inputs (entries made of the captured fixtures, and what fuzzing
 * kept); {@code JAZZER_FUZZ=1} fuzzes.
 */
class EntryJazzerTest
{
    private final JournalEntry entry = new JournalEntry();
    private final EventReader reader = new EventReader();
    private final ByteFieldWriter json = ByteFieldWriter.forFormat("json");
    private final ByteFieldWriter text = ByteFieldWriter.forFormat("text");
    private final ByteFieldWriter kv = ByteFieldWriter.forFormat("kv");

    @FuzzTest(maxDuration = "20s")
    void decodesAndPrintsWhateverTheEntry(final byte[] bytes)
    {
        if (Entries.set(entry, 1, bytes) != null)
        {
            return; // the reader reports it with its index and skips it
        }
        final EventView event = reader.decode(entry);
        if (event == null)
        {
            return; // no event (markers, annotations) or a malformed message, counted
        }
        json.reset();
        event.write(json);
        final String line = new String(json.array(), 0, json.length(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(line.startsWith("{") && line.endsWith("}"), line);
        assertEquals(-1, line.indexOf('\n'), line);
        text.reset();
        event.write(text);
        kv.reset();
        event.write(kv);
    }
}
