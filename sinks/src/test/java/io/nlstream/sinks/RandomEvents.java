package io.nlstream.sinks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Old-model events with everything the encoders have a rule for: strings with quotes, backslashes, control
 * chars, DEL, C1 controls, non-ASCII, paired and lone surrogates, separators the text format uses; empty
 * strings; numbers from Long.MIN_VALUE to Long.MAX_VALUE; nested maps with nulls; lists of strings, of maps
 * (with nulls, nested maps and lists), and mixed; state objects (op null).
 */
final class RandomEvents
{
    private static final String[] WORDS = {"src", "dst", "sport", "dport", "status", "ifname", "a", "b", "x_y", "orig",
        "reply", "nexthops", "gateway", "oif", "weight"};
    private static final char[] SPECIAL = {'"', '\\', '\n', '\r', '\t', '\b', '\f', '\0', 0x01, 0x1f, 0x7f, ' ', '=', ',', '.',
        '{', '}', '[', ']', ':', '/', 0x80, 0x9f, 0xa0, 0xe9, 0xff, 0x100, 0x7ff, 0x800, 0x4e2d, 0xfeff, 0xfffd, 0xffff,
        0xd800, 0xdbff, 0xdc00, 0xdfff};

    private final SplittableRandom random;

    RandomEvents(final SplittableRandom random)
    {
        this.random = random;
    }

    Event event()
    {
        final String op = random.nextInt(4) == 0 ? null : name();
        final Event e = new Event(number(), random.nextLong(), name(), op, number());
        final int fields = random.nextInt(0, 10);
        for (int i = 0; i < fields; i++)
        {
            e.put(key(), value(0));
        }
        return e;
    }

    /** A kind, op or key: mostly a plain word, sometimes any text at all. */
    String name()
    {
        return random.nextInt(8) == 0 ? string() : WORDS[random.nextInt(WORDS.length)];
    }

    private String key()
    {
        return random.nextInt(3) == 0 ? name() + random.nextInt(100) : name();
    }

    long number()
    {
        switch (random.nextInt(8))
        {
            case 0:
                return Long.MIN_VALUE + random.nextInt(0, 3);
            case 1:
                return Long.MAX_VALUE - random.nextInt(0, 3);
            case 2:
                return random.nextLong();
            case 3:
                return -random.nextInt(0, 100_000);
            case 4:
                return random.nextInt(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case 5:
                return Integer.MAX_VALUE + (long)random.nextInt(-2, 3);
            default:
                return random.nextInt(0, 100_000);
        }
    }

    String string()
    {
        final int kind = random.nextInt(10);
        final int length = kind == 0 ? 0 : random.nextInt(0, 14);
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            switch (kind > 5 ? 0 : random.nextInt(5))
            {
                case 0:
                    sb.append((char)random.nextInt(0x21, 0x7f));
                    break;
                case 1:
                    sb.append(SPECIAL[random.nextInt(SPECIAL.length)]);
                    break;
                case 2:
                    sb.append((char)random.nextInt(0, 0x10000));
                    break;
                case 3:
                    sb.appendCodePoint(random.nextInt(0x10000, 0x110000));
                    break;
                default:
                    sb.append((char)random.nextInt(0, 0x80));
            }
        }
        return sb.toString();
    }

    private Object value(final int depth)
    {
        final int kind = random.nextInt(depth > 2 ? 4 : 8);
        switch (kind)
        {
            case 0:
            case 1:
                return string();
            case 2:
                return random.nextBoolean() ? (Object)(int)number() : (Object)number();
            case 3:
                return random.nextBoolean();
            case 4:
                return map(depth + 1, random.nextInt(6) == 0);
            case 5:
                return strings();
            case 6:
                return maps(depth + 1);
            default:
                return mixed(depth + 1);
        }
    }

    private Map<String, Object> map(final int depth, final boolean nulls)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        final int n = random.nextInt(0, 5);
        for (int i = 0; i < n; i++)
        {
            m.put(key(), nulls || random.nextInt(4) == 0 ? (random.nextInt(3) == 0 ? null : value(depth)) : value(depth));
        }
        return m;
    }

    private List<Object> strings()
    {
        final List<Object> l = new ArrayList<>();
        final int n = random.nextInt(0, 5);
        for (int i = 0; i < n; i++)
        {
            l.add(random.nextInt(4) == 0 ? WORDS[random.nextInt(WORDS.length)].toUpperCase() : string());
        }
        return l;
    }

    private List<Object> maps(final int depth)
    {
        final List<Object> l = new ArrayList<>();
        final int n = random.nextInt(0, 4);
        for (int i = 0; i < n; i++)
        {
            l.add(map(depth, true));
        }
        return l;
    }

    private List<Object> mixed(final int depth)
    {
        final List<Object> l = new ArrayList<>();
        final int n = random.nextInt(0, 4);
        for (int i = 0; i < n; i++)
        {
            l.add(random.nextBoolean() ? string() : map(depth, true));
        }
        return l;
    }
}
