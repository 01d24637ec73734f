package io.nlstream.config;

import java.util.List;
import java.util.Map;

/** The resolved settings of one command: typed values, the text they came from, and where that text was. */
public final class ConfigValues
{
    private final ConfigDef def;
    private final String command;
    private final boolean helpRequested;
    private final Map<String, Object> values;
    private final Map<String, String> raw;
    private final Map<String, String> origins;
    private final Map<String, String> passthrough;

    ConfigValues(ConfigDef def, String command, boolean helpRequested, Map<String, Object> values,
        Map<String, String> raw, Map<String, String> origins, Map<String, String> passthrough)
    {
        this.passthrough = passthrough;
        this.def = def;
        this.command = command;
        this.helpRequested = helpRequested;
        this.values = values;
        this.raw = raw;
        this.origins = origins;
    }

    /** Pass-through keys under {@code prefix} (see {@link ConfigDef#passthrough}), with the prefix removed. */
    public Map<String, String> withPrefix(String prefix)
    {
        Map<String, String> out = new java.util.TreeMap<>();
        passthrough.forEach((k, v) ->
        {
            if (k.startsWith(prefix))
            {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    public String command()
    {
        return command;
    }

    /** {@code --help} or {@code -h} was given; the values are then the defaults. */
    public boolean helpRequested()
    {
        return helpRequested;
    }

    /** @return the value (of the Java type {@link ConfigDef.Type} names), or null if the setting has none */
    public Object get(String name)
    {
        return values.get(known(name).name());
    }

    /** @return the text the value was parsed from, or null if the setting has none */
    public String raw(String name)
    {
        return raw.get(known(name).name());
    }

    /**
     * A problem with setting {@code name}'s value, for a {@link ConfigDef.Rule} to throw:
     * {@code Invalid value X for configuration Y (--flag): reason}, plus where X came from if not the flag;
     * a {@link UsageException} if it came from the flag.
     */
    public ConfigException invalid(String name, String reason)
    {
        Setting setting = known(name);
        String origin = origins.getOrDefault(name, "unset");
        List<String> problem = List.of(message(setting, raw.getOrDefault(name, "(none)"), origin, reason));
        return origin.equals(setting.flag()) ? new UsageException(problem) : new ConfigException(problem);
    }

    static String message(Setting setting, String value, String origin, String reason)
    {
        String where = setting.flag() == null ? origin
            : setting.flag().equals(origin) ? origin : setting.flag() + ", " + origin;
        return "Invalid value " + (value.isEmpty() ? "\"\"" : value) + " for configuration " + setting.name() + " (" + where + "): " + reason;
    }

    private Setting known(String name)
    {
        Setting setting = def.setting(name);
        if (setting == null)
        {
            throw new IllegalArgumentException("no setting named " + name);
        }
        return setting;
    }

    /** The command and each of its settings as {@code name=value}, for a startup log line. */
    @Override
    @SuppressWarnings("unchecked")
    public String toString()
    {
        StringBuilder out = new StringBuilder(command);
        for (Setting setting : def.settings(command))
        {
            Object value = values.get(setting.name());
            out.append(' ').append(setting.name()).append('=').append(value == null ? "" : switch (setting.type())
            {
                case TIME -> TimeSpec.format((Long)value);
                case SIZE -> Units.formatSize((Long)value);
                case LIST -> String.join(",", (List<String>)value);
                default -> value;
            });
        }
        return out.toString();
    }
}
