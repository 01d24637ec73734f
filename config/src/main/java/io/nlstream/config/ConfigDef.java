package io.nlstream.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The definition of a program's settings and commands, after Kafka's {@code ConfigDef}: each {@link Setting}
 * is defined once with its type, default, validator and doc; {@link Rule}s relate settings after parsing;
 * {@link #parse} reads defaults, {@code --config} files, the environment and the command line, and reports every
 * problem at once.
 */
public final class ConfigDef
{
    /** How a setting's text becomes its value, and the value's Java type. */
    public enum Type
    {
        /** {@link String}, as given. */
        STRING,
        /** {@link Integer}; {@code _} separators allowed. */
        INT,
        /** {@link Long}; {@code _} separators allowed. */
        LONG,
        /** {@link Boolean}: {@code true} or {@code false}, any case. */
        BOOLEAN,
        /** {@link Path}, not empty. */
        PATH,
        /** {@link String}, one of {@link Setting#allowed()}, any case, normalised to its spelling there. */
        ENUM,
        /**
         * {@code List<String>}, comma-separated, not empty, elements stripped of white space; repeats are dropped
         * (the first stays), as are repeats across a flag given more than once; elements checked like ENUM.
         */
        LIST,
        /** {@link java.time.Duration}: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}. */
        DURATION,
        /** {@link Long} bytes, with an optional binary suffix: k/K/KiB, m/M/MiB, g/G/GiB. */
        SIZE,
        /** {@link Long} epoch nanoseconds, as {@link TimeSpec} reads it. */
        TIME
    }

    /** A check on a parsed value. */
    public interface Validator
    {
        /** @throws IllegalArgumentException saying why, in words that fit after "Invalid value X for ...: " */
        void ensureValid(Object value);

        /** What is allowed, for the help text, e.g. {@code 4KiB..2GiB}; empty if nothing to add. */
        default String describe()
        {
            return "";
        }
    }

    /** A check across settings, run after every setting has been parsed. */
    @FunctionalInterface
    public interface Rule
    {
        /** @throws ConfigException built with {@link ConfigValues#invalid}, naming every setting involved */
        void check(ConfigValues values);
    }

    private final Map<String, String> commands = new LinkedHashMap<>();

    private final java.util.Map<String, String> passthrough = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, String> shadowed = new java.util.LinkedHashMap<>();
    private final Map<String, Setting> settings = new LinkedHashMap<>();
    private final Map<String, List<Setting>> byFlag = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();

    /** Declares a command, with the one line the global usage shows for it. */
    public ConfigDef command(String name, String doc)
    {
        if (commands.putIfAbsent(name, doc) != null)
        {
            throw new IllegalArgumentException("command " + name + " defined twice");
        }
        return this;
    }

    public ConfigDef define(Setting.Builder setting)
    {
        return define(setting.build());
    }

    /**
     * @throws IllegalArgumentException if the setting clashes with another or its default is not valid; settings
     *                                  may share a flag or short flag only if no command reads both
     */
    public ConfigDef define(Setting setting)
    {
        String name = setting.name();
        if (settings.containsKey(name))
        {
            throw new IllegalArgumentException("setting " + name + " defined twice");
        }
        if (setting.flag() != null && (!setting.flag().matches("--[A-Za-z0-9][A-Za-z0-9-]*")
            || setting.flag().equals(ConfigParser.CONFIG) || setting.flag().equals(ConfigParser.HELP)))
        {
            throw new IllegalArgumentException("setting " + name + ": flag " + setting.flag() + " taken or malformed");
        }
        if (setting.shortFlag() != null && (setting.flag() == null || !setting.shortFlag().matches("-[A-Za-z]")
            || setting.shortFlag().equals("-h")))
        {
            throw new IllegalArgumentException("setting " + name + ": short flag " + setting.shortFlag()
                + " taken or malformed (one letter, not -h, beside a flag)");
        }
        for (String flag : new String[] {setting.flag(), setting.shortFlag()})
        {
            for (Setting other : flag == null ? List.<Setting>of() : byFlag.getOrDefault(flag, List.of()))
            {
                if (shareACommand(setting, other))
                {
                    throw new IllegalArgumentException("setting " + name + ": flag " + flag + " taken by "
                        + other.name() + " for a command both apply to");
                }
            }
        }
        if (settings.values().stream().anyMatch(s -> s.env().equals(setting.env())))
        {
            throw new IllegalArgumentException("setting " + name + ": environment variable " + setting.env() + " taken");
        }
        boolean hasAllowed = !setting.allowed().isEmpty();
        if (setting.type() == Type.ENUM && !hasAllowed
            || hasAllowed && setting.type() != Type.ENUM && setting.type() != Type.LIST)
        {
            throw new IllegalArgumentException("setting " + name + ": allowed values are for ENUM (required) and LIST");
        }
        for (String command : setting.commands())
        {
            if (!commands.containsKey(command))
            {
                throw new IllegalArgumentException("setting " + name + ": unknown command " + command);
            }
        }
        if (setting.defaultValue() != null && setting.type() != Type.TIME)
        {
            try
            {
                setting.validator().ensureValid(convert(setting, setting.defaultValue(), Clock.systemUTC()));
            }
            catch (IllegalArgumentException e)
            {
                throw new IllegalArgumentException("setting " + name + ": bad default: " + e.getMessage(), e);
            }
        }
        settings.put(name, setting);
        for (String flag : new String[] {setting.flag(), setting.shortFlag()})
        {
            if (flag != null)
            {
                byFlag.computeIfAbsent(flag, f -> new ArrayList<>()).add(setting);
            }
        }
        return this;
    }

    /** Whether some command reads both settings (no commands means all of them). */
    private static boolean shareACommand(Setting a, Setting b)
    {
        return a.commands().isEmpty() || b.commands().isEmpty()
            || a.commands().stream().anyMatch(b.commands()::contains);
    }

    public ConfigDef rule(Rule rule)
    {
        rules.add(rule);
        return this;
    }

    /** Command name to its one-line description, in definition order. */
    public Map<String, String> commands()
    {
        return Collections.unmodifiableMap(commands);
    }

    /** All settings, in definition order. */
    public Collection<Setting> settings()
    {
        return Collections.unmodifiableCollection(settings.values());
    }

    /** The settings {@code command} reads, in definition order. */
    public List<Setting> settings(String command)
    {
        return settings.values().stream().filter(s -> s.appliesTo(command)).toList();
    }

    /** @return the setting named {@code name}, or null */
    public Setting setting(String name)
    {
        return settings.get(name);
    }

    /**
     * @return the first defined setting whose flag or short flag is {@code flag}, or null; where settings share a
     *         flag, {@link #settingForFlag(String, String)} picks the one a command reads
     */
    public Setting settingForFlag(String flag)
    {
        List<Setting> all = settingsForFlag(flag);
        return all.isEmpty() ? null : all.get(0);
    }

    /** @return the setting {@code command} reads through flag or short flag {@code flag}, or null */
    public Setting settingForFlag(String command, String flag)
    {
        return settingsForFlag(flag).stream().filter(s -> s.appliesTo(command)).findFirst().orElse(null);
    }

    /** @return every setting whose flag or short flag is {@code flag}, for whichever commands, in definition order */
    public List<Setting> settingsForFlag(String flag)
    {
        return Collections.unmodifiableList(byFlag.getOrDefault(flag, List.of()));
    }

    List<Rule> rules()
    {
        return rules;
    }

    /**
     * Resolves every setting {@code command} reads; later sources win: defaults, {@code --config FILE} (Java
     * properties keyed by setting name; repeatable, applied in order), {@code env}, then {@code args}
     * ({@code --flag value}, {@code --flag=value}, {@code -f value}; a LIST flag given more than once adds to its
     * list, other flags' last value wins). Settings other commands read keep their defaults.
     * {@code --help} or {@code -h} anywhere gives defaults with {@link ConfigValues#helpRequested()} and no error.
     *
     * @param clock now, for relative times
     * @throws UsageException  listing every problem, when at least one is on the command line
     * @throws ConfigException listing every problem, when all are in the file, the environment or the rules
     */
    public ConfigValues parse(String command, String[] args, Map<String, String> env, Clock clock)
    {
        return new ConfigParser(this, command, clock).parse(args, env);
    }

    /**
     * The value {@code text} stands for, before the validator.
     *
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    static Object convert(Setting setting, String text, Clock clock)
    {
        String trimmed = text.strip();
        return switch (setting.type())
        {
            case STRING -> text;
            case INT -> (int)Units.parseLong(trimmed, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> Units.parseLong(trimmed, Long.MIN_VALUE, Long.MAX_VALUE);
            case BOOLEAN -> switch (trimmed.toLowerCase(Locale.ROOT))
            {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("not a boolean; expected true or false");
            };
            case PATH ->
            {
                if (trimmed.isEmpty())
                {
                    throw new IllegalArgumentException("empty path");
                }
                try
                {
                    yield Path.of(trimmed);
                }
                catch (InvalidPathException e)
                {
                    throw new IllegalArgumentException("not a path: " + e.getReason());
                }
            }
            case ENUM -> oneOf(setting, trimmed);
            case LIST ->
            {
                if (trimmed.isEmpty())
                {
                    throw new IllegalArgumentException("empty list; " + expected(setting, "one or more of"));
                }
                LinkedHashSet<String> elements = new LinkedHashSet<>();
                for (String element : trimmed.split(",", -1))
                {
                    if (element.isBlank())
                    {
                        throw new IllegalArgumentException("empty element; " + expected(setting, "one or more of"));
                    }
                    elements.add(setting.allowed().isEmpty() ? element.strip() : oneOf(setting, element.strip()));
                }
                yield List.copyOf(elements);
            }
            case DURATION -> Units.parseDuration(trimmed);
            case SIZE -> Units.parseSize(trimmed);
            case TIME -> TimeSpec.parse(trimmed, clock);
        };
    }

    private static String oneOf(Setting setting, String text)
    {
        for (String allowed : setting.allowed())
        {
            if (allowed.equalsIgnoreCase(text))
            {
                return allowed;
            }
        }
        String what = setting.type() == Type.LIST ? text + " is not" : "not";
        throw new IllegalArgumentException(what + " one of " + String.join(", ", setting.allowed()));
    }

    private static String expected(Setting setting, String what)
    {
        return setting.allowed().isEmpty() ? "expected comma-separated values"
            : "expected " + what + " " + String.join(", ", setting.allowed());
    }

    /**
     * Keys under {@code prefix} in a config file pass through, unchecked, to a client library (e.g.
     * {@code kafka.producer.ssl.truststore.location}); {@code doc} says where they go.
     */
    public ConfigDef passthrough(String prefix, String doc)
    {
        passthrough.put(prefix, doc);
        return this;
    }

    /**
     * A pass-through key that a setting of ours already sets ({@code kafka.client.bootstrap.servers} is
     * {@code kafka.bootstrap}): a config file naming it is refused, so that the setting, and a flag over the file,
     * always decide.
     */
    public ConfigDef shadowed(String passthroughKey, String setting)
    {
        if (!settings.containsKey(setting))
        {
            throw new IllegalArgumentException("shadowed " + passthroughKey + ": unknown setting " + setting);
        }
        shadowed.put(passthroughKey, setting);
        return this;
    }

    /** The setting that sets this pass-through key, or null. */
    public Setting shadowing(String passthroughKey)
    {
        String name = shadowed.get(passthroughKey);
        return name == null ? null : settings.get(name);
    }

    /** Declared pass-through prefixes and what they are for. */
    public java.util.Map<String, String> passthroughPrefixes()
    {
        return java.util.Collections.unmodifiableMap(passthrough);
    }

    // Validators; their messages follow "Invalid value X for configuration Y (--flag): ".

    /** Accepts anything. */
    public static Validator any()
    {
        return value ->
        {};
    }

    /** A number in {@code [min, max]}. */
    public static Validator between(long min, long max)
    {
        return range(min, max, Long::toString);
    }

    /** A number of bytes in {@code [min, max]}; help and errors spell limits as sizes, e.g. {@code 2GiB}. */
    public static Validator sizeBetween(long min, long max)
    {
        return range(min, max, Units::formatSize);
    }

    /** A duration in {@code [min, max]}. */
    public static Validator durationBetween(java.time.Duration min, java.time.Duration max)
    {
        return new Validator()
        {
            @Override
            public void ensureValid(Object value)
            {
                java.time.Duration d = (java.time.Duration)value;
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0)
                {
                    throw new IllegalArgumentException("must be between " + describe().replace("..", " and "));
                }
            }

            @Override
            public String describe()
            {
                return min.toMillis() + "ms.." + max.toSeconds() + "s";
            }
        };
    }

    /**
     * A list each of whose elements {@code check} accepts; the message names every element it rejects, then what is
     * expected: {@code abc is not a port or range; 70000 is out of range; expected ports 0..65535 or ...}.
     *
     * @param check    throws {@link IllegalArgumentException} saying what is wrong with the element, naming it
     * @param expected what elements may be, after "expected "
     */
    public static Validator eachElement(java.util.function.Consumer<String> check, String expected)
    {
        return value ->
        {
            List<String> wrong = new ArrayList<>();
            for (Object element : (Collection<?>)value)
            {
                try
                {
                    check.accept((String)element);
                }
                catch (IllegalArgumentException e)
                {
                    wrong.add(e.getMessage());
                }
            }
            if (!wrong.isEmpty())
            {
                throw new IllegalArgumentException(String.join("; ", wrong) + "; expected " + expected);
            }
        };
    }

    /**
     * Kafka bootstrap servers: empty (none), or {@code host:port} separated by commas, where host is a DNS name,
     * a dotted IPv4 address or an IPv6 address in brackets, and port 1..65535.
     */
    public static Validator hostPorts()
    {
        return addresses(text ->
        {
            List<String> wrong = new ArrayList<>();
            for (String server : text.split(",", -1))
            {
                String why = hostPortProblem(server.strip());
                if (why != null)
                {
                    wrong.add(why);
                }
            }
            return wrong.isEmpty() ? null : String.join("; ", wrong);
        }, "HOST:PORT[,HOST:PORT...] (a DNS name, an IPv4 address or [IPv6], port 1..65535)");
    }

    /** One HOST:PORT to listen on, or empty for none (a listener binds one address). */
    public static Validator hostPort()
    {
        return addresses(text -> text.contains(",") ? "one address to listen on, not a list" : hostPortProblem(text),
            "HOST:PORT (a DNS name, an IPv4 address such as 0.0.0.0 or [IPv6], port 1..65535)");
    }

    /** Empty (none), or text {@code problem} finds nothing wrong with (it says what is wrong, or null). */
    private static Validator addresses(java.util.function.Function<String, String> problem, String expected)
    {
        return new Validator()
        {
            @Override
            public void ensureValid(Object value)
            {
                String text = ((String)value).strip();
                String why = text.isEmpty() ? null : problem.apply(text);
                if (why != null)
                {
                    throw new IllegalArgumentException(why + "; expected " + expected);
                }
            }

            @Override
            public String describe()
            {
                return "HOST:PORT, [IPv6]:PORT";
            }
        };
    }

    private static final java.util.regex.Pattern DNS_NAME =
        java.util.regex.Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    /** Why {@code server} is not HOST:PORT, or null. */
    static String hostPortProblem(String server)
    {
        if (server.isEmpty())
        {
            return "an empty server";
        }
        int colon = server.lastIndexOf(':');
        if (colon < 0)
        {
            return server + " has no port";
        }
        String host = server.substring(0, colon);
        String port = server.substring(colon + 1);
        if (host.startsWith("["))
        {
            if (!host.endsWith("]") || !IPV6.matcher(host.substring(1, host.length() - 1)).matches() || !host.contains(":"))
            {
                return server + ": " + host + " is not an IPv6 address in brackets";
            }
        }
        else if (host.contains(":"))
        {
            return server + ": an IPv6 address goes in brackets ([" + host + "]:" + port + ")";
        }
        else if (host.matches("[0-9.]+") && !host.matches("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"))
        {
            return server + ": " + host + " is not an IPv4 address";
        }
        else if (!DNS_NAME.matcher(host).matches())
        {
            return server + ": " + (host.isEmpty() ? "no host" : host + " is not a host name or address");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)
        {
            return server + ": port " + (port.isEmpty() ? "missing" : port + " is not 1..65535");
        }
        return null;
    }

    /** A string or list that is not empty (nor, for a string, only white space). */
    public static Validator nonEmpty()
    {
        return value ->
        {
            if (value instanceof String s ? s.isBlank() : value instanceof Collection<?> c && c.isEmpty())
            {
                throw new IllegalArgumentException("must not be empty");
            }
        };
    }

    private static Validator range(long min, long max, java.util.function.LongFunction<String> format)
    {
        return new Validator()
        {
            @Override
            public void ensureValid(Object value)
            {
                long n = ((Number)value).longValue();
                if (n < min || n > max)
                {
                    throw new IllegalArgumentException(
                        "must be between " + format.apply(min) + " and " + format.apply(max));
                }
            }

            @Override
            public String describe()
            {
                return format.apply(min) + ".." + format.apply(max);
            }
        };
    }
}
