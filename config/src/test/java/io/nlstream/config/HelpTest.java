package io.nlstream.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest
{
    @Test
    void listsEveryCommand()
    {
        String usage = Help.usage();
        for (String command : NlstreamConfig.DEF.commands().keySet())
        {
            assertTrue(usage.contains("\n  " + command + " "), command);
        }
        assertTrue(usage.contains("nlstream COMMAND --help"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "replay", "state", "stats", "forward"})
    void showsEveryFlagOfTheCommandAndNoOther(String command)
    {
        String usage = Help.usage(command);
        for (Setting setting : NlstreamConfig.DEF.settings())
        {
            String option = "\n  " + (setting.shortFlag() == null ? "" : setting.shortFlag() + ", ") + setting.flag()
                + " " + setting.placeholder();
            // --follow is replay.follow's for replay and forward.follow's for forward: the same line for either
            boolean sharedWithOneThatApplies = NlstreamConfig.DEF.settingForFlag(command, setting.flag()) != null;
            assertTrue(usage.contains(option) == (setting.appliesTo(command) || sharedWithOneThatApplies),
                setting.flag() + " in\n" + usage);
            assertTrue(usage.contains("config key " + setting.name() + ",") == setting.appliesTo(command),
                setting.name());
            // whole words: NLSTREAM_AT is a prefix of NLSTREAM_ATTRIBUTION_ENABLED
            assertTrue(java.util.regex.Pattern.compile("\\b" + setting.env() + "\\b").matcher(usage).find() == setting.appliesTo(command),
                setting.env());
        }
        assertTrue(usage.contains("--config FILE"));
        assertTrue(usage.contains("-h, --help"));
        assertFalse(usage.lines().anyMatch(line -> line.length() > 100), usage);
    }

    @Test
    void showsDefaultsRangesAndChoices()
    {
        String run = Help.usage("run");
        assertTrue(run.contains("--rcvbuf SIZE"));
        assertTrue(run.contains("range: 4KiB..2GiB; default: 64MiB"), run);
        assertTrue(run.contains("--stdout FORMAT"), run);
        assertTrue(run.contains("one of: text, json, kv, none; default: text"), run);
        assertTrue(run.contains("one of: FIVE_MINUTELY"), run);
        assertTrue(run.contains("SIZE: bytes"));
        assertTrue(Help.usage("replay").contains("TIME: RFC 3339"));
        assertTrue(Help.usage("replay").contains("--kind KIND[,...]"));
        assertFalse(Help.usage("stats").contains("TIME:"));
    }

    @Test
    void showsShortFlagsAndTheFollowOfEachCommand()
    {
        String replay = Help.usage("replay");
        assertTrue(replay.contains("\n  -j, --journal PATH "), replay);
        assertTrue(replay.contains("\n  -k, --kind KIND[,...] "), replay);
        assertTrue(replay.contains("\n  -f, --follow true|false   Keep printing what is journalled as it arrives"), replay);
        assertTrue(replay.replaceAll("\\s+", " ").contains("(from --since, else from now), as journalctl -f does;"
            + " until SIGTERM/SIGINT."), replay);
        assertTrue(replay.contains("config key replay.follow, env NLSTREAM_REPLAY_FOLLOW"), replay);
        assertFalse(replay.contains("forward.follow"), replay);
        String forward = Help.usage("forward");
        assertTrue(forward.contains("\n  -f, --follow true|false   Keep forwarding what is appended"), forward);
        assertTrue(forward.contains("config key forward.follow, env NLSTREAM_FORWARD_FOLLOW"), forward);
        assertFalse(forward.contains("replay.follow"), forward);
        assertFalse(Help.usage("state").contains("--follow"));
    }

    @Test
    void showsFiltersAndSnapshots()
    {
        String replay = Help.usage("replay");
        for (String option : new String[] {"--proto PROTO[,...]", "--port PORT[,...]", "--ip IP[,...]",
            "--in-netns NETNS[,...]", "--ifname IFNAME[,...]", "--op OP[,...]", "--pid PID[,...]",
            "--comm COMM[,...]", "--snapshots true|false", "--snapshot-interval DURATION", "--snapshot-entries N"})
        {
            assertTrue(replay.contains("\n  " + option), option + " in\n" + replay);
        }
        assertTrue(replay.contains("any of: new, del, update, destroy, overrun"), replay);
        assertTrue(replay.contains("config key filter.in-netns, env NLSTREAM_FILTER_IN_NETNS"), replay);
        String words = replay.replaceAll("\\s+", " "); // as read, without the line breaks
        assertTrue(words.contains("--netns keeps its meaning (the namespace run captures); --in-netns selects"
            + " events by namespace."), replay);
        assertTrue(replay.contains("range: 1000ms..86400s; default: 60s"), replay);
        assertTrue(replay.contains("range: 1000..1000000000; default: 1000000"), replay);
        assertTrue(replay.contains("Filters (--proto to --comm): an event is shown if it matches one value of each"
            + " filter given."), replay);
        assertTrue(replay.contains("a list option given more than once adds to its list"), replay);
        String state = Help.usage("state");
        assertFalse(state.contains("--op"), state);
        assertTrue(state.contains("\n  --pid PID[,...]"), state);
        String stats = Help.usage("stats");
        assertFalse(stats.contains("Filters") || stats.contains("--proto") || stats.contains("list option"), stats);
        assertTrue(stats.contains("\n  --snapshots true|false"), stats);
    }

    @Test
    void unknownCommand()
    {
        assertThrows(IllegalArgumentException.class, () -> Help.usage("fwd"));
    }
}
