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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code diff --from --to} over the kernel-made v1 fixture journal, against an oracle built from what
 * {@code state --at} prints at the two instants: objects matched by the fields that identify them, compared
 * field by field. Every pair of the fixture's instants, with filters, kinds and --all-fields; both formats.
 */
class DiffTest
{
    /** The state fields that identify an object of a kind (the README's identities), beside netns. */
    private static final Map<String, List<String>> IDENTITY = Map.of(
        "link", List.of("ifindex"),
        "addr", List.of("ifindex", "family", "address", "prefixlen"),
        "route", List.of("family", "table", "dst", "tos", "metric", "oif"),
        "neigh", List.of("ifindex", "address"),
        "conn", List.of("zone", "proto", "orig"),
        "sock", List.of("cookie"));
    private static final Map<String, Set<String>> VOLATILE = Map.of(
        "conn", Set.of("timeout", "counters", "use"),
        "addr", Set.of("valid_lft", "preferred_lft"),
        "sock", Set.of("rqueue", "wqueue", "rtt_us", "rttvar_us", "retransmits", "total_retrans", "bytes_acked", "bytes_received"));

    @TempDir
    static Path tmp;
    static Path journal;
    static Map<String, String> instants;

    @BeforeAll
    static void extract()
    {
        journal = V1Journal.extract(tmp);
        instants = new TreeMap<>(V1Journal.instants());
    }

    @Test
    void everyPairOfInstantsAgreesWithTheTwoStates()
    {
        final List<String> at = new ArrayList<>(instants.keySet());
        int compared = 0;
        for (int i = 0; i < at.size(); i++)
        {
            for (int j = i; j < at.size(); j++)
            {
                compared += check(instants.get(at.get(i)), instants.get(at.get(j)), false);
            }
        }
        assertTrue(compared > 40, "changes compared: " + compared);
    }

    @Test
    void kindsFiltersAndAllFields()
    {
        final String from = instants.get("T0");
        final String to = instants.get("T3");
        assertTrue(check(from, to, true, "--kind", "conn") > 0);
        assertTrue(check(from, to, false, "--kind", "link,addr,route") > 0);
        check(from, to, false, "--ip", "10.77.0.0/16");
        check(from, to, false, "--proto", "tcp");
        // with every field, the flows' counters and timeouts count: more changes than without
        assertTrue(diff(from, to, "--all-fields").size() >= diff(from, to).size());
    }

    @Test
    void sameInstantIsNoChangeAndTextSaysTheSame()
    {
        final String t = instants.get("T2");
        assertEquals(List.of(), diff(t, t));
        final String from = instants.get("T0");
        final String to = instants.get("T3");
        final List<Map<String, Object>> json = diff(from, to);
        final String text = Cli.run("diff", "--journal", journal.toString(), "--from", from, "--to", to);
        final List<String> lines = text.lines().toList();
        assertEquals(json.size(), lines.size(), text);
        for (int i = 0; i < json.size(); i++)
        {
            final String change = (String)json.get(i).get("change");
            final String line = lines.get(i);
            switch (change)
            {
                case "added" -> assertTrue(line.startsWith("+ " + json.get(i).get("kind") + " "), line);
                case "removed" -> assertTrue(line.startsWith("- " + json.get(i).get("kind") + " "), line);
                default ->
                {
                    assertTrue(line.startsWith("~ " + json.get(i).get("kind") + " " + json.get(i).get("key") + ":"), line);
                    for (final Object f : (List<?>)json.get(i).get("fields"))
                    {
                        assertTrue(line.contains(" " + f + " "), f + " in " + line);
                    }
                }
            }
        }
    }

    @Test
    void usage()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(new String[] {"diff", "--journal", journal.toString()}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.EXIT_USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--from"), err.toString(StandardCharsets.UTF_8));
        final ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        final int code2 = Main.run(new String[] {"diff", "--journal", journal.toString(), "--from", instants.get("T3"), "--to", instants.get("T0")},
            Map.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err2, true, StandardCharsets.UTF_8));
        assertEquals(Main.EXIT_USAGE, code2);
        assertTrue(err2.toString(StandardCharsets.UTF_8).contains("must not be after"), err2.toString(StandardCharsets.UTF_8));
    }

    private List<Map<String, Object>> diff(final String from, final String to, final String... more)
    {
        final List<String> args = new ArrayList<>(List.of("diff", "--journal", journal.toString(), "--from", from, "--to", to));
        args.addAll(List.of(more));
        return Cli.json(args.toArray(new String[0]));
    }

    /** Checks diff against the two states; returns how many changes it compared. */
    private int check(final String from, final String to, final boolean allFields, final String... filters)
    {
        final List<String> stateArgs = new ArrayList<>(List.of("state", "--journal", journal.toString()));
        stateArgs.addAll(List.of(filters));
        final Map<String, Map<String, Object>> before = objects(Cli.json(with(stateArgs, "--at", from)));
        final Map<String, Map<String, Object>> after = objects(Cli.json(with(stateArgs, "--at", to)));
        final List<String> more = new ArrayList<>(List.of(filters));
        if (allFields)
        {
            more.add("--all-fields");
        }
        final List<Map<String, Object>> changes = diff(from, to, more.toArray(new String[0]));
        final Set<String> seen = new TreeSet<>();
        for (final Map<String, Object> c : changes)
        {
            final Map<String, Object> b = object(c.get("before"));
            final Map<String, Object> a = object(c.get("after"));
            final String id = identity(a != null ? a : b);
            assertTrue(seen.add(id), "one change per object: " + id);
            final String where = from + " .. " + to + " " + List.of(filters) + ": " + c;
            switch ((String)c.get("change"))
            {
                case "added" ->
                {
                    assertEquals(null, b, where);
                    assertFalse(before.containsKey(id), where);
                    assertEquals(after.get(id), a, where);
                    assertEquals(List.of(), c.get("fields"), where);
                }
                case "removed" ->
                {
                    assertEquals(null, a, where);
                    assertFalse(after.containsKey(id), where);
                    assertEquals(before.get(id), b, where);
                }
                case "changed" ->
                {
                    assertEquals(before.get(id), b, where);
                    assertEquals(after.get(id), a, where);
                    assertEquals(differing(b, a, allFields), c.get("fields"), where);
                    assertFalse(((List<?>)c.get("fields")).isEmpty(), where);
                }
                default -> throw new AssertionError(where);
            }
        }
        // and nothing missed: every object only at one instant, or different at the two, is in the diff
        final Set<String> expected = new TreeSet<>();
        for (final String id : before.keySet())
        {
            if (!after.containsKey(id) || !differing(before.get(id), after.get(id), allFields).isEmpty())
            {
                expected.add(id);
            }
        }
        for (final String id : after.keySet())
        {
            if (!before.containsKey(id))
            {
                expected.add(id);
            }
        }
        assertEquals(expected, seen, from + " .. " + to + " " + List.of(filters));
        return seen.size();
    }

    private static String[] with(final List<String> args, final String... more)
    {
        final List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static Map<String, Map<String, Object>> objects(final List<Map<String, Object>> state)
    {
        final Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (final Map<String, Object> o : state)
        {
            assertEquals(null, byId.put(identity(o), o), "two objects with one identity: " + o);
        }
        return byId;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(final Object o)
    {
        return (Map<String, Object>)o;
    }

    private static String identity(final Map<String, Object> o)
    {
        final StringBuilder id = new StringBuilder().append(o.get("kind")).append(' ').append(o.get("netns"));
        for (final String f : IDENTITY.get((String)o.get("kind")))
        {
            id.append(' ').append(f).append('=').append(zeroIfAbsent(o, f));
        }
        return id.toString();
    }

    private static Object zeroIfAbsent(final Map<String, Object> o, final String f)
    {
        final Object v = o.get(f);
        return v == null && (f.equals("zone") || f.equals("tos") || f.equals("metric")) ? 0L : v;
    }

    /** The top-level fields that differ, by name, without the volatile ones; conn's mark and zone: absent is 0. */
    private static List<String> differing(final Map<String, Object> b, final Map<String, Object> a, final boolean allFields)
    {
        final String kind = (String)a.get("kind");
        final Set<String> skip = allFields ? Set.of() : VOLATILE.getOrDefault(kind, Set.of());
        final TreeSet<String> names = new TreeSet<>(b.keySet());
        names.addAll(a.keySet());
        final List<String> out = new ArrayList<>();
        for (final String n : names)
        {
            Object x = b.get(n);
            Object y = a.get(n);
            if (kind.equals("conn") && (n.equals("mark") || n.equals("zone")))
            {
                x = x == null ? 0L : x;
                y = y == null ? 0L : y;
            }
            if (!skip.contains(n) && !Objects.equals(x, y))
            {
                out.add(n);
            }
        }
        return out;
    }
}
