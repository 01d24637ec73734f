package io.nlstream.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One {@link ConfigDef#parse} call: gathers text from each source in precedence order, then converts it. */
final class ConfigParser
{
    static final String CONFIG = "--config";
    static final String HELP = "--help";
    private static final Pattern SHORT_OPTION = Pattern.compile("-[A-Za-z](=.*)?", Pattern.DOTALL);

    private final ConfigDef def;
    private final String command;
    private final Clock clock;
    private final Map<String, String> raw = new LinkedHashMap<>();
    private final Map<String, String> origins = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> passthrough = new LinkedHashMap<>();
    private boolean onCommandLine;

    ConfigParser(ConfigDef def, String command, Clock clock)
    {
        this.def = def;
        this.command = command;
        this.clock = clock;
    }

    ConfigValues parse(String[] args, Map<String, String> env)
    {
        if (!def.commands().containsKey(command))
        {
            throw new UsageException(List.of("Unknown command '" + command + "'; expected one of "
                + String.join(", ", def.commands().keySet())));
        }
        for (Setting setting : def.settings())
        {
            if (setting.defaultValue() != null)
            {
                put(setting, setting.defaultValue(), "default");
            }
        }
        List<String> files = new ArrayList<>();
        Map<Setting, String> flags = new LinkedHashMap<>();
        boolean help = readArgs(args, files, flags);
        if (help)
        {
            problems.clear();
            return values(true);
        }
        files.forEach(this::readFile);
        for (Setting setting : def.settings(command))
        {
            String value = env.get(setting.env());
            if (value != null && !value.isEmpty())
            { // an empty variable is unset, as container specs often leave them
                put(setting, value, "env " + setting.env());
            }
        }
        flags.forEach((setting, value) -> put(setting, value, setting.flag()));
        ConfigValues values = values(false);
        for (ConfigDef.Rule rule : def.rules())
        { // settings that failed above are absent, as if unset
            try
            {
                rule.check(values);
            }
            catch (ConfigException e)
            {
                problems.addAll(e.problems());
                onCommandLine |= e instanceof UsageException;
            }
        }
        if (!problems.isEmpty())
        {
            throw onCommandLine ? new UsageException(problems) : new ConfigException(problems);
        }
        return values;
    }

    /** @return whether help was asked for */
    private boolean readArgs(String[] args, List<String> files, Map<Setting, String> flags)
    {
        boolean help = false;
        Map<Setting, String> given = new HashMap<>(); // the flag (long or short) that gave each single value
        for (int i = 0; i < args.length; i++)
        {
            String arg = args[i];
            if (arg.equals(HELP) || arg.equals("-h"))
            {
                help = true;
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-"))
            {
                usageProblem("Unexpected argument '" + arg + "' for command '" + command + "'");
                continue;
            }
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? null : arg.substring(eq + 1);
            Setting setting = def.settingForFlag(command, flag);
            List<Setting> elsewhere = setting == null ? def.settingsForFlag(flag) : List.of();
            Setting any = setting != null ? setting : elsewhere.isEmpty() ? null : elsewhere.get(0);
            // A boolean's short flag stands alone: "-f -k conn", "-f stray".
            boolean takesNoValue = any != null && any.type() == ConfigDef.Type.BOOLEAN && flag.equals(any.shortFlag());
            // Taken even for an unknown option, so that "--colour always" is one mistake, not two.
            if (value == null && !takesNoValue && i + 1 < args.length && isValue(args[i + 1]))
            {
                value = args[++i];
            }
            if (any == null && !flag.equals(CONFIG))
            {
                usageProblem("Unknown option " + flag + " for command '" + command + "'" + suggestion(flag));
            }
            else if (setting == null && any != null)
            {
                usageProblem("Option " + flag + " (" + String.join(", ", elsewhere.stream().map(Setting::name).toList())
                    + ") is not valid for command '" + command + "'; it applies to " + String.join(", ",
                        def.commands().keySet().stream().filter(c -> elsewhere.stream().anyMatch(s -> s.appliesTo(c)))
                            .toList()));
            }
            else if (value == null && setting != null && setting.type() == ConfigDef.Type.BOOLEAN)
            {
                putOnce(flags, given, setting, flag, "true");
            }
            else if (value == null)
            {
                usageProblem(setting == null ? "Option " + CONFIG + " requires a value: " + CONFIG + " FILE"
                    : "Option " + flag + " (" + setting.name() + ") requires a value: " + flag + " "
                        + setting.placeholder());
            }
            else if (setting == null)
            {
                files.add(value);
            }
            else if (setting.type() == ConfigDef.Type.LIST)
            {
                flags.merge(setting, value, (before, more) -> before + "," + more); // repeats are dropped later
            }
            else
            {
                putOnce(flags, given, setting, flag, value);
            }
        }
        return help;
    }

    /**
     * A single-valued option takes one value: given twice, which one was meant is a guess (a script that appends
     * its own --journal to a user's), so it is a usage error naming both rather than the last one silently winning.
     */
    private void putOnce(Map<Setting, String> flags, Map<Setting, String> given, Setting setting, String flag, String value)
    {
        String before = flags.putIfAbsent(setting, value);
        if (before == null)
        {
            given.put(setting, flag);
            return;
        }
        String first = given.get(setting);
        usageProblem("Option " + flag + " (" + setting.name() + ") takes one value but was given twice: "
            + first + " " + before + " and " + flag + " " + value);
    }

    /**
     * Options are never values ({@code --anything}, {@code -h}, or a dash and one letter such as {@code -k}), but
     * negative numbers and relative times such as {@code -5m} are.
     */
    private static boolean isValue(String arg)
    {
        return !arg.startsWith("--") && !arg.equals("-h") && !SHORT_OPTION.matcher(arg).matches();
    }

    /**
     * A relative path in a config file means a path beside the file (as a systemd unit's config in /etc/nlstream
     * names its journal), not one under whatever directory the process started in.
     */
    private static String relativeToFile(Setting setting, String value, String file)
    {
        if (setting.type() != ConfigDef.Type.PATH || value == null)
        {
            return value;
        }
        String v = value.strip();
        if (v.isEmpty() || v.startsWith("/") || v.startsWith("~"))
        {
            return value;
        }
        java.nio.file.Path dir = java.nio.file.Path.of(file).toAbsolutePath().getParent();
        return dir == null ? value : dir.resolve(v).normalize().toString();
    }

    private void readFile(String file)
    {
        List<String> lines;
        try
        {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException e)
        {
            usageProblem("Config file " + file + " (" + CONFIG + ") does not exist");
            return;
        }
        catch (AccessDeniedException e)
        {
            usageProblem("Config file " + file + " (" + CONFIG + ") cannot be read: permission denied");
            return;
        }
        catch (CharacterCodingException e)
        {
            usageProblem("Config file " + file + " (" + CONFIG + ") cannot be read: not UTF-8");
            return;
        }
        catch (IOException | InvalidPathException e)
        {
            usageProblem("Config file " + file + " (" + CONFIG + ") cannot be read: " + e.getMessage());
            return;
        }
        // Properties loses line numbers, so feed it one logical line (with its continuations) at a time.
        for (int start = 0; start < lines.size();)
        {
            int end = start;
            String first = lines.get(start).stripLeading();
            boolean comment = first.isEmpty() || first.startsWith("#") || first.startsWith("!");
            while (!comment && end + 1 < lines.size() && continues(lines.get(end)))
            {
                end++;
            }
            String where = file + " line " + (start + 1);
            Properties entry = new Properties();
            try
            {
                entry.load(new StringReader(String.join("\n", lines.subList(start, end + 1))));
            }
            catch (IOException | IllegalArgumentException e)
            {
                problems.add("Malformed line in " + where + ": " + e.getMessage());
            }
            for (String key : entry.stringPropertyNames())
            {
                Setting setting = def.setting(key);
                Setting shadowing = setting == null ? def.shadowing(key) : null;
                if (shadowing != null)
                {
                    problems.add("Configuration " + key + " in " + where + " is what " + shadowing.name()
                        + (shadowing.flag() == null ? "" : " (" + shadowing.flag() + ")") + " sets: set " + shadowing.name() + " instead");
                }
                else if (setting == null && def.passthroughPrefixes().keySet().stream().anyMatch(key::startsWith))
                {
                    passthrough.put(key, entry.getProperty(key));
                }
                else if (setting == null)
                {
                    problems.add("Unknown configuration " + key + " in " + where + suggestion(key));
                }
                else if (setting.appliesTo(command))
                {
                    put(setting, relativeToFile(setting, entry.getProperty(key), file), where);
                }
            }
            start = end + 1;
        }
    }

    /** A line continues on the next if it ends in an odd number of backslashes. */
    private static boolean continues(String line)
    {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--)
        {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private void put(Setting setting, String value, String origin)
    {
        raw.put(setting.name(), value);
        origins.put(setting.name(), origin);
    }

    private ConfigValues values(boolean help)
    {
        Map<String, Object> values = new HashMap<>();
        for (Setting setting : def.settings())
        {
            String text = raw.get(setting.name());
            if (text == null)
            {
                continue;
            }
            String origin = origins.get(setting.name());
            try
            {
                Object value = ConfigDef.convert(setting, text, clock);
                setting.validator().ensureValid(value);
                values.put(setting.name(), value);
            }
            catch (IllegalArgumentException e)
            {
                String problem = ConfigValues.message(setting, text, origin, e.getMessage());
                if (origin.equals(setting.flag()))
                {
                    usageProblem(problem);
                }
                else
                {
                    problems.add(problem);
                }
            }
        }
        return new ConfigValues(def, command, help, values, Map.copyOf(raw), Map.copyOf(origins), Map.copyOf(passthrough));
    }

    private void usageProblem(String problem)
    {
        problems.add(problem);
        onCommandLine = true;
    }

    /** {@code "; did you mean --format?"} if exactly one flag or setting name is a typo away, else "". */
    private String suggestion(String typo)
    {
        Stream<String> candidates = typo.startsWith("-")
            ? Stream.concat(def.settings(command).stream().map(Setting::flag), Stream.of(CONFIG, HELP))
            : def.settings().stream().map(Setting::name);
        List<String> close = candidates.filter(c -> c != null && distance(c, typo) <= (typo.length() > 6 ? 2 : 1))
            .toList();
        return close.size() == 1 ? "; did you mean " + close.get(0) + "?" : "";
    }

    /** Edit distance counting a swap of neighbours as one edit (optimal string alignment). */
    static int distance(String a, String b)
    {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++)
        {
            for (int j = 0; j <= b.length(); j++)
            {
                if (i == 0 || j == 0)
                {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

