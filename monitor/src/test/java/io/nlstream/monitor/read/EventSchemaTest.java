package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.GapRecord;
import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.EventSchemas;
import io.nlstream.monitor.testing.Json;
import io.nlstream.monitor.testing.JsonEvent;
import io.nlstream.monitor.testing.Replayed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published schemas ({@code schema/}, see {@link EventSchemas}) against real events: the journal the
 * real kernel wrote for {@link LegacyJournalTest} (every kind, 23 gaps, resync dumps and synthesized ends) read
 * in-process and through the CLI, and a journal of the gaps a full disk leaves. The negative table shows that a
 * schema rejects what a consumer could not rely on, so the check every test's JSON goes through can fail.
 */
class EventSchemaTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path journal;
    static Replayed kernel;

    @BeforeAll
    static void readTheKernelJournal() throws IOException, InterruptedException
    {
        final Path archive = tmp.resolve("journal.tar.gz");
        try (InputStream in = EventSchemaTest.class.getResourceAsStream("/journals/v1-kernel/journal.tar.gz"))
        {
            Files.copy(in, archive);
        }
        final Process tar = new ProcessBuilder("tar", "-C", tmp.toString(), "-xzf", archive.toString()).inheritIO().start();
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0)
        {
            throw new IllegalStateException("tar -xzf " + archive + " failed");
        }
        journal = tmp.resolve("journal");
        kernel = Replayed.of(journal);
    }

    @Test
    void everyKindHasRealEventsThatHoldToItsSchema()
    {
        for (final Kind kind : Kind.values())
        {
            final List<JsonEvent> events = kernel.of(kind.text());
            assertFalse(events.isEmpty(), "the kernel's journal has no " + kind.text() + " event");
            for (final JsonEvent e : events)
            {
                assertEquals(List.of(), EventSchemas.problems(e.line()), e.line());
            }
        }
        // what only some events carry is in the journal too, so the schemas are held to it
        assertFalse(kernel.synthesized().isEmpty(), "synthesized ends");
        assertTrue(kernel.emitted().stream().anyMatch(e -> e.get("pid") != null), "an owner's pid and comm");
        assertTrue(kernel.of("conn").stream().anyMatch(e -> e.get("reply") != null && e.get("status") != null), "a conn's reply tuple");
        assertTrue(kernel.of("conn").stream().anyMatch(e -> e.get("community_id_reply") != null), "a NAT'd flow's community_id_reply");
        assertTrue(kernel.of("route").stream().anyMatch(e -> e.get("gateway") != null), "a route's gateway");
    }

    @Test
    void stateObjectsHoldToTheStateSchemaAndAreNoEvents()
    {
        assertFalse(kernel.objects().isEmpty());
        final Set<String> kinds = new TreeSet<>();
        for (final JsonEvent o : kernel.objects())
        {
            kinds.add(o.kind());
            assertEquals(List.of(), EventSchemas.problems(EventSchemas.STATE, o.line()), o.line());
            assertFalse(EventSchemas.problems(o.kind(), o.line()).isEmpty(), "an object is not an event: " + o.line());
        }
        assertEquals(Set.of("addr", "conn", "link", "neigh", "route", "sock"), kinds);
        // and an event is not an object
        final JsonEvent event = kernel.of("link").get(0);
        assertFalse(EventSchemas.problems(EventSchemas.STATE, event.line()).isEmpty(), event.line());
    }

    @Test
    void whatTheCliPrintsHolds()
    {
        // Cli.json parses each line with Json.object, which checks it: an event, an object, a diff line
        final List<Map<String, Object>> replay = Cli.json("replay", "--journal", journal.toString());
        assertEquals(kernel.emitted().size(), replay.size());
        final Set<String> kinds = new TreeSet<>(Kind.texts(EnumSet.allOf(Kind.class)));
        assertEquals(kinds, replay.stream().map(e -> (String)e.get("kind")).collect(Collectors.toCollection(TreeSet::new)));
        final List<Map<String, Object>> state = Cli.json("state", "--journal", journal.toString(), "--at", "2026-12-01T10:28:40.872247107Z");
        assertFalse(state.isEmpty());
        assertTrue(state.stream().noneMatch(o -> o.containsKey("op")), "state prints objects");
        final List<Map<String, Object>> diff = Cli.json("diff", "--journal", journal.toString(),
            "--from", "2026-12-01T10:28:32.588663296Z", "--to", "2026-12-01T10:28:46.099025160Z");
        assertTrue(diff.stream().anyMatch(d -> "changed".equals(d.get("change"))), diff.toString());
    }

    @Test
    void gapsOfAFullDiskHoldToo() throws IOException
    {
        final Path dir = tmp.resolve("full-disk");
        try (TestJournal j = TestJournal.create(dir))
        {
            j.at(1_796_000_000_000_000_000L);
            j.gap(TestJournal.NETNS_A, 3);
            final ByteBuffer enospc = ByteBuffer.allocate(GapRecord.LENGTH_WITH_SINCE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(GapRecord.OVERRUNS_OFFSET, 120).putInt(GapRecord.ERRNO_OFFSET, 28)
                .putLong(GapRecord.SINCE_OFFSET, 1_795_999_990_000_000_000L);
            j.append(CaptureHeader.ORIGIN_GAP, 0, TestJournal.NETNS_A, 0, enospc.array());
            j.append(CaptureHeader.ORIGIN_GAP, 0, TestJournal.NETNS_A, 0, RtnlMessages.gapRecord(4, 11));
            // a record cut short (an older journal): the gap without its counts
            j.append(CaptureHeader.ORIGIN_GAP, 0, TestJournal.NETNS_A, 0, new byte[4]);
        }
        final List<JsonEvent> gaps = Replayed.of(dir).of("gap");
        assertEquals(4, gaps.size(), gaps.toString());
        for (final JsonEvent g : gaps)
        {
            assertEquals(List.of(), EventSchemas.problems(g.line()), g.line());
        }
        assertEquals("ENOSPC", gaps.get(1).get("errno"));
        assertNotNull(gaps.get(1).get("since"), gaps.get(1).line());
        assertEquals("11", gaps.get(2).get("errno"));
        assertFalse(gaps.get(3).json().containsKey("errno"), gaps.get(3).line());
    }

    /**
     * A real event of {@code kind}, changed at {@code path} ({@code a.b} for a nested field): {@code remove}
     * takes the field away, anything else is the new value as JSON. The schema must reject it, naming the field.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
        link  | seq          | remove
        link  | ts           | remove
        link  | op           | remove
        link  | netns        | remove
        link  | host         | remove
        link  | origin       | remove
        link  | flags        | remove
        link  | ifindex      | remove
        addr  | prefixlen    | remove
        route | dst          | remove
        neigh | state        | remove
        conn  | family       | remove
        sock  | cookie       | remove
        gap   | protocol     | remove
        link  | seq          | "42"
        link  | ifindex      | "2"
        link  | mtu          | "1500"
        link  | netns        | "4026532177"
        addr  | prefixlen    | "24"
        route | metric       | "1024"
        conn  | orig.sport   | "34567"
        conn  | proto_num    | "6"
        sock  | sport        | "80"
        gap   | overruns     | "3"
        link  | flags        | "UP"
        link  | op           | "update"
        link  | origin       | "replay"
        link  | kind         | "interface"
        link  | operstate    | "up"
        addr  | family       | "ipv4"
        route | type         | "regular"
        neigh | state        | "reachable"
        conn  | op           | "del"
        conn  | proto        | "tcp6"
        conn  | status       | ["ASSURED", "RUNNING"]
        conn  | tcp_state    | "ESTAB"
        sock  | state        | "ESTABLISHED"
        sock  | op           | "del"
        gap   | op           | "new"
        gap   | errno        | "ENOMEM"
        conn  | community_id | "QAphkArCmRhGtCAVOeZn0r241Zs="
        link  | ts           | "2026-12-01 10:28:32"
        link  | synthesized  | false
        """)
    void aChangedEventFails(final String kind, final String path, final String change)
    {
        final JsonEvent real = kernel.of(kind).stream().filter(e -> has(e.line(), path)).findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " event with " + path));
        final ObjectNode event = (ObjectNode)MAPPER.readTree(real.line());
        final int dot = path.indexOf('.');
        final ObjectNode holder = dot < 0 ? event : (ObjectNode)event.get(path.substring(0, dot));
        final String field = path.substring(dot + 1);
        if ("remove".equals(change))
        {
            holder.remove(field);
        }
        else
        {
            holder.set(field, MAPPER.readTree(change));
        }
        final String line = MAPPER.writeValueAsString(event);
        assertEquals(List.of(), EventSchemas.problems(real.line()), real.line());
        final List<String> problems = EventSchemas.problems(line);
        assertFalse(problems.isEmpty(), "accepted: " + line);
        assertTrue(problems.stream().anyMatch(p -> p.contains(field)), problems + " do not name " + field);
    }

    /**
     * The namespace's container ({@code container_id}, {@code pod_uid}, {@code container_runtime}: optional, on
     * events and objects alike) added to a real event and a real object: accepted with values of their syntax,
     * rejected, naming the field, with any other.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
        container_id      | "3f4b9e1c2d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c"  | true
        container_id      | "3F4B9E1C2D5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D7E8F9A0B1C"  | false
        container_id      | "3f4b9e1c2d5a"                                                      | false
        container_id      | "docker://3f4b9e1c2d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c" | false
        container_id      | 42                                                                  | false
        pod_uid           | "7b5e2b0e-4b7c-4b5a-9d4f-1c2d3e4f5a6b"                              | true
        pod_uid           | "e6f1e2a5c3b4d5e6f7a8b9c0d1e2f3a4"                                  | true
        pod_uid           | "7b5e2b0e_4b7c_4b5a_9d4f_1c2d3e4f5a6b"                              | false
        pod_uid           | "7b5e2b0e-4b7c-4b5a-9d4f"                                           | false
        container_runtime | "containerd"                                                        | true
        container_runtime | "cri-o"                                                             | true
        container_runtime | "Docker"                                                            | false
        container_runtime | ""                                                                  | false
        container_runtime | "cri o"                                                             | false
        """)
    void theContainerFieldsHoldToTheirSyntax(final String field, final String value, final boolean valid)
    {
        final JsonEvent event = kernel.of("conn").get(0);
        final JsonEvent object = kernel.objects().get(0);
        for (final String schema : new String[] {"conn", EventSchemas.STATE})
        {
            final String real = schema.equals("conn") ? event.line() : object.line();
            final ObjectNode changed = (ObjectNode)MAPPER.readTree(real);
            changed.set(field, MAPPER.readTree(value));
            final List<String> problems = EventSchemas.problems(schema, MAPPER.writeValueAsString(changed));
            if (valid)
            {
                assertEquals(List.of(), problems, schema + ": " + changed);
            }
            else
            {
                assertFalse(problems.isEmpty(), schema + " accepted: " + changed);
                assertTrue(problems.stream().anyMatch(p -> p.contains(field)), problems + " do not name " + field);
            }
        }
    }

    @Test
    void theTestsParserChecksNlstreamLinesOnly()
    {
        final String event = kernel.of("conn").get(0).line();
        assertEquals("conn", Json.object(event).get("kind"));
        final String broken = event.replace("\"family\":\"inet", "\"family\":\"ipv4");
        final AssertionError e = assertThrows(AssertionError.class, () -> Json.object(broken));
        assertTrue(e.getMessage().contains(broken), e.getMessage());
        // iproute2's -j output is no nlstream line
        assertEquals(Map.of("ifindex", 1L, "kind", "x"), Json.object("{\"ifindex\":1,\"kind\":\"x\"}"));
    }

    @Test
    void everySchemaIsADraft202012SchemaWithItsId() throws IOException
    {
        for (final Path file : schemaFiles())
        {
            final String text = Files.readString(file, StandardCharsets.UTF_8);
            assertEquals(List.of(), EventSchemas.metaSchemaProblems(text), file.toString());
            final JsonNode schema = MAPPER.readTree(text);
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").stringValue(), file.toString());
            assertEquals(EventSchemas.ID_PREFIX + file.getFileName(), schema.get("$id").stringValue(), file.toString());
            assertTrue(schema.has("description"), file.toString());
        }
        // the meta-schema check can fail
        assertFalse(EventSchemas.metaSchemaProblems("{\"type\":\"integr\",\"required\":\"seq\"}").isEmpty());
    }

    @Test
    void everyKindHasASchemaAndEverySchemaAKind()
    {
        final Set<String> expected = new TreeSet<>();
        for (final Kind kind : Kind.values())
        {
            expected.add(kind.text() + ".json");
        }
        expected.add(EventSchemas.COMMON + ".json");
        expected.add(EventSchemas.STATE + ".json");
        final Set<String> files = schemaFiles().stream().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, files);
    }

    /** The files of schema/, from the repository root (the test classpath maps that folder, see monitor's pom). */
    private static List<Path> schemaFiles()
    {
        try
        {
            final Path dir = Path.of(EventSchemaTest.class.getResource("/schema/" + EventSchemas.COMMON + ".json").toURI()).getParent();
            try (Stream<Path> files = Files.list(dir))
            {
                return files.sorted().collect(Collectors.toCollection(ArrayList::new));
            }
        }
        catch (final IOException | URISyntaxException e)
        {
            throw new IllegalStateException("cannot list schema/", e);
        }
    }

    private static boolean has(final String line, final String path)
    {
        JsonNode node = MAPPER.readTree(line);
        for (final String name : path.split("\\."))
        {
            node = node.get(name);
            if (node == null)
            {
                return false;
            }
        }
        return true;
    }
}
