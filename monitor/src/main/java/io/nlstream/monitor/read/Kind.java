package io.nlstream.monitor.read;

import io.nlstream.sinks.Name;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The kinds of events, defined once: the name every output uses (JSON {@code kind}, Kafka topic suffix,
 * {@code --kind}), the op that ends an object of the kind, and what a reader must also follow to
 * interpret it (a conn takes its process from the local socket; a link's deletion ends its addresses).
 */
public enum Kind
{
    LINK("link", Ops.DEL),
    ADDR("addr", Ops.DEL),
    ROUTE("route", Ops.DEL),
    NEIGH("neigh", Ops.DEL),
    CONN("conn", Ops.DESTROY),
    SOCK("sock", Ops.DESTROY),
    GAP("gap", null);

    private static final Kind[] VALUES = values();

    private final Name name;
    private final Name endOp;

    Kind(final String name, final Name endOp)
    {
        this.name = Name.of(name);
        this.endOp = endOp;
    }

    /** As JSON, text, Kafka topics and {@code --kind} name it. */
    public Name jsonName()
    {
        return name;
    }

    public String text()
    {
        return name.text();
    }

    /** The op of this kind's end ({@code del} or {@code destroy}); null for kinds without objects. */
    public Name endOp()
    {
        return endOp;
    }

    /** Whether {@code state} tracks objects of this kind. */
    public boolean hasObjects()
    {
        return endOp != null;
    }

    public static Kind of(final String text)
    {
        for (final Kind k : VALUES)
        {
            if (k.name.text().equals(text))
            {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + text + "'");
    }

    public static Set<Kind> of(final Collection<String> texts)
    {
        final Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (final String t : texts)
        {
            kinds.add(of(t));
        }
        return kinds;
    }

    public static List<String> texts(final Collection<Kind> kinds)
    {
        final List<String> out = new ArrayList<>();
        for (final Kind k : kinds)
        {
            out.add(k.text());
        }
        return out;
    }

    /**
     * The kinds a reader must follow to print {@code wanted} right: conn events carry the pid and comm of
     * the local socket a flow belongs to, and a link's end ends its addresses.
     */
    public static Set<Kind> closure(final Set<Kind> wanted)
    {
        final Set<Kind> all = wanted.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(wanted);
        if (all.contains(CONN))
        {
            all.add(SOCK);
        }
        if (all.contains(ADDR))
        {
            all.add(LINK);
        }
        return all;
    }

    static Kind byOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * The kind a dump request (a dump-begin entry's message) asks for, as the state policy reads it; null for a
     * request state does not track.
     */
    public static Kind dumpedBy(final int protocol, final java.nio.ByteBuffer buf, final int offset, final int length)
    {
        final DumpScope scope = DumpScope.of(protocol, buf, offset, length);
        return scope == null ? null : scope.kind;
    }
}
