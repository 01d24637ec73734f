package io.nlstream.monitor.cli;

import io.nlstream.monitor.read.V1Journal;
import io.nlstream.monitor.testing.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code state --format table} over the v1 fixture: one section per kind, a header and one row per object of
 * {@code state --format json}, in the same order, every column starting where its header does, the values
 * those of the objects.
 */
class StateTableTest
{
    @TempDir
    static Path tmp;
    static Path journal;

    @BeforeAll
    static void extract()
    {
        journal = V1Journal.extract(tmp);
    }

    @Test
    void oneAlignedSectionPerKindWithARowPerObject()
    {
        for (final String at : V1Journal.instants().values())
        {
            final List<Map<String, Object>> objects = Cli.json("state", "--journal", journal.toString(), "--at", at);
            final String table = Cli.run("state", "--journal", journal.toString(), "--at", at, "--format", "table");
            final List<List<String>> sections = new ArrayList<>();
            List<String> section = new ArrayList<>();
            for (final String line : table.split("\n", -1))
            {
                if (line.isEmpty())
                {
                    if (!section.isEmpty())
                    {
                        sections.add(section);
                    }
                    section = new ArrayList<>();
                }
                else
                {
                    section.add(line);
                }
            }
            int object = 0;
            for (final List<String> s : sections)
            {
                final String header = s.get(0);
                assertTrue(header.startsWith("NETNS  "), header);
                final List<Integer> starts = starts(header);
                for (int r = 1; r < s.size(); r++)
                {
                    final String row = s.get(r);
                    final Map<String, Object> o = objects.get(object++);
                    final String[] values = row.split(" +");
                    assertEquals(starts.size(), values.length, row);
                    if (r <= 1000)
                    {
                        // aligned: within the rows the widths were measured on, every value starts under its header
                        assertEquals(starts, starts(row), header + "\n" + row);
                    }
                    assertEquals(String.valueOf(o.get("netns")), values[0], row);
                    switch ((String)o.get("kind"))
                    {
                        case "link" -> assertTrue(values[2].equals(o.get("ifname")) || values[2].startsWith(o.get("ifname") + "@if"), row);
                        case "addr" -> assertEquals(o.get("address") + "/" + o.get("prefixlen"), values[3], row);
                        case "route" -> assertEquals(o.get("dst"), values[2], row);
                        case "neigh" -> assertEquals(o.get("address"), values[2], row);
                        case "conn" -> assertEquals(o.get("proto"), values[1], row);
                        case "sock" -> assertEquals(o.get("state"), values[2], row);
                        default -> throw new AssertionError(row);
                    }
                }
            }
            assertEquals(objects.size(), object, "a row per object at " + at);
        }
    }

    @Test
    void tableIsForStateOnly()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(new String[] {"replay", "--journal", journal.toString(), "--format", "table"}, Map.of(),
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.EXIT_USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("table is for state"), err.toString(StandardCharsets.UTF_8));
    }

    /** Where each space-separated value starts. */
    private static List<Integer> starts(final String line)
    {
        final List<Integer> out = new ArrayList<>();
        for (int i = 0; i < line.length(); i++)
        {
            if (line.charAt(i) != ' ' && (i == 0 || line.charAt(i - 1) == ' '))
            {
                out.add(i);
            }
        }
        return out;
    }
}
