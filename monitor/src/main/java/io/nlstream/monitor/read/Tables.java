package io.nlstream.monitor.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The object tables of every namespace: (netns, kind) -> {@link ObjectTable}. The last namespace asked for is
 * kept at hand, since consecutive entries mostly come from one capture socket.
 */
final class Tables
{
    /** Columns beside key, value and meta, per kind (see {@link StatePolicy} for what they hold). */
    static int auxColumns(final Kind kind)
    {
        switch (kind)
        {
            case LINK:
                return 5;
            case ADDR:
                return 2;
            case ROUTE:
            case NEIGH:
                return 1;
            case SOCK:
                return 3;
            default:
                return 0;
        }
    }

    private final Map<Long, ObjectTable[]> byNetns = new HashMap<>();
    private long lastNetns = Long.MIN_VALUE;
    private ObjectTable[] last;

    /** The table, created when absent. */
    ObjectTable get(final long netns, final Kind kind)
    {
        final ObjectTable[] tables = namespace(netns);
        ObjectTable t = tables[kind.ordinal()];
        if (t == null)
        {
            t = new ObjectTable(auxColumns(kind));
            tables[kind.ordinal()] = t;
        }
        return t;
    }

    /** The table, or null when there is none yet. */
    ObjectTable find(final long netns, final Kind kind)
    {
        final ObjectTable[] tables = netns == lastNetns ? last : byNetns.get(netns);
        return tables == null ? null : tables[kind.ordinal()];
    }

    private ObjectTable[] namespace(final long netns)
    {
        if (netns == lastNetns)
        {
            return last;
        }
        ObjectTable[] tables = byNetns.get(netns);
        if (tables == null)
        {
            tables = new ObjectTable[Kind.values().length];
            byNetns.put(netns, tables);
        }
        lastNetns = netns;
        last = tables;
        return tables;
    }

    /** Installs a table read from a snapshot. */
    void put(final long netns, final Kind kind, final ObjectTable table)
    {
        namespace(netns)[kind.ordinal()] = table;
    }

    List<Long> namespaces()
    {
        final List<Long> all = new ArrayList<>(byNetns.keySet());
        all.sort(null);
        return all;
    }

    long objects(final Kind kind)
    {
        long n = 0;
        for (final ObjectTable[] tables : byNetns.values())
        {
            if (tables[kind.ordinal()] != null)
            {
                n += tables[kind.ordinal()].size();
            }
        }
        return n;
    }

    long bytes()
    {
        long n = 0;
        for (final ObjectTable[] tables : byNetns.values())
        {
            for (final ObjectTable t : tables)
            {
                if (t != null)
                {
                    n += t.bytes();
                }
            }
        }
        return n;
    }
}
