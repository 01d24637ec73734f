package io.nlstream.config;

import static io.nlstream.config.ConfigDef.Type.BOOLEAN;
import static io.nlstream.config.ConfigDef.Type.DURATION;
import static io.nlstream.config.ConfigDef.Type.ENUM;
import static io.nlstream.config.ConfigDef.Type.INT;
import static io.nlstream.config.ConfigDef.Type.LIST;
import static io.nlstream.config.ConfigDef.Type.LONG;
import static io.nlstream.config.ConfigDef.Type.PATH;
import static io.nlstream.config.ConfigDef.Type.SIZE;
import static io.nlstream.config.ConfigDef.Type.STRING;
import static io.nlstream.config.ConfigDef.Type.TIME;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * nlstream's settings, all defined here in {@link #DEF}, and typed access to one command's resolved values.
 * Adding a setting is one {@code define} (plus an accessor if code reads it often).
 */
public final class NlstreamConfig
{
    public static final String RUN = "run";
    public static final String REPLAY = "replay";
    public static final String STATE = "state";
    public static final String STATS = "stats";
    public static final String FORWARD = "forward";
    public static final String EXPORT = "export";
    public static final String DIFF = "diff";
    public static final String TIMELINE = "timeline";
    public static final String REPAIR = "repair";

    public static final String JOURNAL_DIR = "journal.dir";
    public static final String STDOUT_FORMAT = "stdout.format";
    public static final String FORMAT = "format";
    public static final String SINCE = "since";
    public static final String UNTIL = "until";
    public static final String AT = "at";
    public static final String KIND = "kind";
    public static final String CAPTURE_RCVBUF = "capture.rcvbuf";
    public static final String CAPTURE_NETNS = "capture.netns";
    public static final String CAPTURE_NETNS_RCVBUF = "capture.netns-rcvbuf";
    public static final String CAPTURE_NETNS_SCAN = "capture.netns-scan-interval";
    public static final String JOURNAL_ROLL_CYCLE = "journal.roll-cycle";
    public static final String LOG_LEVEL = "log.level";
    public static final String LOG_FORMAT = "log.format";
    public static final String CAPTURE_SOURCES = "capture.sources";
    public static final String SOCK_INTERVAL = "capture.sock-interval";
    public static final String FULL_DUMP_INTERVAL = "capture.full-dump-interval";
    public static final String ATTRIBUTION = "attribution.enabled";
    public static final String KAFKA = "kafka.bootstrap";
    public static final String TO_KAFKA = "replay.to-kafka";
    public static final String KAFKA_TOPIC_PREFIX = "kafka.topic-prefix";
    public static final String KAFKA_PARTITIONS = "kafka.partitions";
    public static final String KAFKA_REPLICATION = "kafka.replication";
    public static final String KAFKA_COMPRESSION = "kafka.compression";
    public static final String KAFKA_LINGER = "kafka.linger";
    public static final String KAFKA_BATCH_SIZE = "kafka.batch-size";
    public static final String KAFKA_BUFFER_MEMORY = "kafka.buffer-memory";
    public static final String KAFKA_GIVE_UP = "kafka.give-up";
    public static final String KAFKA_DELIVERY = "kafka.delivery";
    public static final String HOST_ID = "host.id";
    public static final String HTTP_LISTEN = "http.listen";
    /** {@code forward --follow}; {@code replay --follow} is {@link #REPLAY_FOLLOW}. */
    public static final String FOLLOW = "forward.follow";
    public static final String REPLAY_FOLLOW = "replay.follow";
    /** The prefix of the event filters' keys; {@link #filter()} has their values. */
    public static final String FILTER = "filter.";
    public static final String FILTER_PROTO = "filter.proto";
    public static final String FILTER_PORT = "filter.port";
    public static final String FILTER_IP = "filter.ip";
    public static final String FILTER_IN_NETNS = "filter.in-netns";
    public static final String FILTER_IFNAME = "filter.ifname";
    public static final String FILTER_OP = "filter.op";
    public static final String FILTER_PID = "filter.pid";
    public static final String FILTER_COMM = "filter.comm";
    public static final String EXPORT_PCAP = "export.pcap";
    public static final String TIMELINE_OUT = "timeline.out";
    public static final String DIFF_FROM = "diff.from";
    public static final String DIFF_TO = "diff.to";
    public static final String DIFF_ALL_FIELDS = "diff.all-fields";
    public static final String SNAPSHOT_ENABLED = "snapshot.enabled";
    public static final String SNAPSHOT_INTERVAL = "snapshot.interval";
    public static final String SNAPSHOT_ENTRIES = "snapshot.entries";
    public static final String RETENTION_TIME = "retention.time";
    public static final String RETENTION_SIZE = "retention.size";
    public static final String RETENTION_FORCE = "retention.force";
    /** Config-file keys under this prefix go to the Kafka clients as they are (TLS, SASL, any property). */
    public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

    /** What run can capture: rtnetlink (links, addresses, routes, neighbours), conntrack, sockets. */
    public static final List<String> SOURCES = List.of("rtnl", "conntrack", "sock");

    /** Event kinds, in the order the journal's readers know them. */
    public static final List<String> KINDS = List.of("link", "addr", "route", "neigh", "conn", "sock", "gap");

    public static final ConfigDef DEF = new ConfigDef()
        .command(RUN, "capture netlink events into the journal and print them")
        .command(REPLAY, "print the journal's events between --since and --until")
        .command(STATE, "print the network state as it was at an instant (--at)")
        .command(STATS, "print statistics about the journal")
        .command(FORWARD, "publish a journal's events to Kafka, from where the last forward left off")
        .command(EXPORT, "write the journal's netlink messages to a pcap file for Wireshark and tshark")
        .command(DIFF, "print what was added, removed and changed between two instants (--from, --to)")
        .command(TIMELINE, "draw a window of the journal as a self-contained HTML page (--out)")
        .command(REPAIR, "rewrite the journal's damaged files with what is readable, keeping the damaged ones aside")

        .define(Setting.builder(JOURNAL_DIR, PATH).flag("--journal").shortFlag("-j")
            .defaultValue("./nlstream-journal").commands(RUN, REPLAY, STATE, STATS, FORWARD, EXPORT, DIFF, TIMELINE, REPAIR)
            .doc("Directory of the journal."))
        .define(Setting.builder(STDOUT_FORMAT, ENUM).flag("--stdout").allowed("text", "json", "kv", "none")
            .defaultValue("text").commands(RUN).doc("How to print captured events (text: laid out as ip monitor and"
                + " conntrack -E print them; kv: every field as name=value; none: only record)."))
        .define(Setting.builder(FORMAT, ENUM).flag("--format")
            .allowed("text", "json", "kv", "table").defaultValue("text").commands(REPLAY, STATE, DIFF)
            .doc("Output format (text: laid out as ip monitor, conntrack -E and ss print; kv: every field as"
                + " name=value; table: state only, aligned columns per kind as ip -br and ss print)."))
        .define(Setting.builder(SINCE, TIME).flag("--since")
            .commands(REPLAY, EXPORT, TIMELINE).doc("Print events at or after this instant (default: start of journal)."))
        .define(Setting.builder(UNTIL, TIME).flag("--until")
            .commands(REPLAY, EXPORT, TIMELINE).doc("Print events at or before this instant (default: end of journal)."))
        .define(Setting.builder(REPLAY_FOLLOW, BOOLEAN).flag("--follow").shortFlag("-f").defaultValue("false")
            .commands(REPLAY).doc("Keep printing what is journalled as it arrives (from --since, else from"
                + " now), as journalctl -f does; until SIGTERM/SIGINT."))
        .define(Setting.builder(AT, TIME).flag("--at")
            .commands(STATE).doc("Instant to reconstruct the state at (default: end of journal)."))
        .define(Setting.builder(KIND, LIST).flag("--kind").shortFlag("-k").allowed(KINDS.toArray(String[]::new))
            .defaultValue(String.join(",", KINDS)).commands(REPLAY, STATE, EXPORT, DIFF, TIMELINE).doc("Kinds of events to show."))
        .define(Setting.builder(FILTER_PROTO, LIST).flag("--proto").commands(REPLAY, STATE, RUN, FORWARD, EXPORT, DIFF, TIMELINE)
            .validator(ConfigDef.eachElement(FilterSpec::protocol, FilterSpec.PROTO_EXPECTED))
            .doc("IP protocols to show: names (" + String.join(", ", FilterSpec.PROTOCOLS.keySet())
                + "; any case) or numbers 0..255."))
        .define(Setting.builder(FILTER_PORT, LIST).flag("--port").commands(REPLAY, STATE, RUN, FORWARD, EXPORT, DIFF, TIMELINE)
            .validator(ConfigDef.eachElement(FilterSpec.PortRange::parse, FilterSpec.PORT_EXPECTED))
            .doc("Ports to show: 0..65535, or ranges such as 8000-8080."))
        .define(Setting.builder(FILTER_IP, LIST).flag("--ip").commands(REPLAY, STATE, RUN, FORWARD, EXPORT, DIFF, TIMELINE)
            .validator(ConfigDef.eachElement(FilterSpec.Cidr::parse, FilterSpec.IP_EXPECTED))
            .doc("Addresses to show: IPv4 or IPv6 addresses or CIDRs such as 10.0.0.0/8 or fd00::/8 (host"
                + " bits ignored; names are not looked up)."))
        .define(Setting.builder(FILTER_IN_NETNS, LIST).flag("--in-netns").placeholder("NETNS[,...]")
            .commands(REPLAY, STATE, RUN, FORWARD, EXPORT, DIFF, TIMELINE)
            .validator(ConfigDef.eachElement(FilterSpec::netns, FilterSpec.NETNS_EXPECTED))
            .doc("Network namespaces to show events of: inode numbers, or names from ip netns"
                + " (/run/netns/NAME). --netns keeps its meaning (the namespace run captures); --in-netns"
                + " selects events by namespace."))
        .define(Setting.builder(FILTER_IFNAME, LIST).flag("--ifname").commands(REPLAY, STATE, RUN, FORWARD, EXPORT, DIFF, TIMELINE)
            .validator(ConfigDef.eachElement(FilterSpec::checkIfname, FilterSpec.IFNAME_EXPECTED))
            .doc("Interfaces to show, by name (1 to 15 bytes)."))
        .define(Setting.builder(FILTER_OP, LIST).flag("--op").allowed(FilterSpec.OPS.toArray(String[]::new))
            .commands(REPLAY, RUN, FORWARD, EXPORT).doc("Operations to show."))
        .define(Setting.builder(FILTER_PID, LIST).flag("--pid").commands(REPLAY, STATE, RUN, FORWARD, EXPORT, DIFF, TIMELINE)
            .validator(ConfigDef.eachElement(FilterSpec::pid, FilterSpec.PID_EXPECTED))
            .doc("Processes to show, by id 1.." + FilterSpec.PID_MAX + "."))
        .define(Setting.builder(FILTER_COMM, LIST).flag("--comm").commands(REPLAY, STATE, RUN, FORWARD, EXPORT, DIFF, TIMELINE)
            .validator(ConfigDef.eachElement(FilterSpec::checkComm, FilterSpec.COMM_EXPECTED))
            .doc("Processes to show, by command name as /proc/PID/comm has it (1 to 15 bytes)."))
        .define(Setting.builder(CAPTURE_RCVBUF, SIZE).flag("--rcvbuf").defaultValue("64MiB")
            .validator(ConfigDef.sizeBetween(4096, 2L << 30)).commands(RUN)
            .doc("Receive buffer of each netlink socket; a bigger one survives longer event storms."))
        .define(Setting.builder(CAPTURE_NETNS, STRING).flag("--netns").defaultValue("").placeholder("NAME[,...]|all")
            .validator(NlstreamConfig::netnsList).commands(RUN).doc("Network namespaces to watch: names from ip netns"
                + " (/run/netns/NAME) or nsfs paths such as /proc/PID/ns/net, comma-separated; all: the one"
                + " nlstream runs in and every other, including those made later (default: the one nlstream runs in)."))
        .define(Setting.builder(CAPTURE_NETNS_RCVBUF, SIZE).flag("--netns-rcvbuf").defaultValue("32MiB")
            .validator(ConfigDef.sizeBetween(4096, 2L << 30)).commands(RUN)
            .doc("Receive buffer of each netlink socket in a namespace other than the one nlstream runs in (which"
                + " keeps --rcvbuf), with --netns all or a list; a bound, taken only while datagrams wait; a"
                + " burst past it is a gap, then a resync."))
        .define(Setting.builder(CAPTURE_NETNS_SCAN, DURATION).flag("--netns-scan-interval").defaultValue("500ms")
            .validator(ConfigDef.durationBetween(java.time.Duration.ofMillis(10), java.time.Duration.ofMinutes(10)))
            .commands(RUN).doc("With --netns all: how often to look for namespaces made or ended (nsfs mounts such"
                + " as /run/netns, and /proc/*/ns/net); a mount or unmount starts a look at once."))
        .define(Setting.builder(JOURNAL_ROLL_CYCLE, ENUM).flag("--roll-cycle")
            // Chronicle Queue's RollCycles, by name; config knows nothing of Chronicle.
            .allowed("FIVE_MINUTELY", "TEN_MINUTELY", "TWENTY_MINUTELY", "HALF_HOURLY", "FAST_HOURLY",
                "TWO_HOURLY", "FOUR_HOURLY", "SIX_HOURLY", "FAST_DAILY", "WEEKLY")
            .defaultValue("FAST_HOURLY").commands(RUN).doc("How often the journal starts a new file."))
        .define(Setting.builder(CAPTURE_SOURCES, LIST).flag("--capture").allowed(SOURCES.toArray(String[]::new))
            .defaultValue(String.join(",", SOURCES)).commands(RUN)
            .doc("What to capture: rtnl (links, addresses, routes, neighbours), conntrack, sock (TCP/UDP sockets)."))
        .define(Setting.builder(SOCK_INTERVAL, DURATION).flag("--sock-interval").defaultValue("5s")
            .validator(ConfigDef.durationBetween(java.time.Duration.ofMillis(100), java.time.Duration.ofHours(1)))
            .commands(RUN).doc("How often to dump the socket table: the kernel announces only closed sockets."))
        .define(Setting.builder(FULL_DUMP_INTERVAL, DURATION).flag("--full-dump-interval").defaultValue("1h")
            .validator(ConfigDef.durationBetween(java.time.Duration.ofSeconds(10), java.time.Duration.ofDays(7)))
            .commands(RUN).doc("How often to dump links, addresses, routes, neighbours and conntrack again in full, so that"
                + " state is settled within one period after a hole in the journal (a damaged or deleted file). A conntrack"
                + " dump journals about 250 bytes per flow: 250 MB at a million flows."))
        .define(Setting.builder(ATTRIBUTION, BOOLEAN).flag("--attribution").defaultValue("true").commands(RUN)
            .doc("Attribute sockets to processes (pid, comm) through /proc/PID/fd."))
        .define(Setting.builder(KAFKA, STRING).flag("--kafka").defaultValue("").placeholder("HOST:PORT[,HOST:PORT]")
            .validator(ConfigDef.hostPorts()).commands(RUN, FORWARD).doc("Kafka bootstrap servers to publish events to (run: none by default)."))
        .define(Setting.builder(TO_KAFKA, STRING).flag("--to-kafka").defaultValue("").placeholder("HOST:PORT[,HOST:PORT]")
            .validator(ConfigDef.hostPorts()).commands(REPLAY)
            .doc("Publish the replayed events to Kafka (marked with a replay header) instead of printing them."))
        .define(Setting.builder(KAFKA_TOPIC_PREFIX, STRING).flag("--kafka-topic-prefix").defaultValue("nlstream")
            .validator(NlstreamConfig::topicPrefix).commands(RUN, FORWARD, REPLAY)
            .doc("Topics are PREFIX.KIND (nlstream.conn, nlstream.link, ...)."))
        .define(Setting.builder(KAFKA_PARTITIONS, INT).flag("--kafka-partitions").defaultValue("-1")
            .validator(ConfigDef.between(-1, 100_000)).commands(RUN, FORWARD, REPLAY)
            .doc("Partitions of a topic nlstream creates (-1: the broker's default); existing topics are used as they are."))
        .define(Setting.builder(KAFKA_REPLICATION, INT).flag("--kafka-replication").defaultValue("-1")
            .validator(ConfigDef.between(-1, 1000)).commands(RUN, FORWARD, REPLAY)
            .doc("Replication factor of a topic nlstream creates (-1: the broker's default)."))
        .define(Setting.builder(KAFKA_COMPRESSION, ENUM).flag("--kafka-compression")
            .allowed("none", "gzip", "snappy", "lz4", "zstd").defaultValue("lz4").commands(RUN, FORWARD, REPLAY)
            .doc("Producer compression."))
        .define(Setting.builder(KAFKA_LINGER, DURATION).flag("--kafka-linger").defaultValue("10ms")
            .validator(ConfigDef.durationBetween(java.time.Duration.ZERO, java.time.Duration.ofSeconds(60)))
            .commands(RUN, FORWARD, REPLAY).doc("How long the producer waits to fill a batch."))
        .define(Setting.builder(KAFKA_BATCH_SIZE, SIZE).flag("--kafka-batch-size").defaultValue("256KiB")
            .validator(ConfigDef.sizeBetween(1024, 64L << 20)).commands(RUN, FORWARD, REPLAY)
            .doc("Producer batch size per partition."))
        .define(Setting.builder(KAFKA_BUFFER_MEMORY, SIZE).flag("--kafka-buffer-memory").defaultValue("64MiB")
            .validator(ConfigDef.sizeBetween(1L << 20, 2L << 30)).commands(RUN, FORWARD, REPLAY)
            .doc("Bound on unacknowledged records held in memory; the journal holds the rest."))
        .define(Setting.builder(HOST_ID, STRING).flag("--host-id").defaultValue("").placeholder("ID")
            .validator(value ->
            {
                if (!((String)value).isEmpty() && !((String)value).matches("[A-Za-z0-9._-]{1,128}"))
                {
                    throw new IllegalArgumentException("a host id is 1 to 128 letters, digits, '.', '_' or '-' (it is one"
                        + " ':'-separated part of every event id)");
                }
            })
            .commands(RUN, FORWARD, REPLAY, STATE, DIFF, TIMELINE)
            .doc("This host's id, recorded in a journal when run creates it (default: /etc/machine-id, else the"
                + " hostname); names the host of events in JSON (host) and event ids."))
        .define(Setting.builder(FOLLOW, BOOLEAN).flag("--follow").shortFlag("-f").defaultValue("false")
            .commands(FORWARD)
            .doc("Keep forwarding what is appended until SIGTERM, instead of exiting once caught up."))
        .define(Setting.builder(KAFKA_DELIVERY, ENUM).flag("--kafka-delivery")
            .allowed("auto", "exactly-once", "at-least-once").defaultValue("auto").commands(RUN, FORWARD)
            .doc("exactly-once: transactions carrying events and the journal position they reach, so that read_committed"
                + " consumers see every event once, also after a crash; at-least-once: an idempotent producer, a crash"
                + " sends the unacknowledged tail again; auto: exactly-once when the broker supports transactions."))
        .define(Setting.builder(KAFKA_GIVE_UP, DURATION).flag("--kafka-give-up").defaultValue("60s")
            .validator(ConfigDef.durationBetween(java.time.Duration.ofSeconds(1), java.time.Duration.ofDays(1)))
            .commands(FORWARD)
            .doc("forward without --follow: how long Kafka may stay unreachable or silent before forward gives up"
                + " (exit 1); what it did not acknowledge waits in the journal for the next forward."))
        .passthrough(KAFKA_CLIENT_PREFIX, "any Kafka client property, e.g. kafka.client.security.protocol=SSL")
        .shadowed(KAFKA_CLIENT_PREFIX + "bootstrap.servers", KAFKA)
        .shadowed(KAFKA_CLIENT_PREFIX + "compression.type", KAFKA_COMPRESSION)
        .shadowed(KAFKA_CLIENT_PREFIX + "linger.ms", KAFKA_LINGER)
        .shadowed(KAFKA_CLIENT_PREFIX + "batch.size", KAFKA_BATCH_SIZE)
        .shadowed(KAFKA_CLIENT_PREFIX + "buffer.memory", KAFKA_BUFFER_MEMORY)
        .define(Setting.builder(HTTP_LISTEN, STRING).flag("--http").defaultValue("").placeholder("HOST:PORT")
            .validator(ConfigDef.hostPort()).commands(RUN)
            .doc("Serve /metrics (Prometheus text format), /healthz and /readyz over HTTP on this address (none by default)."))
        .define(Setting.builder(SNAPSHOT_ENABLED, BOOLEAN).flag("--snapshots").defaultValue("true")
            .commands(RUN, REPLAY, STATE, STATS, FORWARD, EXPORT, DIFF, TIMELINE)
            .doc("Read and write state snapshots beside the journal (JOURNAL/snapshots); false reads the"
                + " journal from its start."))
        .define(Setting.builder(SNAPSHOT_INTERVAL, DURATION).flag("--snapshot-interval").defaultValue("60s")
            .validator(ConfigDef.durationBetween(java.time.Duration.ofSeconds(1), java.time.Duration.ofDays(1)))
            .commands(RUN, REPLAY, STATE, STATS, FORWARD, EXPORT, DIFF, TIMELINE).doc("Journal time between state snapshots."))
        .define(Setting.builder(SNAPSHOT_ENTRIES, LONG).flag("--snapshot-entries").defaultValue("1000000")
            .validator(ConfigDef.between(1_000, 1_000_000_000)).commands(RUN, REPLAY, STATE, STATS, FORWARD, EXPORT, DIFF, TIMELINE)
            .doc("Journal entries between state snapshots, whichever comes first."))
        .define(Setting.builder(RETENTION_TIME, DURATION).flag("--retention-time").placeholder("DURATION")
            .validator(ConfigDef.durationBetween(java.time.Duration.ofMinutes(1), java.time.Duration.ofDays(36_500)))
            .commands(RUN).doc("Delete the journal's oldest cycle files, whole, once the state and events after them"
                + " reach back this far without them (e.g. 7d, 36h; none by default). Never the file being written,"
                + " never past a forwarder's checkpoint (see --retention-force), never so much that the oldest instant"
                + " kept lacks its base (a snapshot whose objects all lie in the files kept)."))
        .define(Setting.builder(RETENTION_SIZE, SIZE).flag("--retention-size").placeholder("SIZE")
            .validator(ConfigDef.sizeBetween(1L << 20, 1L << 50)).commands(RUN)
            .doc("Delete the journal's oldest cycle files, whole, while the journal directory holds more than this"
                + " (e.g. 50G, 500M; none by default), within the same limits as --retention-time."))
        .define(Setting.builder(RETENTION_FORCE, BOOLEAN).flag("--retention-force").defaultValue("false").commands(RUN)
            .doc("Let retention delete files a Kafka forwarder of this journal has not yet forwarded (its checkpoint,"
                + " JOURNAL/kafka-*.checkpoint, or run --kafka without one); what it had not sent is then lost to it."))
        .define(Setting.builder(EXPORT_PCAP, PATH).flag("--pcap").commands(EXPORT)
            .doc("The pcap file to write (LINKTYPE_NETLINK; '-' for stdout); required. An existing file is replaced."))
        .define(Setting.builder(TIMELINE_OUT, PATH).flag("--out").commands(TIMELINE)
            .doc("The HTML file to write; required. An existing file is replaced."))
        .define(Setting.builder(DIFF_FROM, TIME).flag("--from").commands(DIFF)
            .doc("The earlier instant; required."))
        .define(Setting.builder(DIFF_TO, TIME).flag("--to").commands(DIFF)
            .doc("The later instant (default: the end of the journal)."))
        .define(Setting.builder(DIFF_ALL_FIELDS, BOOLEAN).flag("--all-fields").defaultValue("false").commands(DIFF)
            .doc("Compare the fields that change by themselves too (a flow's timeout and counters, an address's"
                + " lifetimes, a socket's queues, rtt and counters)."))
        .define(Setting.builder(LOG_LEVEL, ENUM).flag("--log-level").allowed("error", "warn", "info", "debug")
            .defaultValue("info").doc("Least severe log messages to write (to stderr)."))
        .define(Setting.builder(LOG_FORMAT, ENUM).flag("--log-format").allowed("text", "json")
            .defaultValue("text").doc("How to write log lines to stderr (json: one object per line,"
                + " {\"ts\",\"level\",\"logger\",\"msg\"} and \"thrown\", for log collectors)."))

        .rule(NlstreamConfig::sinceNotAfterUntil)
        .rule(NlstreamConfig::exportNeedsPcap)
        .rule(NlstreamConfig::diffFromTo)
        .rule(NlstreamConfig::tableIsForState)
        .rule(NlstreamConfig::timelineNeedsOut)
        .rule(NlstreamConfig::retentionNeedsSnapshots);

    private final ConfigValues values;
    private final FilterSpec filter;

    private NlstreamConfig(ConfigValues values)
    {
        this.values = values;
        this.filter = filter(values);
    }

    /**
     * Resolves {@code command}'s settings from defaults, {@code --config FILE}, {@code env} ({@code NLSTREAM_...})
     * and {@code args}, later ones winning; see {@link ConfigDef#parse}.
     *
     * @param clock now, for relative times such as {@code --since -5m}
     * @throws UsageException  every problem, one per line, when at least one is on the command line
     * @throws ConfigException every problem, one per line, when they are all in the file or the environment
     */
    public static NlstreamConfig parse(String command, String[] args, Map<String, String> env, Clock clock)
    {
        return new NlstreamConfig(DEF.parse(command, args, env, clock));
    }

    /** all (every namespace), or names and paths; ip netns's "all" is never a name here (/run/netns/all is). */
    private static void netnsList(Object value)
    {
        String v = ((String)value).strip();
        if (v.isEmpty() || v.equals("all"))
        {
            return;
        }
        for (String part : v.split(",", -1))
        {
            String p = part.strip();
            if (p.isEmpty())
            {
                throw new IllegalArgumentException("an empty namespace in the list: names under /run/netns (as ip netns"
                    + " list shows them) or paths such as /proc/PID/ns/net, comma-separated, or all");
            }
            if (p.equals("all"))
            {
                throw new IllegalArgumentException("all already means every namespace: give it alone; for a namespace"
                    + " named all, give /run/netns/all");
            }
        }
    }

    private static void topicPrefix(Object value)
    {
        String prefix = (String)value;
        if (!prefix.matches("[A-Za-z0-9._-]{1,200}"))
        {
            throw new IllegalArgumentException("a topic name prefix is 1 to 200 of A-Z a-z 0-9 . _ -");
        }
    }

    /** The filters from their settings, already validated; a filter the command does not read has no values. */
    private static FilterSpec filter(ConfigValues v)
    {
        return new FilterSpec(
            list(v, FILTER_PROTO).stream().map(FilterSpec::protocol).toList(),
            list(v, FILTER_PORT).stream().map(FilterSpec.PortRange::parse).toList(),
            list(v, FILTER_IP).stream().map(FilterSpec.Cidr::parse).toList(),
            list(v, FILTER_IN_NETNS).stream().map(FilterSpec::netns).toList(),
            list(v, FILTER_IFNAME),
            list(v, FILTER_OP),
            list(v, FILTER_PID).stream().map(FilterSpec::pid).toList(),
            list(v, FILTER_COMM));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(ConfigValues v, String name)
    {
        List<String> list = (List<String>)v.get(name);
        return list == null ? List.of() : list;
    }

    private static void sinceNotAfterUntil(ConfigValues v)
    {
        Long since = (Long)v.get(SINCE);
        Long until = (Long)v.get(UNTIL);
        if (since != null && until != null && since > until)
        {
            throw v.invalid(SINCE, "must not be after until (" + DEF.setting(UNTIL).flag() + " " + v.raw(UNTIL) + ")");
        }
    }

    private static void exportNeedsPcap(ConfigValues v)
    {
        if (EXPORT.equals(v.command()) && !v.helpRequested() && v.get(EXPORT_PCAP) == null)
        {
            throw v.invalid(EXPORT_PCAP, "is required: the file to write (" + DEF.setting(EXPORT_PCAP).flag() + " FILE)");
        }
    }

    private static void timelineNeedsOut(ConfigValues v)
    {
        if (TIMELINE.equals(v.command()) && !v.helpRequested() && v.get(TIMELINE_OUT) == null)
        {
            throw v.invalid(TIMELINE_OUT, "is required: the HTML file to write (" + DEF.setting(TIMELINE_OUT).flag() + " FILE)");
        }
    }

    /**
     * Retention keeps a snapshot as the base of what it keeps (the state at the oldest instant kept); without
     * snapshots, run writes none, and deleting files would leave the state there unknown.
     */
    private static void retentionNeedsSnapshots(ConfigValues v)
    {
        if (RUN.equals(v.command()) && Boolean.FALSE.equals(v.get(SNAPSHOT_ENABLED))
            && (v.get(RETENTION_TIME) != null || v.get(RETENTION_SIZE) != null))
        {
            throw v.invalid(SNAPSHOT_ENABLED, "retention (" + (v.get(RETENTION_TIME) != null ? DEF.setting(RETENTION_TIME).flag()
                : DEF.setting(RETENTION_SIZE).flag()) + ") needs snapshots: one is the base of the state the journal"
                + " keeps, and run writes none with --snapshots false");
        }
    }

    /** {@code timeline --out}. */
    public Path timelineOut()
    {
        return (Path)get(TIMELINE_OUT);
    }

    private static void tableIsForState(ConfigValues v)
    {
        if ("table".equals(v.get(FORMAT)) && !STATE.equals(v.command()))
        {
            throw v.invalid(FORMAT, "table is for state (objects in columns); " + v.command() + " prints text or json");
        }
        if ("kv".equals(v.get(FORMAT)) && DIFF.equals(v.command()))
        {
            throw v.invalid(FORMAT, "kv is for events and objects (replay, state); diff prints text or json");
        }
    }

    private static void diffFromTo(ConfigValues v)
    {
        if (!DIFF.equals(v.command()) || v.helpRequested())
        {
            return;
        }
        Long from = (Long)v.get(DIFF_FROM);
        Long to = (Long)v.get(DIFF_TO);
        if (from == null)
        {
            throw v.invalid(DIFF_FROM, "is required: the earlier instant (" + DEF.setting(DIFF_FROM).flag() + " TIME)");
        }
        if (to != null && from > to)
        {
            throw v.invalid(DIFF_FROM, "must not be after " + DEF.setting(DIFF_TO).flag() + " " + v.raw(DIFF_TO));
        }
    }

    /** {@code diff --from}, epoch ns. */
    public long diffFromNanos()
    {
        return (Long)get(DIFF_FROM);
    }

    /** {@code diff --to}, epoch ns; empty for the end of the journal. */
    public OptionalLong diffToNanos()
    {
        return optional(DIFF_TO);
    }

    public boolean diffAllFields()
    {
        return Boolean.TRUE.equals(get(DIFF_ALL_FIELDS));
    }

    /** {@code export --pcap}: the file to write, {@code -} for stdout. */
    public Path exportPcap()
    {
        return (Path)get(EXPORT_PCAP);
    }

    public String command()
    {
        return values.command();
    }

    /** {@code --help} or {@code -h} was given: print {@link Help#usage(String)}; the values are the defaults. */
    public boolean helpRequested()
    {
        return values.helpRequested();
    }

    public Path journalDir()
    {
        return (Path)get(JOURNAL_DIR);
    }

    /** {@code text}, {@code json} or {@code none}. */
    public String stdoutFormat()
    {
        return (String)get(STDOUT_FORMAT);
    }

    /** {@code text} or {@code json}. */
    public String format()
    {
        return (String)get(FORMAT);
    }

    /** Epoch nanoseconds; empty for the start of the journal. */
    public OptionalLong sinceNanos()
    {
        return optional(SINCE);
    }

    /** Epoch nanoseconds; empty for the end of the journal. */
    public OptionalLong untilNanos()
    {
        return optional(UNTIL);
    }

    /** Epoch nanoseconds; empty for the end of the journal. */
    public OptionalLong atNanos()
    {
        return optional(AT);
    }

    /** A subset of {@link #KINDS}, in the order given. */
    public Set<String> kinds()
    {
        @SuppressWarnings("unchecked") List<String> kinds = (List<String>)get(KIND);
        return Collections.unmodifiableSet(new LinkedHashSet<>(kinds));
    }

    public long rcvbufBytes()
    {
        return (Long)get(CAPTURE_RCVBUF);
    }

    /** As given: empty for the namespace nlstream runs in, {@code all}, or names and paths, comma-separated. */
    public String netns()
    {
        return (String)get(CAPTURE_NETNS);
    }

    /** Whether run captures every network namespace ({@code --netns all}). */
    public boolean netnsAll()
    {
        return netns().strip().equals("all");
    }

    /** The namespaces named ({@code --netns a,b}); empty for the one nlstream runs in and for {@code all}. */
    public List<String> netnsList()
    {
        String v = netns().strip();
        if (v.isEmpty() || v.equals("all"))
        {
            return List.of();
        }
        return java.util.Arrays.stream(v.split(",")).map(String::strip).distinct().toList();
    }

    /** Receive buffer of each socket in namespaces other than the one nlstream runs in. */
    public long netnsRcvbufBytes()
    {
        return (Long)get(CAPTURE_NETNS_RCVBUF);
    }

    public java.time.Duration netnsScanInterval()
    {
        return (java.time.Duration)get(CAPTURE_NETNS_SCAN);
    }

    /** A Chronicle Queue {@code RollCycles} constant's name, e.g. {@code FAST_HOURLY}. */
    public String rollCycle()
    {
        return (String)get(JOURNAL_ROLL_CYCLE);
    }

    /** {@code error}, {@code warn}, {@code info} or {@code debug}. */
    @SuppressWarnings("unchecked")
    public Set<String> sources()
    {
        return new java.util.LinkedHashSet<>((List<String>)values.get(CAPTURE_SOURCES));
    }

    public java.time.Duration fullDumpInterval()
    {
        return (java.time.Duration)values.get(FULL_DUMP_INTERVAL);
    }

    public java.time.Duration sockInterval()
    {
        return (java.time.Duration)values.get(SOCK_INTERVAL);
    }

    public boolean attribution()
    {
        return (Boolean)values.get(ATTRIBUTION);
    }

    public String kafka()
    {
        return (String)values.get(KAFKA);
    }

    public String toKafka()
    {
        return (String)values.get(TO_KAFKA);
    }

    public String kafkaTopicPrefix()
    {
        return (String)values.get(KAFKA_TOPIC_PREFIX);
    }

    public int kafkaPartitions()
    {
        return (Integer)values.get(KAFKA_PARTITIONS);
    }

    public int kafkaReplication()
    {
        return (Integer)values.get(KAFKA_REPLICATION);
    }

    public String kafkaCompression()
    {
        return (String)values.get(KAFKA_COMPRESSION);
    }

    public java.time.Duration kafkaLinger()
    {
        return (java.time.Duration)values.get(KAFKA_LINGER);
    }

    public long kafkaBatchSize()
    {
        return (Long)values.get(KAFKA_BATCH_SIZE);
    }

    public long kafkaBufferMemory()
    {
        return (Long)values.get(KAFKA_BUFFER_MEMORY);
    }

    /** run: the HOST:PORT to serve metrics and health on, or empty for none. */
    public String httpListen()
    {
        return ((String)values.get(HTTP_LISTEN)).strip();
    }

    public String hostId()
    {
        return (String)values.get(HOST_ID);
    }

    /** {@code forward --follow}: keep forwarding until SIGTERM. */
    public boolean follow()
    {
        return (Boolean)values.get(FOLLOW);
    }

    /** {@code replay --follow}: keep printing what is journalled until SIGTERM/SIGINT. */
    public boolean replayFollow()
    {
        return (Boolean)values.get(REPLAY_FOLLOW);
    }

    /**
     * The event filters {@code --proto}, {@code --port}, {@code --ip}, {@code --in-netns}, {@code --ifname},
     * {@code --op}, {@code --pid} and {@code --comm}; {@link FilterSpec#isEmpty()} if none is given (and for
     * commands that read none).
     */
    public FilterSpec filter()
    {
        return filter;
    }

    /** Whether to read and write state snapshots beside the journal; false reads the journal from its start. */
    public boolean snapshotsEnabled()
    {
        return (Boolean)values.get(SNAPSHOT_ENABLED);
    }

    /** Journal time between state snapshots. */
    public java.time.Duration snapshotInterval()
    {
        return (java.time.Duration)values.get(SNAPSHOT_INTERVAL);
    }

    /** Journal entries between state snapshots (whichever of this and {@link #snapshotInterval()} comes first). */
    public long snapshotEntries()
    {
        return (Long)values.get(SNAPSHOT_ENTRIES);
    }

    /** {@code run --retention-time}: how far back the journal keeps state and events; null for no limit by time. */
    public java.time.Duration retentionTime()
    {
        return (java.time.Duration)get(RETENTION_TIME);
    }

    /** {@code run --retention-size}: bytes the journal directory may hold; 0 for no limit by size. */
    public long retentionSize()
    {
        Long size = (Long)get(RETENTION_SIZE);
        return size == null ? 0 : size;
    }

    /** {@code run --retention-force}: retention may delete what a forwarder has not forwarded. */
    public boolean retentionForce()
    {
        return Boolean.TRUE.equals(get(RETENTION_FORCE));
    }

    /** {@code auto}, {@code exactly-once} or {@code at-least-once}. */
    public String kafkaDelivery()
    {
        return (String)get(KAFKA_DELIVERY);
    }

    /** forward without --follow: how long Kafka may be unreachable before forward gives up. */
    public java.time.Duration kafkaGiveUp()
    {
        return (java.time.Duration)get(KAFKA_GIVE_UP);
    }

    /** Kafka client properties from the config file (kafka.client.*), without the prefix. */
    public Map<String, String> kafkaClientProperties()
    {
        return values.withPrefix(KAFKA_CLIENT_PREFIX);
    }

    public String logLevel()
    {
        return (String)get(LOG_LEVEL);
    }

    /** {@code text} or {@code json}. */
    public String logFormat()
    {
        return (String)get(LOG_FORMAT);
    }

    /** @return the value of any setting, typed as {@link ConfigDef.Type} says; null if it has none */
    public Object get(String name)
    {
        return values.get(name);
    }

    /** @return the text any setting's value was parsed from; null if it has none */
    public String raw(String name)
    {
        return values.raw(name);
    }

    private OptionalLong optional(String name)
    {
        Long nanos = (Long)get(name);
        return nanos == null ? OptionalLong.empty() : OptionalLong.of(nanos);
    }

    /** The command and each of its settings as {@code name=text}, for a startup log line. */
    @Override
    public String toString()
    {
        return values.toString();
    }
}
