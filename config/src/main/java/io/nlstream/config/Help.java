package io.nlstream.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Usage text for {@code nlstream --help} and {@code nlstream CMD --help}, generated from {@link NlstreamConfig#DEF}. */
public final class Help
{
    private static final String PROGRAM = "nlstream";
    private static final int COLUMN = 28;
    private static final int WIDTH = 100;

    private Help()
    {
    }

    /** The commands, one line each. */
    public static String usage()
    {
        StringBuilder out = new StringBuilder("Usage: " + PROGRAM + " COMMAND [OPTIONS]\n\n")
            .append("Record the kernel's netlink messages into a journal; interpret them on read.\n\n")
            .append("Commands:\n");
        NlstreamConfig.DEF.commands().forEach((command, doc) -> out.append("  ").append(command)
            .append(" ".repeat(10 - command.length())).append(doc).append('\n'));
        return out.append("\nRun '").append(PROGRAM).append(" COMMAND --help' for the options of a command, '")
            .append(PROGRAM).append(" --version' for its version and Java's.\n")
            .toString();
    }

    /**
     * The options of {@code command}: flag, value, doc, default and allowed values, config file key and
     * environment variable.
     *
     * @throws IllegalArgumentException if there is no such command
     */
    public static String usage(String command)
    {
        ConfigDef def = NlstreamConfig.DEF;
        String doc = def.commands().get(command);
        if (doc == null)
        {
            throw new IllegalArgumentException("no command " + command);
        }
        StringBuilder out = new StringBuilder("Usage: " + PROGRAM + " " + command + " [OPTIONS]\n\n")
            .append(Character.toUpperCase(doc.charAt(0))).append(doc.substring(1)).append(".\n\nOptions:\n");
        Set<ConfigDef.Type> types = new LinkedHashSet<>();
        for (Setting setting : def.settings(command))
        {
            if (setting.flag() == null)
            {
                continue;
            }
            types.add(setting.type());
            List<String> facts = new ArrayList<>();
            if (!setting.allowed().isEmpty() && !setting.placeholder().contains("|"))
            {
                facts.add((setting.type() == ConfigDef.Type.LIST ? "any of: " : "one of: ")
                    + String.join(", ", setting.allowed()));
            }
            if (!setting.validator().describe().isEmpty())
            {
                facts.add("range: " + setting.validator().describe());
            }
            if (setting.defaultValue() != null && !setting.defaultValue().isEmpty())
            {
                facts.add("default: " + setting.defaultValue());
            }
            String flags = setting.shortFlag() == null ? setting.flag() : setting.shortFlag() + ", " + setting.flag();
            out.append(row(flags + " " + setting.placeholder(), setting.doc()));
            if (!facts.isEmpty())
            {
                out.append(row("", String.join("; ", facts)));
            }
            out.append(row("", "config key " + setting.name() + ", env " + setting.env()));
        }
        out.append(row(ConfigParser.CONFIG + " FILE", "Read settings from a Java properties file (keys as above)."))
            .append(row("-h, " + ConfigParser.HELP, "Show this help."))
            .append("\nLater sources win: defaults, --config files, environment, options.\n");
        List<String> filters = def.settings(command).stream().filter(x -> x.name().startsWith(NlstreamConfig.FILTER))
            .map(Setting::flag).toList();
        if (!filters.isEmpty())
        {
            out.append("Filters (").append(filters.get(0)).append(" to ").append(filters.get(filters.size() - 1))
                .append("): an event is shown if it matches one value of each filter given.\n");
        }
        if (types.contains(ConfigDef.Type.LIST))
        {
            out.append("Lists are comma-separated; a list option given more than once adds to its list.\n");
        }
        NlstreamConfig.DEF.passthroughPrefixes().forEach((prefix, what) ->
        {
            String family = prefix.substring(0, prefix.indexOf('.') + 1);
            if (NlstreamConfig.DEF.settings(command).stream().anyMatch(x -> x.name().startsWith(family)))
            {
                out.append("Config file keys ").append(prefix).append("*: ").append(what).append('\n');
            }
        });
        Map<ConfigDef.Type, String> notes = Map.of(
            ConfigDef.Type.TIME, "TIME: RFC 3339 (2026-11-28T10:00:00.123456789+02:00), now, or relative:"
                + " -250ms, -30s, -5m, -1h, -2d.\n      (5m, without the sign, is 5m ago too.)",
            ConfigDef.Type.SIZE, "SIZE: bytes, with an optional k, M, G or T suffix (powers of 1024), e.g. 64M.",
            ConfigDef.Type.DURATION, "DURATION: a number and a unit ms, s, m, h or d, e.g. 500ms.");
        for (ConfigDef.Type type : types)
        {
            if (notes.containsKey(type))
            {
                out.append(notes.get(type)).append('\n');
            }
        }
        return out.toString();
    }

    /** {@code left} in the first column, {@code right} word-wrapped in the second. */
    private static String row(String left, String right)
    {
        StringBuilder out = new StringBuilder("  ").append(left);
        if (left.length() + 3 > COLUMN)
        {
            out.append('\n').append(" ".repeat(COLUMN));
        }
        else
        {
            out.append(" ".repeat(COLUMN - 2 - left.length()));
        }
        int lineLength = COLUMN;
        for (String word : right.split(" "))
        {
            if (lineLength > COLUMN && lineLength + 1 + word.length() > WIDTH)
            {
                out.append('\n').append(" ".repeat(COLUMN));
                lineLength = COLUMN;
            }
            else if (lineLength > COLUMN)
            {
                out.append(' ');
                lineLength++;
            }
            out.append(word);
            lineLength += word.length();
        }
        return out.append('\n').toString();
    }
}
