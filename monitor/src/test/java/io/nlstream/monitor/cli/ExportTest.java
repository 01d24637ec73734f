package io.nlstream.monitor.cli;

import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.read.EventView;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.monitor.read.V1Journal;
import io.nlstream.netlink.Netlink;
import io.nlstream.sinks.Timestamps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export --pcap} of the kernel-made v1 fixture journal, read back by tshark (Debian package tshark, which
 * bin/test installs): every netlink message of the journal is one packet, in order, with its capture time and
 * netlink family, and Wireshark's dissectors find in it what nlstream's decoders do (interface names,
 * conntrack ids and tuples, socket inodes). Ranges, kinds and filters select what replay would.
 */
class ExportTest
{
    @TempDir
    Path tmp;
    Path journal;
    /** Per journal entry that is a netlink message: "TIME|FAMILY|LEN|what the decoders see", as tshark prints it. */
    List<String> expected;
    List<Long> times;
    List<Integer> protocols;
    /** The kind each message decodes to, null for none (a dump request or end). */
    List<Kind> kinds;

    private record Result(int code, String out, String err)
    {
    }

    @BeforeEach
    void setUp()
    {
        journal = V1Journal.extract(tmp);
        expected = new ArrayList<>();
        times = new ArrayList<>();
        protocols = new ArrayList<>();
        kinds = new ArrayList<>();
        try (Journal j = Journal.openForReading(journal);
             ReadPipeline p = ReadPipeline.from(j).kinds(EnumSet.allOf(Kind.class)).decodeOnly().observer(this::expect).build())
        {
            while (p.poll(4096, e ->
            {}) > 0)
            {
                // the observer collects
            }
        }
        assertTrue(expected.size() > 6000, "the fixture has 6 436 netlink messages: " + expected.size());
    }

    private void expect(final JournalEntry entry, final EventView decoded)
    {
        if (entry.origin() == CaptureHeader.ORIGIN_GAP || entry.origin() == CaptureHeader.ORIGIN_ANNOTATION)
        {
            return;
        }
        final int length = entry.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(entry.payloadOffset());
        String seen = "";
        if (decoded != null && entry.origin() != CaptureHeader.ORIGIN_DUMP_BEGIN)
        {
            switch (decoded.kind())
            {
                case LINK -> seen = decoded.link().ifname() == null ? "" : decoded.link().ifname();
                case CONN -> seen = decoded.conn().decoder().hasId() ? String.format("0x%08x", decoded.conn().decoder().id()) : "";
                case SOCK -> seen = Long.toString(decoded.sock().decoder().inode());
                default -> seen = "";
            }
        }
        expected.add(epoch(entry.wallNanos()) + "|" + String.format("0x%04x", entry.protocol()) + "|" + length + "|" + seen);
        times.add(entry.wallNanos());
        protocols.add(entry.protocol());
        kinds.add(decoded == null ? null : decoded.kind());
    }

    private static String epoch(final long nanos)
    {
        return String.format("%d.%09d", Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    @Test
    void everyMessageIsAPacketTsharkDissects() throws Exception
    {
        final Path pcap = tmp.resolve("all.pcap");
        final Result r = export("--pcap", pcap.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("exported " + expected.size() + " netlink messages"), r.err);
        final List<String> packets = tshark(pcap, "frame.time_epoch", "netlink.family", "netlink.hdr_len",
            "netlink-route.ifla_ifname", "netlink-netfilter.ct_attr.id", "netlink-sock_diag.inode");
        assertEquals(expected.size(), packets.size());
        int links = 0;
        int conns = 0;
        int socks = 0;
        for (int i = 0; i < packets.size(); i++)
        {
            // one of the three protocol columns is filled; the decoders' value must be what Wireshark found
            final String[] f = packets.get(i).split("\\|", -1);
            final String dissected = f[3] + f[4] + f[5];
            final String want = expected.get(i);
            final String[] w = want.split("\\|", -1);
            assertEquals(w[0] + "|" + w[1] + "|" + w[2], f[0] + "|" + f[1] + "|" + f[2].split(",")[0], "packet " + (i + 1));
            if (!w[3].isEmpty() && !dissected.isEmpty())
            {
                assertEquals(w[3], dissected.split(",")[0], "packet " + (i + 1) + " (" + want + ")");
                links += f[3].isEmpty() ? 0 : 1;
                conns += f[4].isEmpty() ? 0 : 1;
                socks += f[5].isEmpty() ? 0 : 1;
            }
        }
        assertTrue(links > 10 && conns > 3000 && socks > 10, "compared " + links + " links, " + conns + " conns, " + socks + " sockets");
        // conntrack tuples as Wireshark reads them: the DNAT of the fixture (8080 to 80) is in it
        assertTrue(tshark(pcap, "netlink-netfilter.nfct_tuple.proto.dst_port").stream().anyMatch(l -> l.contains("8080") && l.contains("80,")),
            "a DNAT'ed connection: original port 8080, reply from 80");
    }

    @Test
    void rangeKindsAndFilters() throws Exception
    {
        final Map<String, String> at = V1Journal.instants();
        final long t1 = nanos(at.get("T1"));
        final long t2 = nanos(at.get("T2"));
        final Path range = tmp.resolve("range.pcap");
        assertEquals(0, export("--pcap", range.toString(), "--since", at.get("T1"), "--until", at.get("T2")).code);
        final long inRange = times.stream().filter(t -> t >= t1 && t <= t2).count();
        final List<String> rangeTimes = tshark(range, "frame.time_epoch");
        assertEquals(inRange, rangeTimes.size());
        assertTrue(inRange > 0);
        for (final String t : rangeTimes)
        {
            final long ns = Long.parseLong(t.replace(".", ""));
            assertTrue(ns >= t1 && ns <= t2, t);
        }

        final Path conns = tmp.resolve("conn.pcap");
        assertEquals(0, export("--pcap", conns.toString(), "--kind", "conn").code);
        assertEquals(protocols.stream().filter(p -> p == Netlink.NETLINK_NETFILTER).count(), tshark(conns, "netlink.family").size());
        assertTrue(tshark(conns, "netlink.family").stream().allMatch("0x000c"::equals));

        // --kind link: link messages (RTM_NEWLINK 16, RTM_DELLINK 17), the link dumps' requests (RTM_GETLINK 18)
        // and their ends (NLMSG_DONE 3); nothing of addresses, routes or neighbours
        final Path links = tmp.resolve("link.pcap");
        assertEquals(0, export("--pcap", links.toString(), "--kind", "link").code);
        int linkMessages = 0;
        int requests = 0;
        int ends = 0;
        for (final String line : tshark(links, "netlink.family", "netlink-route.nltype", "netlink.hdr_type"))
        {
            final String[] f = line.split("\\|", -1);
            assertEquals("0x0000", f[0], line);
            switch (f[1].isEmpty() ? f[2] : f[1])
            {
                case "16", "17" -> linkMessages++;
                case "18" -> requests++;
                case "0x0003" -> ends++;
                default -> throw new AssertionError("not a link message: " + line);
            }
        }
        assertEquals(kinds.stream().filter(k -> k == Kind.LINK).count(), linkMessages);
        assertTrue(requests > 0 && requests == ends, requests + " link dump requests, " + ends + " ends");

        final Path dnat = tmp.resolve("dnat.pcap");
        assertEquals(0, export("--pcap", dnat.toString(), "--port", "8080").code);
        final List<String> ports = tshark(dnat, "netlink-netfilter.nfct_tuple.proto.src_port", "netlink-netfilter.nfct_tuple.proto.dst_port");
        assertFalse(ports.isEmpty());
        for (final String p : ports)
        {
            assertTrue(("," + p.replace('|', ',') + ",").contains(",8080,"), "every packet has port 8080 in a tuple: " + p);
        }
    }

    @Test
    void anExistingFileIsReplacedAndAFailedWriteLeavesNothing() throws Exception
    {
        final Path pcap = tmp.resolve("replace.pcap");
        Files.writeString(pcap, "not a pcap");
        assertEquals(0, export("--pcap", pcap.toString(), "--kind", "link").code);
        assertFalse(tshark(pcap, "netlink.family").isEmpty());
        try (var files = Files.list(tmp))
        {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".partial")));
        }

        final Path nowhere = tmp.resolve("no-such-dir").resolve("x.pcap");
        final Result r = export("--pcap", nowhere.toString());
        assertEquals(Main.EXIT_FAILURE, r.code);
        assertTrue(r.err.contains("cannot write " + nowhere), r.err);
        assertFalse(Files.exists(nowhere));

        final Result usage = export();
        assertEquals(Main.EXIT_USAGE, usage.code);
        assertTrue(usage.err.contains("--pcap"), usage.err);
    }

    @Test
    void aRangeOutsideTheJournalIsAnEmptyCapture() throws Exception
    {
        final Path pcap = tmp.resolve("empty.pcap");
        final Result r = export("--pcap", pcap.toString(), "--since", "2030-01-01T00:00:00Z");
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("holds entries captured from"), r.err);
        assertEquals(24, Files.size(pcap)); // the file header alone: tools open it and find no packets
        assertTrue(tshark(pcap, "frame.number").isEmpty());
    }

    private static long nanos(final String rfc3339)
    {
        final Instant i = Instant.parse(rfc3339);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private Result export(final String... args)
    {
        final List<String> all = new ArrayList<>(List.of("export", "--journal", journal.toString()));
        all.addAll(List.of(args));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(all.toArray(new String[0]), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** One line per packet: the fields, '|'-separated (a field found several times: comma-separated). */
    private static List<String> tshark(final Path pcap, final String... fields) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-T", "fields", "-E", "separator=|"));
        for (final String f : fields)
        {
            cmd.add("-e");
            cmd.add(f);
        }
        final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tshark did not finish");
        assertEquals(0, p.exitValue(), "tshark -r " + pcap + " failed (is tshark installed? bin/test installs it)");
        final List<String> lines = new ArrayList<>();
        for (final String line : out.split("\n"))
        {
            if (!line.isEmpty())
            {
                lines.add(line);
            }
        }
        return lines;
    }
}
