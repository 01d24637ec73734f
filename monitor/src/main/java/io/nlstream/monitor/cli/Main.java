package io.nlstream.monitor.cli;

import io.nlstream.config.ConfigException;
import io.nlstream.config.Help;
import io.nlstream.config.NlstreamConfig;
import io.nlstream.config.UsageException;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalException;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.netlink.Pipes;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code nlstream COMMAND [OPTIONS]}. Exit codes: 0 done, 1 failed at run time (the message says what
 * and where), 2 usage or configuration error.
 */
public final class Main
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    /** 3 is the launcher's, for OutOfMemoryError. */
    public static final int EXIT_DAMAGED = 4;
    /** Commands that only read a journal (never write through Chronicle Queue). */
    private static final java.util.Set<String> QUERIES = java.util.Set.of(NlstreamConfig.REPLAY, NlstreamConfig.STATE,
        NlstreamConfig.STATS, NlstreamConfig.EXPORT, NlstreamConfig.DIFF, NlstreamConfig.TIMELINE);

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        final String command = args.length > 0 ? args[0] : "";
        if (QUERIES.contains(command))
        {
            // a query only reads the journal: Chronicle's POSIX calls (msync, pretouching) are the writer's, and without
            // them its start generates no native stubs (about 0.15 s of the JVM's first half second)
            net.openhft.posix.PosixAPI.useNoOpPosixApi();
        }
        if (NlstreamConfig.REPLAY.equals(command) || NlstreamConfig.STATE.equals(command))
        {
            // events go to stdout, often into a pipe (jq, wc, grep): a bigger one spares a context switch per 64 KiB.
            // Only once there is much to print: loading libc through jnr costs ~0.1 s, a filtered query's start
            EventPrinter.onceBusy(() -> Pipes.growIfPipe(1, 1 << 20));
        }
        final int code = run(args, System.getenv(), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    public static int run(final String[] args, final Map<String, String> env, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0)
        {
            err.print(Help.usage());
            return EXIT_USAGE;
        }
        final String command = args[0];
        if ("--help".equals(command) || "-h".equals(command) || "help".equals(command))
        {
            out.print(Help.usage());
            return EXIT_OK;
        }
        if ("--version".equals(command) || "version".equals(command))
        {
            out.println("nlstream " + version());
            out.println("Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")");
            return EXIT_OK;
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        // before the settings are parsed, so that a usage error is a JSON line too when JSON was asked for
        Logging.format(logFormatAskedFor(rest, env));
        final NlstreamConfig config;
        try
        {
            config = NlstreamConfig.parse(command, rest, env, Clock.systemUTC());
        }
        catch (final UsageException e)
        {
            for (final String p : e.problems())
            {
                Logging.error(err, p);
            }
            Logging.hint(err, "Try 'nlstream " + (isCommand(command) ? command + " " : "") + "--help'.");
            return EXIT_USAGE;
        }
        catch (final ConfigException e)
        {
            for (final String p : e.problems())
            {
                Logging.error(err, p);
            }
            return EXIT_USAGE;
        }
        if (config.helpRequested())
        {
            out.print(Help.usage(command));
            return EXIT_OK;
        }
        Logging.configure(config.logLevel(), config.logFormat());
        try
        {
            if (!NlstreamConfig.STATS.equals(command))
            {
                ReadPipeline.checkFilters(config.filter());
            }
            Reading.resetDamaged();
            final int code;
            switch (command)
            {
                case NlstreamConfig.RUN:
                    // SIGHUP parses the same arguments again, reading the --config files anew (flags still win)
                    return new RunCommand(config, () -> NlstreamConfig.parse(command, rest, env, Clock.systemUTC()), out, err).call();
                case NlstreamConfig.FORWARD:
                    return new ForwardCommand(config, () -> NlstreamConfig.parse(command, rest, env, Clock.systemUTC())).call();
                case NlstreamConfig.REPLAY:
                    code = new ReplayCommand(config, () -> NlstreamConfig.parse(command, rest, env, Clock.systemUTC()), out, err).call();
                    break;
                case NlstreamConfig.STATE:
                    code = new StateCommand(config, out, err).call();
                    break;
                case NlstreamConfig.STATS:
                    code = new StatsCommand(config, out, err).call();
                    break;
                case NlstreamConfig.EXPORT:
                    code = new ExportCommand(config, out, err).call();
                    break;
                case NlstreamConfig.DIFF:
                    code = new DiffCommand(config, out, err).call();
                    break;
                case NlstreamConfig.TIMELINE:
                    code = new TimelineCommand(config, err).call();
                    break;
                case NlstreamConfig.REPAIR:
                    code = repair(config, out);
                    break;
                default:
                    Logging.error(err, "unknown command '" + command + "'");
                    return EXIT_USAGE;
            }
            if (code == EXIT_OK && Reading.damaged() > 0)
            {
                // what could be read was; the answer may lack what the damaged entries held
                Logging.error(err, "journal " + config.journalDir() + ": " + Reading.damaged() + " damaged "
                    + (Reading.damaged() == 1 ? "entry or stretch" : "entries or stretches") + " skipped (each named above, with the entries"
                    + " it cost); the answer lacks what they held");
                return EXIT_DAMAGED;
            }
            return code;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            Logging.error(err, "interrupted");
            return EXIT_FAILURE;
        }
        catch (final UsageException e)
        {
            // found only once the command runs (a namespace name that is not in /run/netns)
            for (final String p : e.problems())
            {
                Logging.error(err, p);
            }
            return EXIT_USAGE;
        }
        catch (final io.nlstream.monitor.journal.JournalDamagedException e)
        {
            Logging.error(err, e.getMessage());
            return EXIT_DAMAGED;
        }
        catch (final JournalException e)
        {
            Logging.error(err, e.getMessage());
            return EXIT_FAILURE;
        }
        catch (final InternalError e)
        {
            // Chronicle Queue read a mapped journal file past its end (SIGBUS, turned into this by the JVM)
            Logging.error(err, "journal " + config.journalDir() + " is damaged: reading it faulted past the end of a file ("
                + Journal.cutShortFiles(config.journalDir()) + "); nothing after that was read. Copy the journal aside before repairing it ("
                + e.getMessage() + ")");
            return EXIT_DAMAGED;
        }
        catch (final RuntimeException e)
        {
            Logging.error(err, e.getMessage() == null ? e.toString() : e.getMessage(), e);
            return EXIT_FAILURE;
        }
    }

    /**
     * {@code repair}: reads every cycle file through and rewrites the damaged ones (see {@link Journal#repair}); exit 0
     * whether or not there was anything to repair, the lines saying which.
     */
    private static int repair(final NlstreamConfig config, final PrintStream out)
    {
        final java.util.List<String> done = Journal.repair(config.journalDir());
        if (done.isEmpty())
        {
            out.println("journal " + config.journalDir() + ": no damage found; nothing changed");
        }
        for (final String line : done)
        {
            out.println(line);
        }
        return EXIT_OK;
    }

    /** {@code --log-format} as the command line or the environment gives it, read before the settings are parsed. */
    private static String logFormatAskedFor(final String[] args, final Map<String, String> env)
    {
        String format = env.getOrDefault("NLSTREAM_LOG_FORMAT", "text");
        for (int i = 0; i < args.length; i++)
        {
            if (args[i].startsWith("--log-format="))
            {
                format = args[i].substring("--log-format=".length());
            }
            else if ("--log-format".equals(args[i]) && i + 1 < args.length)
            {
                format = args[i + 1];
            }
        }
        return format;
    }

    /** The Maven project version, from version.properties (filtered when the module is built); "unknown" without it. */
    static String version()
    {
        try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties"))
        {
            if (in == null)
            {
                return "unknown";
            }
            final java.util.Properties p = new java.util.Properties();
            p.load(in);
            final String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        }
        catch (final java.io.IOException e)
        {
            return "unknown";
        }
    }

    private static boolean isCommand(final String command)
    {
        return NlstreamConfig.RUN.equals(command) || NlstreamConfig.REPLAY.equals(command)
            || NlstreamConfig.STATE.equals(command) || NlstreamConfig.STATS.equals(command) || NlstreamConfig.FORWARD.equals(command);
    }
}
