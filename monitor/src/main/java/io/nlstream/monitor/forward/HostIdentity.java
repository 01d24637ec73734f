package io.nlstream.monitor.forward;

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

    /** {@code host:seq}, or {@code host:seq:sub} for the ends one dump implies. */
    public static String eventId(final String host, final long seq, final int sub)
    {
        return sub > 0 ? host + ":" + seq + ":" + sub : host + ":" + seq;
    }
}
