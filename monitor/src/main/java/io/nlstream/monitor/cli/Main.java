package io.nlstream.monitor.cli;

import io.nlstream.config.ConfigException;
import io.nlstream.config.Help;
import io.nlstream.config.NlstreamConfig;
import io.nlstream.config.UsageException;
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

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length > 0 && (NlstreamConfig.REPLAY.equals(args[0]) || NlstreamConfig.STATE.equals(args[0])))
        {
            // events go to stdout, often into a pipe (jq, wc, grep): a bigger one spares a context switch per 64 KiB
            Pipes.growIfPipe(1, 1 << 20);
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
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
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
            err.println("Try 'nlstream " + (isCommand(command) ? command + " " : "") + "--help'.");
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
        Logging.configure(config.logLevel());
        try
        {
            if (!NlstreamConfig.STATS.equals(command))
            {
                ReadPipeline.checkFilters(config.filter());
            }
            switch (command)
            {
                case NlstreamConfig.RUN: return new RunCommand(config, out, err).call();
                case NlstreamConfig.REPLAY: return new ReplayCommand(config, out, err).call();
                case NlstreamConfig.STATE: return new StateCommand(config, out, err).call();
                case NlstreamConfig.STATS: return new StatsCommand(config, out, err).call();
                case NlstreamConfig.FORWARD: return new ForwardCommand(config).call();
                case NlstreamConfig.EXPORT: return new ExportCommand(config, out, err).call();
                case NlstreamConfig.DIFF: return new DiffCommand(config, out, err).call();
                case NlstreamConfig.TIMELINE: return new TimelineCommand(config, err).call();
                default:
                    Logging.error(err, "unknown command '" + command + "'");
                    return EXIT_USAGE;
            }
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
        catch (final JournalException e)
        {
            Logging.error(err, e.getMessage());
            return EXIT_FAILURE;
        }
        catch (final RuntimeException e)
        {
            Logging.error(err, e.getMessage() == null ? e.toString() : e.getMessage());
            e.printStackTrace(err);
            return EXIT_FAILURE;
        }
    }

    private static boolean isCommand(final String command)
    {
        return NlstreamConfig.RUN.equals(command) || NlstreamConfig.REPLAY.equals(command)
            || NlstreamConfig.STATE.equals(command) || NlstreamConfig.STATS.equals(command) || NlstreamConfig.FORWARD.equals(command);
    }
}
