package io.nlstream.monitor.forward;

import io.nlstream.sinks.Event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's identity in event ids: configured, else /etc/machine-id (stable across reboots and renames),
 * else the kernel's hostname.
 */
public final class HostIdentity
{
    private HostIdentity()
    {
    }

    public static String resolve(final String configured)
    {
        if (configured != null && !configured.isBlank())
        {
            return configured.trim();
        }
        for (final String file : new String[] {"/etc/machine-id", "/proc/sys/kernel/hostname"})
        {
            try
            {
                final String id = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
                if (!id.isEmpty())
                {
                    return id;
                }
            }
            catch (final IOException ignored)
            {
                // try the next
            }
        }
        return "unknown-host";
    }

    /** The event's id: {@code host:seq}, or {@code host:seq:sub} for the ends one dump implies. */
    public static String eventId(final String host, final Event e)
    {
        return eventId(host, e.seq(), sub(e));
    }

    /** The event's {@code sub} (0 for all but the ends one dump implies). */
    public static int sub(final Event e)
    {
        final Object sub = e.get("sub");
        return sub instanceof Number ? ((Number)sub).intValue() : 0;
    }

    /** {@code host:seq}, or {@code host:seq:sub} for the ends one dump implies. */
    public static String eventId(final String host, final long seq, final int sub)
    {
        return sub > 0 ? host + ":" + seq + ":" + sub : host + ":" + seq;
    }
}
