package io.nlstream.monitor.read;

import io.nlstream.sinks.ByteFieldWriter;
import io.nlstream.sinks.JsonFieldWriter;
import io.nlstream.sinks.TextFieldWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two states of the journal ({@code diff --from T1 --to T2}): the objects added, removed
 * and changed, by kind, each once, in the order of their latest records. Objects are matched by identity (the
 * object tables' keys, so the same identity {@code state} uses); an object whose latest record is the same in
 * both states is unchanged without being read; otherwise both records are read from the journal and compared
 * field by field, as {@code state} prints them, leaving out the fields that change by themselves (a flow's
 * timeout and counters, an address's lifetimes, a socket's queues, rtt and counters) unless asked for all.
 *
 * <p>JSON, one object per line: {@code {"change":"added"|"removed"|"changed","kind":KIND,"key":KEY,
 * "before":OBJECT|null,"after":OBJECT|null,"fields":[NAMES]}} with {@code before}/{@code after} in the
 * {@code state} shape and {@code fields} the top-level fields that differ (empty for added and removed). Text:
 * {@code + }/{@code - } and the object as {@code state} prints it, or {@code ~ KIND KEY: FIELD OLD -> NEW; ...}.
 */
public final class StateDiff
{
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final int ADDED = 0;
    private static final int REMOVED = 1;
    private static final int CHANGED = 2;
    private static final String[] CHANGES = {"added", "removed", "changed"};

    /** Fields left out of the comparison unless all are asked for: they change without anything happening. */
    static final Map<Kind, Set<String>> VOLATILE = Map.of(
        Kind.CONN, Set.of("timeout", "counters", "use"),
        Kind.ADDR, Set.of("valid_lft", "preferred_lft"),
        Kind.SOCK, Set.of("rqueue", "wqueue", "rtt_us", "rttvar_us", "retransmits", "total_retrans", "bytes_acked",
            "bytes_received"));

    /** Fields the kernel leaves out of some messages when they are 0: absent and 0 are the same value. */
    static final Map<Kind, Set<String>> ABSENT_IS_ZERO = Map.of(Kind.CONN, Set.of("mark", "zone"));

    /** The fields that make an object's key, as {@code key} shows it after {@code netns=}. */
    static final Map<Kind, List<String>> KEY_FIELDS = Map.of(
        Kind.LINK, List.of("ifindex"),
        Kind.ADDR, List.of("ifindex", "address", "prefixlen"),
        Kind.ROUTE, List.of("table", "dst", "tos", "metric", "oif"),
        Kind.NEIGH, List.of("ifindex", "address"),
        Kind.CONN, List.of("zone", "proto", "orig"),
        Kind.SOCK, List.of("cookie"));

    private final StateView before;
    private final StateView after;
    private final boolean allFields;
    private final boolean json;
    private final OutputStream out;
    private final JsonFieldWriter beforeJson = new JsonFieldWriter();
    private final JsonFieldWriter afterJson = new JsonFieldWriter();
    private final ByteFieldWriter text = new TextFieldWriter();
    private final StringBuilder sb = new StringBuilder();
    private long changes;

    // one kind's changes, sorted by the journal index of the record that shows them
    private long[] order = new long[64];
    private long[] refs = new long[64];
    private int[] types = new int[64];
    private long[] namespaces = new long[64];
    private int[] slotsBefore = new int[64];
    private int[] slotsAfter = new int[64];
    private int count;

    private StateDiff(final StateView before, final StateView after, final boolean allFields, final String format, final OutputStream out)
    {
        this.before = before;
        this.after = after;
        this.allFields = allFields;
        this.json = "json".equals(format);
        this.out = out;
    }

    /**
     * Writes the difference between two pipelines' states (each read to its instant) to {@code out}, through
     * the filters of the pipelines (an object passes when it passes before or after).
     *
     * @param format "json" or "text"
     * @return how many objects differ
     */
    public static long write(final ReadPipeline from, final ReadPipeline to, final Set<Kind> kinds, final boolean allFields,
        final String format, final OutputStream out) throws IOException
    {
        final StateDiff diff = new StateDiff(from.state(), to.state(), allFields, format, out);
        for (final Kind kind : Kind.values())
        {
            if (kind.hasObjects() && kinds.contains(kind))
            {
                diff.kind(kind);
            }
        }
        out.flush();
        return diff.changes;
    }

    private void kind(final Kind kind) throws IOException
    {
        count = 0;
        final Tables a = before.policy().tables;
        final Tables b = after.policy().tables;
        final TreeSet<Long> all = new TreeSet<>(a.namespaces());
        all.addAll(b.namespaces());
        for (final long netns : all)
        {
            final ObjectTable ta = a.find(netns, kind);
            final ObjectTable tb = b.find(netns, kind);
            if (ta != null)
            {
                for (int slot = 0; slot < ta.capacity(); slot++)
                {
                    if (!ta.occupied(slot))
                    {
                        continue;
                    }
                    final int other = tb == null ? -1 : tb.find(ta.key(slot), ObjectTable.check(ta.meta(slot)));
                    if (other < 0)
                    {
                        add(REMOVED, ta.value(slot), netns, slot, -1);
                    }
                    else if (ta.value(slot) != tb.value(other) || besideTheRecord(kind, netns, ta, slot, tb, other))
                    {
                        add(CHANGED, tb.value(other), netns, slot, other);
                    }
                }
            }
            if (tb != null)
            {
                for (int slot = 0; slot < tb.capacity(); slot++)
                {
                    if (tb.occupied(slot) && (ta == null || ta.find(tb.key(slot), ObjectTable.check(tb.meta(slot))) < 0))
                    {
                        add(ADDED, tb.value(slot), netns, -1, slot);
                    }
                }
            }
        }
        for (int i = 0; i < count; i++)
        {
            refs[i] = i;
        }
        LongPairSort.sort(order, refs, count);
        for (int i = 0; i < count; i++)
        {
            final int r = (int)refs[i];
            write(kind, types[r], namespaces[r], slotsBefore[r], slotsAfter[r]);
        }
    }

    /**
     * With the same latest record, what the state adds may still differ: the owner, a link's M-DOWN. True sends
     * the object to the field comparison, which decides.
     */
    private boolean besideTheRecord(final Kind kind, final long netns, final ObjectTable ta, final int sa, final ObjectTable tb,
        final int sb)
    {
        switch (kind)
        {
            case SOCK:
            case CONN:
                return before.policy().ownerOfObject(netns, kind, ta, sa) != after.policy().ownerOfObject(netns, kind, tb, sb);
            case LINK:
                return before.lowerIsDown(netns, ta, sa) != after.lowerIsDown(netns, tb, sb);
            default:
                return false;
        }
    }

    private void add(final int type, final long index, final long netns, final int slotBefore, final int slotAfter)
    {
        if (count == order.length)
        {
            final int n = count * 2;
            order = Arrays.copyOf(order, n);
            refs = Arrays.copyOf(refs, n);
            types = Arrays.copyOf(types, n);
            namespaces = Arrays.copyOf(namespaces, n);
            slotsBefore = Arrays.copyOf(slotsBefore, n);
            slotsAfter = Arrays.copyOf(slotsAfter, n);
        }
        order[count] = index;
        types[count] = type;
        namespaces[count] = netns;
        slotsBefore[count] = slotBefore;
        slotsAfter[count] = slotAfter;
        count++;
    }

    private void write(final Kind kind, final int type, final long netns, final int slotBefore, final int slotAfter) throws IOException
    {
        boolean passes = false;
        beforeJson.reset();
        afterJson.reset();
        if (slotBefore >= 0)
        {
            final EventView v = before.load(netns, kind, before.policy().tables.find(netns, kind), slotBefore);
            if (v == null)
            {
                return;
            }
            passes = before.filter().test(v);
            v.write(beforeJson);
            if (type == REMOVED && !json)
            {
                text.reset();
                v.write(text);
            }
        }
        if (slotAfter >= 0)
        {
            final EventView v = after.load(netns, kind, after.policy().tables.find(netns, kind), slotAfter);
            if (v == null)
            {
                return;
            }
            passes |= after.filter().test(v);
            v.write(afterJson);
            if (type == ADDED && !json)
            {
                text.reset();
                v.write(text);
            }
        }
        if (!passes)
        {
            return;
        }
        final Map<String, String> a = slotBefore >= 0 ? JsonFields.of(beforeJson.array(), beforeJson.length()) : null;
        final Map<String, String> b = slotAfter >= 0 ? JsonFields.of(afterJson.array(), afterJson.length()) : null;
        final List<String> differ = new ArrayList<>();
        if (type == CHANGED)
        {
            final Set<String> skip = allFields ? Set.of() : VOLATILE.getOrDefault(kind, Set.of());
            final TreeSet<String> names = new TreeSet<>(a.keySet());
            names.addAll(b.keySet());
            for (final String name : names)
            {
                if (!skip.contains(name) && !same(kind, name, a.get(name), b.get(name)))
                {
                    differ.add(name);
                }
            }
            if (differ.isEmpty())
            {
                return;
            }
        }
        changes++;
        final String key = key(kind, netns, b != null ? b : a);
        if (json)
        {
            final StringBuilder o = sb;
            o.setLength(0);
            o.append("{\"change\":\"").append(CHANGES[type]).append("\",\"kind\":\"").append(kind.text()).append("\",\"key\":");
            quote(o, key);
            o.append(",\"before\":");
            out.write(o.toString().getBytes(StandardCharsets.UTF_8));
            out.write(slotBefore >= 0 ? Arrays.copyOf(beforeJson.array(), beforeJson.length()) : NULL);
            out.write(",\"after\":".getBytes(StandardCharsets.US_ASCII));
            out.write(slotAfter >= 0 ? Arrays.copyOf(afterJson.array(), afterJson.length()) : NULL);
            o.setLength(0);
            o.append(",\"fields\":[");
            for (int i = 0; i < differ.size(); i++)
            {
                o.append(i == 0 ? "" : ",");
                quote(o, differ.get(i));
            }
            o.append("]}\n");
            out.write(o.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (type != CHANGED)
        {
            out.write(type == ADDED ? '+' : '-');
            out.write(' ');
            out.write(text.array(), 0, text.length());
            out.write('\n');
            return;
        }
        final StringBuilder o = sb;
        o.setLength(0);
        o.append("~ ").append(kind.text()).append(' ').append(key).append(':');
        for (int i = 0; i < differ.size(); i++)
        {
            final String name = differ.get(i);
            o.append(i == 0 ? " " : "; ").append(name).append(' ')
                .append(shown(a.get(name))).append(" -> ").append(shown(b.get(name)));
        }
        o.append('\n');
        out.write(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    static boolean same(final Kind kind, final String name, final String a, final String b)
    {
        if (java.util.Objects.equals(a, b))
        {
            return true;
        }
        final boolean zeroish = ABSENT_IS_ZERO.getOrDefault(kind, Set.of()).contains(name);
        return zeroish && (a == null && "0".equals(b) || b == null && "0".equals(a));
    }

    private static String shown(final String value)
    {
        return value == null ? "(none)" : JsonFields.bare(value);
    }

    /** {@code netns=N} and the kind's key fields as {@code name=value}; a flow's original tuple as {@code src:sport -> dst:dport}. */
    static String key(final Kind kind, final long netns, final Map<String, String> fields)
    {
        final StringBuilder k = new StringBuilder("netns=").append(netns);
        for (final String name : KEY_FIELDS.getOrDefault(kind, List.of()))
        {
            final String value = fields.get(name);
            if (value == null)
            {
                continue;
            }
            if (kind == Kind.CONN && name.equals("orig"))
            {
                k.append(' ').append(tuple(JsonFields.of(value)));
                continue;
            }
            k.append(' ').append(name).append('=').append(JsonFields.bare(value));
        }
        return k.toString();
    }

    private static String tuple(final Map<String, String> t)
    {
        final StringBuilder s = new StringBuilder();
        s.append(JsonFields.endpoint(t.get("src"), t.get("sport"))).append(" -> ").append(JsonFields.endpoint(t.get("dst"), t.get("dport")));
        for (final String icmp : List.of("type", "code", "icmp_id"))
        {
            if (t.containsKey(icmp))
            {
                s.append(' ').append(icmp).append('=').append(t.get(icmp));
            }
        }
        return s.toString();
    }

    private static void quote(final StringBuilder o, final String s)
    {
        o.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                o.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                o.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                o.append(c);
            }
        }
        o.append('"');
    }
}
