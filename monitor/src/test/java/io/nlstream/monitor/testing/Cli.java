package io.nlstream.monitor.testing;

import io.nlstream.monitor.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs nlstream commands in this JVM (replay, state, stats) for tests, as a user would from the shell.
 */
public final class Cli
{
    private Cli()
    {
    }

    /**
     * Runs a command; fails the test with its stderr unless it exits 0; returns its stdout. With
     * {@code --format json}, also fails unless every line holds to the published schema ({@link Json#object}),
     * whether or not the caller parses the lines.
     */
    public static String run(final String... args)
    {
        final String stdout = execute(args);
        if (printsJson(args))
        {
            lines(stdout);
        }
        return stdout;
    }

    private static String execute(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, () -> String.join(" ", args) + " failed: " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean printsJson(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            if ("--format=json".equals(args[i]) || "--format".equals(args[i]) && i + 1 < args.length && "json".equals(args[i + 1]))
            {
                return true;
            }
        }
        return false;
    }

    /** Runs a command with --format json and parses each line (each held to the schema, see {@link Json#object}). */
    public static List<Map<String, Object>> json(final String... args)
    {
        final List<String> withFormat = new ArrayList<>(List.of(args));
        withFormat.add("--format");
        withFormat.add("json");
        return lines(execute(withFormat.toArray(new String[0])));
    }

    /** One JSON object per non-blank line. */
    public static List<Map<String, Object>> lines(final String text)
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (!line.isBlank())
            {
                out.add(Json.object(line));
            }
        }
        return out;
    }
}
