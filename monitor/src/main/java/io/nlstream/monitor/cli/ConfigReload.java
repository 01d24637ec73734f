package io.nlstream.monitor.cli;

import io.nlstream.config.ConfigException;
import io.nlstream.config.NlstreamConfig;
import io.nlstream.config.Setting;
import io.nlstream.netlink.IgnoredSignals;
import sun.misc.Signal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SIGHUP for the commands that keep running ({@code run}, {@code forward}, {@code replay --follow}): reads the
 * settings again from the same sources (the --config files may have changed; flags and the environment still win).
 * The log level applies at once; groups of settings a command can apply while running (its filters, its forwarder,
 * retention) are handed to it; any other change is logged as needing a restart. A file with a mistake changes
 * nothing. Never ends the process: a supervisor's reload must not become a restart.
 */
final class ConfigReload
{
    private static final Logger LOG = Logger.getLogger(ConfigReload.class.getName());

    private final String command;
    private final Supplier<NlstreamConfig> reread;
    /** Setting name prefixes (or names) to what applies them; checked in order, the first that matches takes it. */
    private final Map<String, Consumer<NlstreamConfig>> live = new LinkedHashMap<>();
    private NlstreamConfig lastRead;

    ConfigReload(final String command, final NlstreamConfig initial, final Supplier<NlstreamConfig> reread)
    {
        this.command = command;
        this.lastRead = initial;
        this.reread = reread;
    }

    /**
     * Settings whose name starts with {@code prefix} apply while running: {@code apply} gets the new settings once
     * per reload that changed any of them. It may throw to refuse them (logged; the rest still apply).
     */
    ConfigReload live(final String prefix, final Consumer<NlstreamConfig> apply)
    {
        live.put(prefix, apply);
        return this;
    }

    /**
     * Handles SIGHUP from now on; a command without a reread source ignores it (never dies of it). A process started
     * with SIGHUP ignored ({@code nohup}) gets the signal's default back first, since the JVM keeps an ignored signal
     * ignored without a word: a reload that silently does nothing is worse than either. Says so when it happens, and
     * warns when SIGHUP stays ignored.
     */
    ConfigReload install()
    {
        if (!IgnoredSignals.ignored(IgnoredSignals.SIGHUP))
        {
            Signal.handle(new Signal("HUP"), s -> reload());
            return this;
        }
        IgnoredSignals.restoreDefault(IgnoredSignals.SIGHUP);
        Signal.handle(new Signal("HUP"), s -> reload());
        if (IgnoredSignals.ignored(IgnoredSignals.SIGHUP))
        {
            LOG.warning("SIGHUP is ignored by this process (started under nohup, or by a parent that ignores it) and"
                + " could not be taken back: kill -HUP will not reload the settings; start " + command
                + " without nohup (systemd, a supervisor, or setsid) to reload without a restart");
        }
        else
        {
            LOG.info("SIGHUP was ignored when " + command + " started (nohup?): it now reloads the settings, and still"
                + " never ends the process");
        }
        return this;
    }

    synchronized void reload()
    {
        try
        {
            final NlstreamConfig now;
            try
            {
                now = reread == null ? lastRead : reread.get();
            }
            catch (final ConfigException e)
            {
                LOG.warning("SIGHUP: the settings were not reloaded, nothing changed: " + String.join("; ", e.problems()));
                return;
            }
            final List<String> restart = new ArrayList<>();
            final Map<String, List<String>> applied = new LinkedHashMap<>();
            String level = null;
            for (final Setting setting : NlstreamConfig.DEF.settings(command))
            {
                final String before = lastRead.raw(setting.name());
                final String after = now.raw(setting.name());
                if (Objects.equals(before, after))
                {
                    continue;
                }
                if (NlstreamConfig.LOG_LEVEL.equals(setting.name()))
                {
                    level = now.logLevel();
                    continue;
                }
                final String group = groupOf(setting.name());
                if (group != null)
                {
                    applied.computeIfAbsent(group, g -> new ArrayList<>()).add(setting.name());
                }
                else
                {
                    restart.add(setting.name() + " " + before + " -> " + after);
                }
            }
            if (!lastRead.kafkaClientProperties().equals(now.kafkaClientProperties()))
            {
                final String group = groupOf(NlstreamConfig.KAFKA_CLIENT_PREFIX);
                if (group != null)
                {
                    applied.computeIfAbsent(group, g -> new ArrayList<>()).add(NlstreamConfig.KAFKA_CLIENT_PREFIX + "*");
                }
                else
                {
                    restart.add(NlstreamConfig.KAFKA_CLIENT_PREFIX + "*");
                }
            }
            final List<String> applyNow = new ArrayList<>();
            for (final Map.Entry<String, List<String>> g : applied.entrySet())
            {
                try
                {
                    live.get(g.getKey()).accept(now);
                    applyNow.addAll(g.getValue());
                }
                catch (final RuntimeException e)
                {
                    LOG.warning("SIGHUP: " + String.join(", ", g.getValue()) + " not applied, what ran goes on as before: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()));
                }
            }
            final String message = "SIGHUP: settings reloaded" + (level == null ? "" : "; log.level " + level + " applies now")
                + (applyNow.isEmpty() ? "" : "; " + String.join(", ", applyNow) + " " + (applyNow.size() == 1 ? "applies" : "apply") + " now")
                + (restart.isEmpty() ? "" : "; needs a restart to apply: " + String.join(", ", restart));
            // logged at the more verbose of the two levels, so that the line says what happened either way
            final boolean louder = level != null && Logging.julLevel(level).intValue() < Logging.julLevel(lastRead.logLevel()).intValue();
            lastRead = now;
            if (louder)
            {
                Logging.level(level);
            }
            LOG.info(message);
            if (level != null && !louder)
            {
                Logging.level(level);
            }
        }
        catch (final RuntimeException e)
        {
            LOG.log(Level.WARNING, "SIGHUP: the settings were not reloaded, nothing changed", e);
        }
    }

    private String groupOf(final String name)
    {
        for (final String prefix : live.keySet())
        {
            if (name.startsWith(prefix))
            {
                return prefix;
            }
        }
        return null;
    }
}
