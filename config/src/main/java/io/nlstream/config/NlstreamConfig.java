package io.nlstream.config;

import static io.nlstream.config.ConfigDef.Type.BOOLEAN;
import static io.nlstream.config.ConfigDef.Type.DURATION;
import static io.nlstream.config.ConfigDef.Type.ENUM;
import static io.nlstream.config.ConfigDef.Type.LIST;
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
public final class NlstreamConfig {
    public static final String RUN = "run";
    public static final String REPLAY = "replay";
    public static final String STATE = "state";
    public static final String STATS = "stats";

    public static final String JOURNAL_DIR = "journal.dir";
    public static final String STDOUT_FORMAT = "stdout.format";
    public static final String FORMAT = "format";
    public static final String SINCE = "since";
    public static final String UNTIL = "until";
    public static final String AT = "at";
    public static final String KIND = "kind";
    public static final String CAPTURE_RCVBUF = "capture.rcvbuf";
    public static final String CAPTURE_NETNS = "capture.netns";
    public static final String JOURNAL_ROLL_CYCLE = "journal.roll-cycle";
    public static final String LOG_LEVEL = "log.level";
    public static final String CAPTURE_SOURCES = "capture.sources";
    public static final String SOCK_INTERVAL = "capture.sock-interval";
    public static final String ATTRIBUTION = "attribution.enabled";

    /** What run can capture: rtnetlink (links, addresses, routes, neighbours), conntrack, sockets. */
    public static final List<String> SOURCES = List.of("rtnl", "conntrack", "sock");

    /** Event kinds, in the order the journal's readers know them. */
    public static final List<String> KINDS = List.of("link", "addr", "route", "neigh", "conn", "sock", "gap");

    public static final ConfigDef DEF = new ConfigDef()
            .command(RUN, "capture netlink events into the journal and print them")
            .command(REPLAY, "print the journal's events between --since and --until")
            .command(STATE, "print the network state as it was at an instant (--at)")
            .command(STATS, "print statistics about the journal")

            .define(Setting.builder(JOURNAL_DIR, PATH).flag("--journal").defaultValue("./nlstream-journal")
                    .commands(RUN, REPLAY, STATE, STATS).doc("Directory of the journal."))
            .define(Setting.builder(STDOUT_FORMAT, ENUM).flag("--stdout").allowed("text", "json", "none")
                    .defaultValue("text").commands(RUN).doc("How to print captured events (none: only record)."))
            .define(Setting.builder(FORMAT, ENUM).flag("--format").allowed("text", "json")
                    .defaultValue("text").commands(REPLAY, STATE).doc("Output format."))
            .define(Setting.builder(SINCE, TIME).flag("--since")
                    .commands(REPLAY).doc("Print events at or after this instant (default: start of journal)."))
            .define(Setting.builder(UNTIL, TIME).flag("--until")
                    .commands(REPLAY).doc("Print events at or before this instant (default: end of journal)."))
            .define(Setting.builder(AT, TIME).flag("--at")
                    .commands(STATE).doc("Instant to reconstruct the state at (default: end of journal)."))
            .define(Setting.builder(KIND, LIST).flag("--kind").allowed(KINDS.toArray(String[]::new))
                    .defaultValue(String.join(",", KINDS)).commands(REPLAY, STATE).doc("Kinds of events to show."))
            .define(Setting.builder(CAPTURE_RCVBUF, SIZE).flag("--rcvbuf").defaultValue("64MiB")
                    .validator(ConfigDef.sizeBetween(4096, 2L << 30)).commands(RUN)
                    .doc("Receive buffer of each netlink socket; a bigger one survives longer event storms."))
            .define(Setting.builder(CAPTURE_NETNS, STRING).flag("--netns").defaultValue("").placeholder("NAME")
                    .commands(RUN).doc("Network namespace to watch: a name from ip netns (/run/netns/NAME) or an nsfs path such as /proc/PID/ns/net (default: the one nlstream runs in)."))
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
            .define(Setting.builder(ATTRIBUTION, BOOLEAN).flag("--attribution").defaultValue("true").commands(RUN)
                    .doc("Attribute sockets to processes (pid, comm) through /proc/PID/fd."))
            .define(Setting.builder(LOG_LEVEL, ENUM).flag("--log-level").allowed("error", "warn", "info", "debug")
                    .defaultValue("info").doc("Least severe log messages to write (to stderr)."))

            .rule(NlstreamConfig::sinceNotAfterUntil);

    private final ConfigValues values;

    private NlstreamConfig(ConfigValues values) {
        this.values = values;
    }

    /**
     * Resolves {@code command}'s settings from defaults, {@code --config FILE}, {@code env} ({@code NLSTREAM_...})
     * and {@code args}, later ones winning; see {@link ConfigDef#parse}.
     *
     * @param clock now, for relative times such as {@code --since -5m}
     * @throws UsageException  every problem, one per line, when at least one is on the command line
     * @throws ConfigException every problem, one per line, when they are all in the file or the environment
     */
    public static NlstreamConfig parse(String command, String[] args, Map<String, String> env, Clock clock) {
        return new NlstreamConfig(DEF.parse(command, args, env, clock));
    }

    private static void sinceNotAfterUntil(ConfigValues v) {
        Long since = (Long) v.get(SINCE);
        Long until = (Long) v.get(UNTIL);
        if (since != null && until != null && since > until) {
            throw v.invalid(SINCE, "must not be after until (" + DEF.setting(UNTIL).flag() + " " + v.raw(UNTIL) + ")");
        }
    }

    public String command() {
        return values.command();
    }

    /** {@code --help} or {@code -h} was given: print {@link Help#usage(String)}; the values are the defaults. */
    public boolean helpRequested() {
        return values.helpRequested();
    }

    public Path journalDir() {
        return (Path) get(JOURNAL_DIR);
    }

    /** {@code text}, {@code json} or {@code none}. */
    public String stdoutFormat() {
        return (String) get(STDOUT_FORMAT);
    }

    /** {@code text} or {@code json}. */
    public String format() {
        return (String) get(FORMAT);
    }

    /** Epoch nanoseconds; empty for the start of the journal. */
    public OptionalLong sinceNanos() {
        return optional(SINCE);
    }

    /** Epoch nanoseconds; empty for the end of the journal. */
    public OptionalLong untilNanos() {
        return optional(UNTIL);
    }

    /** Epoch nanoseconds; empty for the end of the journal. */
    public OptionalLong atNanos() {
        return optional(AT);
    }

    /** A subset of {@link #KINDS}, in the order given. */
    public Set<String> kinds() {
        @SuppressWarnings("unchecked")
        List<String> kinds = (List<String>) get(KIND);
        return Collections.unmodifiableSet(new LinkedHashSet<>(kinds));
    }

    public long rcvbufBytes() {
        return (Long) get(CAPTURE_RCVBUF);
    }

    /** A namespace name; empty for the namespace nlstream runs in. */
    public String netns() {
        return (String) get(CAPTURE_NETNS);
    }

    /** A Chronicle Queue {@code RollCycles} constant's name, e.g. {@code FAST_HOURLY}. */
    public String rollCycle() {
        return (String) get(JOURNAL_ROLL_CYCLE);
    }

    /** {@code error}, {@code warn}, {@code info} or {@code debug}. */
    @SuppressWarnings("unchecked")
    public Set<String> sources() {
        return new java.util.LinkedHashSet<>((List<String>) values.get(CAPTURE_SOURCES));
    }

    public java.time.Duration sockInterval() {
        return (java.time.Duration) values.get(SOCK_INTERVAL);
    }

    public boolean attribution() {
        return (Boolean) values.get(ATTRIBUTION);
    }

    public String logLevel() {
        return (String) get(LOG_LEVEL);
    }

    /** @return the value of any setting, typed as {@link ConfigDef.Type} says; null if it has none */
    public Object get(String name) {
        return values.get(name);
    }

    /** @return the text any setting's value was parsed from; null if it has none */
    public String raw(String name) {
        return values.raw(name);
    }

    private OptionalLong optional(String name) {
        Long nanos = (Long) get(name);
        return nanos == null ? OptionalLong.empty() : OptionalLong.of(nanos);
    }

    /** The command and each of its settings as {@code name=text}, for a startup log line. */
    @Override
    public String toString() {
        return values.toString();
    }
}
