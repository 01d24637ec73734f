package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.sinks.JsonFieldWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The kernel-made fixture journal of resources {@code journals/v1-kernel} (see its README), extracted into a
 * test's directory, and the read pipeline's answers over it as JSON lines.
 */
public final class V1Journal
{
    static final String FIXTURE = "/journals/v1-kernel/";

    private V1Journal()
    {
    }

    /** Extracts the journal into {@code dir}/journal and returns that path. */
    public static Path extract(final Path dir)
    {
        try
        {
            final Path archive = dir.resolve("journal.tar.gz");
            try (InputStream in = V1Journal.class.getResourceAsStream(FIXTURE + "journal.tar.gz"))
            {
                Files.copy(in, archive);
            }
            final Process tar = new ProcessBuilder("tar", "-C", dir.toString(), "-xzf", archive.toString()).inheritIO().start();
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0)
            {
                throw new IllegalStateException("tar -xzf " + archive + " failed");
            }
            Files.delete(archive);
            return dir.resolve("journal");
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String expected(final String name)
    {
        try (InputStream in = V1Journal.class.getResourceAsStream(FIXTURE + "expected/" + name))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, String> instants()
    {
        final Map<String, String> out = new HashMap<>();
        for (final String line : expected("instants").split("\n"))
        {
            final int eq = line.indexOf('=');
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    /** One JSON line per event or object. */
    static String json(final EventView event)
    {
        final JsonFieldWriter w = new JsonFieldWriter();
        event.write(w);
        return new String(w.array(), 0, w.length(), StandardCharsets.UTF_8);
    }

    /** The events a pipeline configured by {@code setup} emits over the whole journal. */
    static List<String> events(final Path journal, final UnaryOperator<ReadPipeline.Builder> setup)
    {
        final List<String> out = new ArrayList<>();
        try (Journal j = Journal.openForReading(journal); ReadPipeline p = setup.apply(ReadPipeline.from(j)).build())
        {
            while (!p.done() && p.poll(1000, e -> out.add(json(e))) > 0)
            {
                // poll does the work
            }
        }
        return out;
    }

    /** The objects alive at {@code until} (ns), of {@code kinds}. */
    static List<String> state(final Path journal, final long until, final Set<Kind> kinds, final UnaryOperator<ReadPipeline.Builder> setup)
    {
        final List<String> out = new ArrayList<>();
        try (Journal j = Journal.openForReading(journal);
             ReadPipeline p = setup.apply(ReadPipeline.from(j).kinds(kinds).until(until).emitFromIndex(Long.MAX_VALUE)).build())
        {
            while (!p.done() && p.poll(1000, e ->
            {}) > 0)
            {
                // poll does the work
            }
            p.state().forEach(kinds, e -> out.add(json(e)));
        }
        return out;
    }

    static Set<Kind> allKinds()
    {
        return EnumSet.allOf(Kind.class);
    }
}
