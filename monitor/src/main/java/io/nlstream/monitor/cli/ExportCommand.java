package io.nlstream.monitor.cli;

import io.nlstream.config.FilterSpec;
import io.nlstream.config.NlstreamConfig;
import io.nlstream.monitor.export.PcapWriter;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.netlink.Netlink;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code export --pcap FILE}: the netlink messages journalled between --since and --until, as the kernel sent
 * them (and the dump requests nlstream sent), in a pcap file Wireshark and tshark dissect (LINKTYPE_NETLINK).
 * {@code --kind} and the filters keep the messages whose event passes them, as {@code replay} would print it; a
 * dump request and the dump's end go with the kind dumped, unless a filter on a field is given (they have none
 * of the fields). What the journal
 * holds besides kernel messages (gap records, annotations) is not netlink and is left out; stderr says how many.
 *
 * <p>The file is written beside the target and renamed over it when complete, so an export that fails (a full
 * disk) leaves no truncated capture behind; {@code --pcap -} streams to stdout.
 */
final class ExportCommand
{
    private final NlstreamConfig config;
    private final PrintStream out;
    private final PrintStream err;

    ExportCommand(final NlstreamConfig config, final PrintStream out, final PrintStream err)
    {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    int call()
    {
        final Path target = config.exportPcap();
        final boolean toStdout = "-".equals(target.toString());
        final OutputFile output = toStdout ? null : new OutputFile(target);
        final Counts counts = new Counts();
        try (Journal journal = Journal.openForReading(config.journalDir()).configuredHost(config.hostId());
             OutputStream file = toStdout ? out : Files.newOutputStream(output.partial());
             OutputStream buffered = new BufferedOutputStream(file, 1 << 20);
             PcapWriter pcap = new PcapWriter(buffered))
        {
            final long since = config.sinceNanos().orElse(Long.MIN_VALUE);
            final long until = config.untilNanos().orElse(Long.MAX_VALUE);
            if (Reading.covers(journal, since, until, err))
            {
                export(journal, since, until, pcap, counts);
            }
        }
        catch (final IOException | UncheckedIOException e)
        {
            discard(output);
            Logging.error(err, "cannot write " + (toStdout ? "the pcap to stdout" : target.toString()) + ": "
                + (e instanceof UncheckedIOException ? e.getCause() : e) + " (nothing was written there)");
            return Main.EXIT_FAILURE;
        }
        catch (final RuntimeException e)
        {
            discard(output);
            throw e;
        }
        if (output != null)
        {
            try
            {
                output.publish();
            }
            catch (final IOException e)
            {
                Logging.error(err, "cannot write " + target + ": " + e + " (nothing was written there)");
                return Main.EXIT_FAILURE;
            }
        }
        Logging.note(err, "exported " + counts.packets + " netlink messages to " + (toStdout ? "stdout" : target.toString())
            + (counts.notNetlink > 0 ? "; " + counts.notNetlink + " journal records in the range are not netlink messages"
                + " (gaps, annotations) and are not in the file: replay shows them" : ""));
        return Main.EXIT_OK;
    }

    private static void discard(final OutputFile output)
    {
        if (output != null)
        {
            output.discard();
        }
    }

    private static final class Counts
    {
        long packets;
        long notNetlink;
    }

    private void export(final Journal journal, final long since, final long until, final PcapWriter pcap, final Counts counts)
    {
        final Set<Kind> kinds = Kind.of(config.kinds());
        final boolean[] families = new boolean[32];
        for (final Kind k : kinds)
        {
            switch (k)
            {
                case CONN:
                    families[Netlink.NETLINK_NETFILTER] = true;
                    break;
                case SOCK:
                    families[Netlink.NETLINK_SOCK_DIAG] = true;
                    break;
                case GAP:
                    break;
                default:
                    families[Netlink.NETLINK_ROUTE] = true;
                    break;
            }
        }
        final FilterSpec filter = config.filter();
        final boolean byEvent = filter != null && !filter.isEmpty();
        final ReadPipeline[] pipeline = new ReadPipeline[1];
        final Map<String, Kind> dumps = new HashMap<>();
        // nothing asked away: every message, those that are no event of a kind too (an error, a type not decoded)
        final boolean everything = kinds.containsAll(EnumSet.allOf(Kind.class)) && !byEvent;
        final ReadPipeline.EntryObserver observer = (entry, decoded) ->
        {
            if (entry.wallNanos() < since)
            {
                return; // read to build the state the filters look at, before the range
            }
            final int origin = entry.origin();
            if (origin == CaptureHeader.ORIGIN_GAP || origin == CaptureHeader.ORIGIN_ANNOTATION || entry.headerOnly())
            {
                counts.notNetlink++;
                return;
            }
            final int protocol = entry.protocol();
            if (protocol >= families.length || !families[protocol])
            {
                return;
            }
            if (!everything && (decoded != null ? !pipeline[0].selects(decoded) : byEvent || !kinds.contains(dumpKind(dumps, entry))))
            {
                return; // another kind, or filtered out; a dump request and its end go with the kind dumped
            }
            write(pcap, entry, origin == CaptureHeader.ORIGIN_DUMP_BEGIN ? PcapWriter.PACKET_OUTGOING : PcapWriter.PACKET_HOST);
            counts.packets++;
        };
        try (ReadPipeline p = Reading.pipeline(config, journal, kinds, err)
            .since(since)
            .until(until)
            .filter(filter)
            .observer(observer)
            .build())
        {
            pipeline[0] = p;
            Reading.drain(p, event ->
            {});
        }
    }

    /**
     * The kind a dump request asks for (by its message type), remembered for the dump's end, which says only
     * which dump it ends (the capture header's group); null for anything else.
     */
    private static Kind dumpKind(final Map<String, Kind> dumps, final JournalEntry entry)
    {
        final String dump = entry.netns() + ":" + entry.protocol() + ":" + entry.group();
        switch (entry.origin())
        {
            case CaptureHeader.ORIGIN_DUMP_BEGIN:
                final Kind kind = Kind.dumpedBy(entry.protocol(), entry.buffer(), entry.payloadOffset(), entry.payloadLength());
                if (kind != null)
                {
                    dumps.put(dump, kind);
                }
                return kind;
            case CaptureHeader.ORIGIN_DUMP_END:
                return dumps.remove(dump);
            default:
                return null;
        }
    }

    private static void write(final PcapWriter pcap, final JournalEntry entry, final int packetType)
    {
        try
        {
            pcap.write(entry.wallNanos(), packetType, entry.protocol(), entry.buffer(), entry.payloadOffset(), entry.payloadLength());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
