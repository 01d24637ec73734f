package io.nlstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nlstream.config.ConfigDef.Type;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each type's conversion and each validator, through a definition made for the test. */
class ConfigDefTest
{
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    private static final ConfigDef DEF = new ConfigDef()
        .command("go", "do it")
        .define(Setting.builder("a.string", Type.STRING).flag("--string").validator(ConfigDef.nonEmpty()))
        .define(Setting.builder("a.int", Type.INT).flag("--int").validator(ConfigDef.between(-5, 1_000_000)))
        .define(Setting.builder("a.long", Type.LONG).flag("--long"))
        .define(Setting.builder("a.boolean", Type.BOOLEAN).flag("--boolean"))
        .define(Setting.builder("a.path", Type.PATH).flag("--path"))
        .define(Setting.builder("an.enum", Type.ENUM).flag("--enum").allowed("text", "json", "FAST_HOURLY"))
        .define(Setting.builder("a.list", Type.LIST).flag("--list").allowed("link", "addr", "route"))
        .define(Setting.builder("a.free-list", Type.LIST).flag("--free-list").validator(ConfigDef.nonEmpty()))
        .define(Setting.builder("a.duration", Type.DURATION).flag("--duration"))
        .define(Setting.builder("a.size", Type.SIZE).flag("--size").validator(ConfigDef.sizeBetween(4096, 2L << 30)))
        .define(Setting.builder("a.time", Type.TIME).flag("--time"));

    static Stream<Arguments> good()
    {
        return Stream.of(
            Arguments.of("--string", "hello world", "hello world"),
            Arguments.of("--int", "42", 42),
            Arguments.of("--int", "-5", -5),
            Arguments.of("--int", "1_000_000", 1_000_000),
            Arguments.of("--long", "-9223372036854775808", Long.MIN_VALUE),
            Arguments.of("--long", "9_223_372_036_854_775_807", Long.MAX_VALUE),
            Arguments.of("--long", "+7", 7L),
            Arguments.of("--boolean", "true", true),
            Arguments.of("--boolean", "FALSE", false),
            Arguments.of("--path", "/var/lib/nlstream", Path.of("/var/lib/nlstream")),
            Arguments.of("--path", "rel/dir", Path.of("rel/dir")),
            Arguments.of("--enum", "json", "json"),
            Arguments.of("--enum", "JSON", "json"),
            Arguments.of("--enum", "fast_hourly", "FAST_HOURLY"),
            Arguments.of("--list", "link", List.of("link")),
            Arguments.of("--list", "route, link,ADDR", List.of("route", "link", "addr")),
            Arguments.of("--list", "link,link", List.of("link")),
            Arguments.of("--free-list", "a,b", List.of("a", "b")),
            Arguments.of("--duration", "500ms", Duration.ofMillis(500)),
            Arguments.of("--duration", "5s", Duration.ofSeconds(5)),
            Arguments.of("--duration", "2m", Duration.ofMinutes(2)),
            Arguments.of("--duration", "1h", Duration.ofHours(1)),
            Arguments.of("--duration", "1d", Duration.ofDays(1)),
            Arguments.of("--duration", "0s", Duration.ZERO),
            Arguments.of("--size", "4096", 4096L),
            Arguments.of("--size", "8k", 8192L),
            Arguments.of("--size", "8K", 8192L),
            Arguments.of("--size", "8KiB", 8192L),
            Arguments.of("--size", "64m", 64L << 20),
            Arguments.of("--size", "64M", 64L << 20),
            Arguments.of("--size", "64MiB", 64L << 20),
            Arguments.of("--size", "2g", 2L << 30),
            Arguments.of("--size", "2GiB", 2L << 30),
            Arguments.of("--size", "1_048_576", 1L << 20),
            Arguments.of("--time", "2026-11-28T10:00:00.000000001Z", 1_795_860_000_000_000_001L),
            Arguments.of("--time", "-1h", 1_795_856_400_000_000_000L));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("good")
    void converts(String flag, String text, Object expected)
    {
        ConfigValues values = DEF.parse("go", new String[] {flag, text}, Map.of(), NOW);
        String name = DEF.settingForFlag(flag).name();
        assertEquals(expected, values.get(name));
        assertEquals(text, values.raw(name));
    }

    static Stream<Arguments> bad()
    {
        return Stream.of(
            Arguments.of("--string", " ", "must not be empty"),
            Arguments.of("--int", "4.2", "not an integer"),
            Arguments.of("--int", "1__000", "not an integer"),
            Arguments.of("--int", "_1", "not an integer"),
            Arguments.of("--int", "0x10", "not an integer"),
            Arguments.of("--int", "-6", "must be between -5 and 1000000"),
            Arguments.of("--int", "2147483648", "not an integer between -2147483648 and 2147483647"),
            Arguments.of("--long", "9223372036854775808", "not an integer between"),
            Arguments.of("--long", "", "not an integer"),
            Arguments.of("--boolean", "yes", "not a boolean; expected true or false"),
            Arguments.of("--path", "", "empty path"),
            Arguments.of("--path", "a\0b", "not a path"),
            Arguments.of("--enum", "xml", "not one of text, json, FAST_HOURLY"),
            Arguments.of("--enum", "", "not one of text, json, FAST_HOURLY"),
            Arguments.of("--list", "", "empty list; expected one or more of link, addr, route"),
            Arguments.of("--list", "link,,addr", "empty element; expected one or more of link, addr, route"),
            Arguments.of("--list", "link,", "empty element"),
            Arguments.of("--list", "link,neighbour", "neighbour is not one of link, addr, route"),
            Arguments.of("--free-list", "", "empty list; expected comma-separated values"),
            Arguments.of("--duration", "5", "not a duration; expected a number with a unit ms, s, m, h or d"),
            Arguments.of("--duration", "5 s", "not a duration"),
            Arguments.of("--duration", "-5s", "not a duration"),
            Arguments.of("--duration", "1.5s", "not a duration"),
            Arguments.of("--duration", "5w", "not a duration"),
            Arguments.of("--duration", "99999999999999999999s", "duration too large"),
            Arguments.of("--size", "12x", "not a size; expected a number of bytes with optional k, M, G, T suffix"),
            Arguments.of("--size", "1.5M", "not a size"),
            Arguments.of("--size", "-1M", "not a size"),
            Arguments.of("--size", "1MB", "not a size"),
            Arguments.of("--size", "1 M", "not a size"),
            Arguments.of("--size", "", "not a size"),
            Arguments.of("--size", "4095", "must be between 4KiB and 2GiB"),
            Arguments.of("--size", "3G", "must be between 4KiB and 2GiB"),
            Arguments.of("--size", "9999999999G", "size too large"),
            Arguments.of("--time", "yesterday", "not a time"));
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("bad")
    void rejects(String flag, String text, String reason)
    {
        UsageException e = assertThrows(UsageException.class,
            () -> DEF.parse("go", new String[] {flag + "=" + text}, Map.of(), NOW));
        String prefix = "Invalid value " + (text.isEmpty() ? "\"\"" : text) + " for configuration "
            + DEF.settingForFlag(flag).name() + " (" + flag + "): ";
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith(prefix + reason), e.getMessage());
    }

    @Test
    void aBooleanFlagAloneMeansTrue()
    {
        assertEquals(true, DEF.parse("go", new String[] {"--boolean"}, Map.of(), NOW).get("a.boolean"));
        assertEquals(true, DEF.parse("go", new String[] {"--boolean", "--int", "1"}, Map.of(), NOW).get("a.boolean"));
    }

    @Test
    void describesRangesForHelp()
    {
        assertEquals("4KiB..2GiB", DEF.setting("a.size").validator().describe());
        assertEquals("-5..1000000", DEF.setting("a.int").validator().describe());
        assertEquals("", DEF.setting("a.long").validator().describe());
    }

    @Test
    void derivesEnvironmentVariablesAndPlaceholders()
    {
        Setting setting = Setting.builder("journal.roll-cycle", Type.ENUM).allowed("A", "B").build();
        assertEquals("NLSTREAM_JOURNAL_ROLL_CYCLE", setting.env());
        assertEquals("A|B", setting.placeholder());
        assertEquals("LIST[,...]", DEF.setting("a.list").placeholder());
        assertEquals("SIZE", DEF.setting("a.size").placeholder());
    }

    @Test
    void rejectsBrokenDefinitions()
    {
        ConfigDef def = new ConfigDef().command("go", "do it")
            .define(Setting.builder("x", Type.INT).flag("--x").env("X"));
        assertThrows(IllegalArgumentException.class, () -> def.define(Setting.builder("x", Type.INT)));
        assertThrows(IllegalArgumentException.class, () -> def.define(Setting.builder("y", Type.INT).flag("--x")));
        assertThrows(IllegalArgumentException.class, () -> def.define(Setting.builder("y", Type.INT).flag("-y")));
        assertThrows(IllegalArgumentException.class, () -> def.define(Setting.builder("y", Type.INT).flag("--help")));
        assertThrows(IllegalArgumentException.class, () -> def.define(Setting.builder("y", Type.INT).env("X")));
        assertThrows(IllegalArgumentException.class, () -> def.define(Setting.builder("y", Type.ENUM)));
        assertThrows(IllegalArgumentException.class, () -> def.define(Setting.builder("y", Type.INT).allowed("1")));
        assertThrows(IllegalArgumentException.class, () -> def.define(Setting.builder("y", Type.INT).commands("stop")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> def.define(
            Setting.builder("y", Type.SIZE).defaultValue("1k").validator(ConfigDef.sizeBetween(4096, 8192))));
        assertEquals("setting y: bad default: must be between 4KiB and 8KiB", e.getMessage());
    }

    /** Two commands that share --follow/-f through two settings, and a third that has neither. */
    private static final ConfigDef SHARED = new ConfigDef()
        .command("tail", "print what is appended")
        .command("ship", "send it elsewhere")
        .command("count", "count it")
        .define(Setting.builder("tail.follow", Type.BOOLEAN).flag("--follow").shortFlag("-f").defaultValue("false")
            .commands("tail").doc("Keep printing."))
        .define(Setting.builder("ship.follow", Type.BOOLEAN).flag("--follow").shortFlag("-f").defaultValue("false")
            .commands("ship").doc("Keep shipping."))
        .define(Setting.builder("kind", Type.LIST).flag("--kind").shortFlag("-k").allowed("link", "addr", "conn")
            .commands("tail", "ship").doc("Kinds."))
        .define(Setting.builder("port", Type.LIST).flag("--port").doc("Ports."))
        .define(Setting.builder("dir", Type.PATH).flag("--dir").shortFlag("-d").doc("Directory."))
        .define(Setting.builder("offset", Type.INT).flag("--offset").doc("Offset."));

    private static ConfigValues shared(String command, String... args)
    {
        return SHARED.parse(command, args, Map.of(), NOW);
    }

    private static List<String> sharedProblems(String command, String... args)
    {
        return assertThrows(UsageException.class, () -> shared(command, args)).problems();
    }

    @Test
    void aShortFlagIsItsLongFlag()
    {
        ConfigValues values = shared("tail", "-k", "conn", "-d", "/tmp/j");
        assertEquals(List.of("conn"), values.get("kind"));
        assertEquals(Path.of("/tmp/j"), values.get("dir"));
        assertEquals(Path.of("/tmp/j"), shared("tail", "-d=/tmp/j").get("dir"));
        assertEquals(List.of("addr"), shared("ship", "-k", "ADDR").get("kind"));
    }

    @Test
    void aBooleanShortFlagTakesNoValue()
    {
        assertEquals(true, shared("tail", "-f").get("tail.follow"));
        assertEquals(true, shared("tail", "-f", "-k", "link").get("tail.follow"));
        assertEquals(false, shared("tail", "--follow", "false").get("tail.follow"));
        assertEquals(List.of("Unexpected argument 'false' for command 'tail'"), sharedProblems("tail", "-f", "false"));
    }

    @Test
    void shortFlagsAreNotValuesButNegativeNumbersAre()
    {
        assertEquals(List.of("Option --dir (dir) requires a value: --dir PATH"), sharedProblems("tail", "--dir", "-f"));
        assertEquals(List.of("Option -k (kind) requires a value: -k KIND[,...]"), sharedProblems("tail", "-k"));
        assertEquals(-5, shared("tail", "--offset", "-5").get("offset"));
    }

    @Test
    void problemsThroughAShortFlagNameTheLongFlag()
    {
        assertEquals(List.of("Invalid value neigh for configuration kind (--kind): neigh is not one of link, addr, conn"),
            sharedProblems("tail", "-k", "neigh"));
        assertEquals(List.of("Unknown option -x for command 'tail'"), sharedProblems("tail", "-x", "1"));
    }

    @Test
    void aSharedFlagMeansTheSettingOfTheCommand()
    {
        ConfigValues tail = shared("tail", "--follow");
        assertEquals(true, tail.get("tail.follow"));
        assertEquals(false, tail.get("ship.follow"));
        ConfigValues ship = shared("ship", "-f");
        assertEquals(false, ship.get("tail.follow"));
        assertEquals(true, ship.get("ship.follow"));
        assertEquals("ship.follow", SHARED.settingForFlag("ship", "--follow").name());
        assertEquals("tail.follow", SHARED.settingForFlag("tail", "-f").name());
        assertEquals(null, SHARED.settingForFlag("count", "-f"));
        assertEquals("tail.follow", SHARED.settingForFlag("--follow").name());
        assertEquals(List.of("tail.follow", "ship.follow"),
            SHARED.settingsForFlag("-f").stream().map(Setting::name).toList());
        assertEquals("NLSTREAM_TAIL_FOLLOW", SHARED.setting("tail.follow").env());
        assertEquals(true, SHARED.parse("ship", new String[0], Map.of("NLSTREAM_SHIP_FOLLOW", "true",
            "NLSTREAM_TAIL_FOLLOW", "junk"), NOW).get("ship.follow"));
    }

    @Test
    void aSharedFlagForAnotherCommandSaysWhichCommandsItIsFor()
    {
        assertEquals(List.of(
            "Option --follow (tail.follow, ship.follow) is not valid for command 'count'; it applies to tail, ship",
            "Option -f (tail.follow, ship.follow) is not valid for command 'count'; it applies to tail, ship",
            "Option -k (kind) is not valid for command 'count'; it applies to tail, ship"),
            sharedProblems("count", "--follow", "-f", "-k", "conn"));
    }

    @Test
    void aRepeatedListFlagAddsToTheListDroppingRepeats()
    {
        ConfigValues values = shared("tail", "-k", "conn", "--kind", "link,conn", "--port=80", "--port", "443",
            "-k", "CONN,addr");
        assertEquals(List.of("conn", "link", "addr"), values.get("kind"));
        assertEquals("conn,link,conn,CONN,addr", values.raw("kind"));
        assertEquals(List.of("80", "443"), values.get("port"));
        // other types take one value: given twice, a usage error naming both (issue 13)
        assertEquals(List.of("Option --dir (dir) takes one value but was given twice: -d /a and --dir /b"),
            sharedProblems("tail", "-d", "/a", "--dir", "/b"));
        assertEquals(List.of("Invalid value link,neigh for configuration kind (--kind): neigh is not one of link,"
            + " addr, conn"), sharedProblems("tail", "--kind", "link", "--kind", "neigh"));
    }

    @Test
    void eachElementNamesEveryBadElement()
    {
        ConfigDef def = new ConfigDef().command("go", "do it")
            .define(Setting.builder("digits", Type.LIST).flag("--digits").validator(ConfigDef.eachElement(e ->
            {
                if (!e.matches("\\d+"))
                {
                    throw new IllegalArgumentException(e + " is not digits");
                }
            }, "decimal digits")));
        assertEquals(List.of("1", "23"), def.parse("go", new String[] {"--digits", "1,23"}, Map.of(), NOW).get("digits"));
        UsageException e = assertThrows(UsageException.class,
            () -> def.parse("go", new String[] {"--digits", "1,x,2,y"}, Map.of(), NOW));
        assertEquals(List.of("Invalid value 1,x,2,y for configuration digits (--digits): x is not digits;"
            + " y is not digits; expected decimal digits"), e.problems());
    }

    @Test
    void settingsWithoutAValuePrintEmpty()
    {
        ConfigDef def = new ConfigDef().command("go", "do it")
            .define(Setting.builder("a.list", Type.LIST).flag("--list"))
            .define(Setting.builder("a.size", Type.SIZE).flag("--size"))
            .define(Setting.builder("a.time", Type.TIME).flag("--time"));
        assertEquals("go a.list= a.size= a.time=", def.parse("go", new String[0], Map.of(), NOW).toString());
    }

    @Test
    void rejectsClashingShortAndSharedFlags()
    {
        ConfigDef def = new ConfigDef().command("a", "A").command("b", "B")
            .define(Setting.builder("a.follow", Type.BOOLEAN).flag("--follow").shortFlag("-f").commands("a"));
        assertThrows(IllegalArgumentException.class, () -> def.define(
            Setting.builder("b.follow", Type.BOOLEAN).flag("--follow").commands("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> def.define(
            Setting.builder("b.follow", Type.BOOLEAN).flag("--follow")));
        assertThrows(IllegalArgumentException.class, () -> def.define(
            Setting.builder("b.fast", Type.BOOLEAN).flag("--fast").shortFlag("-f")));
        for (String bad : new String[] {"-ff", "--f", "-1", "-h", "f", "-"})
        {
            assertThrows(IllegalArgumentException.class, () -> def.define(
                Setting.builder("b.x", Type.BOOLEAN).flag("--x").shortFlag(bad).commands("b")), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> def.define(
            Setting.builder("b.x", Type.BOOLEAN).shortFlag("-x").commands("b")), "a short flag needs a flag");
        def.define(Setting.builder("b.follow", Type.BOOLEAN).flag("--follow").shortFlag("-f").commands("b"));
        assertEquals(2, def.settingsForFlag("--follow").size());
    }
}
