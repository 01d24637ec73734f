package io.nlstream.monitor.read;

import java.util.Set;

/**
 * The objects a pipeline's state holds, as {@code state} prints them: by kind, then in the order of their
 * latest records (so the journal is read forward), each decoded from its record with what the state adds
 * (a socket's or a flow's process; iproute2's {@code M-DOWN} on a link whose lower device is down).
 */
public final class StateView
{
    private final StatePolicy policy;
    private final StoredRecords stored;
    private final EventFilter filter;

    StateView(final StatePolicy policy, final StoredRecords stored, final EventFilter filter)
    {
        this.policy = policy;
        this.stored = stored;
        this.filter = filter;
    }

    /** Every object of these kinds that passes the pipeline's filter. */
    public void forEach(final Set<Kind> kinds, final ReadPipeline.Consumer consumer)
    {
        forEach(kinds, filter, consumer);
    }

    /** How many objects of a kind are alive. */
    public long count(final Kind kind)
    {
        return policy.tables.objects(kind);
    }

    /** Heap bytes of the object tables. */
    public long tableBytes()
    {
        return policy.tables.bytes() + policy.inodes.bytes() + policy.endpoints.bytes() + policy.connOwners.bytes();
    }

    public void forEach(final Set<Kind> kinds, final EventFilter filter, final ReadPipeline.Consumer consumer)
    {
        for (final Kind kind : Kind.values())
        {
            if (!kind.hasObjects() || !kinds.contains(kind))
            {
                continue;
            }
            forEach(kind, filter, consumer);
        }
    }

    private void forEach(final Kind kind, final EventFilter filter, final ReadPipeline.Consumer consumer)
    {
        final int n = (int)Math.min(Integer.MAX_VALUE - 8, policy.tables.objects(kind));
        if (n == 0)
        {
            return;
        }
        final long[] indexes = new long[n];
        final long[] refs = new long[n];
        final java.util.List<Long> namespaces = policy.tables.namespaces();
        final ObjectTable[] tables = new ObjectTable[namespaces.size()];
        int count = 0;
        for (int ns = 0; ns < namespaces.size(); ns++)
        {
            final ObjectTable t = policy.tables.find(namespaces.get(ns), kind);
            tables[ns] = t;
            if (t == null)
            {
                continue;
            }
            for (int slot = 0; slot < t.capacity() && count < n; slot++)
            {
                if (t.occupied(slot))
                {
                    indexes[count] = t.value(slot);
                    refs[count] = (long)ns << 32 | slot;
                    count++;
                }
            }
        }
        LongPairSort.sort(indexes, refs, count);
        for (int i = 0; i < count; i++)
        {
            final int ns = (int)(refs[i] >>> 32);
            final int slot = (int)refs[i];
            final ObjectTable t = tables[ns];
            final long netns = namespaces.get(ns);
            final EventView v = load(netns, kind, t, slot);
            if (v != null && filter.test(v))
            {
                consumer.accept(v);
            }
        }
    }

    /**
     * The object in a slot as {@code state} prints it (decoded from its latest record, with its owner and
     * M-DOWN), or null when its record cannot be read; valid until the next load of this kind.
     */
    EventView load(final long netns, final Kind kind, final ObjectTable t, final int slot)
    {
        final EventView v = stored.load(t.value(slot), kind, t.meta(slot));
        if (v == null)
        {
            return null;
        }
        v.asObject();
        policy.setOwner(v, policy.ownerOfObject(netns, kind, t, slot));
        if (kind == Kind.LINK)
        {
            int lower = (int)t.aux(StatePolicy.A_LINK_LOWER, slot);
            if (lower == 0 && v.link().vethWithoutPeer())
            {
                // as iproute2 shows it: v1@v0, from the peer that names it
                lower = peerNaming(t, (int)t.aux(StatePolicy.A_LINK_IFINDEX, slot));
                v.link().peer(lower);
            }
            v.masterDown(isDown(t, lower));
        }
        return v;
    }

    StatePolicy policy()
    {
        return policy;
    }

    EventFilter filter()
    {
        return filter;
    }

    /** iproute2's M-DOWN: the link's lower or peer device in the same namespace is not up (or not there). */
    boolean lowerIsDown(final long netns, final ObjectTable links, final int slot)
    {
        return isDown(links, (int)links.aux(StatePolicy.A_LINK_LOWER, slot));
    }

    /** The veth in this table whose peer in the same namespace is {@code ifindex}, or 0. */
    private static int peerNaming(final ObjectTable links, final int ifindex)
    {
        for (int s = 0; s < links.capacity(); s++)
        {
            if (links.occupied(s) && (int)links.aux(StatePolicy.A_LINK_LOWER, s) == ifindex
                && (ObjectTable.flags(links.meta(s)) & StatePolicy.F_VETH) != 0)
            {
                return (int)links.aux(StatePolicy.A_LINK_IFINDEX, s);
            }
        }
        return 0;
    }

    private boolean isDown(final ObjectTable links, final int lower)
    {
        if (lower == 0)
        {
            return false;
        }
        final IdentityHash h = new IdentityHash().start(Kind.LINK.ordinal() + 1).add(lower);
        final int l = links.find(h.hash(), h.check());
        return l < 0 || (links.aux(StatePolicy.A_LINK_FLAGS, l) & LinkEvent.IFF_UP) == 0;
    }
}
