package io.nlstream.monitor.state;

import io.nlstream.monitor.events.EventDecoder;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.netlink.rtnl.Rtnetlink;
import io.nlstream.sinks.Event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the objects alive at an instant from journal entries applied in order: events add, change
 * and remove objects; a complete dump is authoritative for the kinds it covers in its namespace, so an
 * object it does not contain (and that nothing touched since the dump began) has ended. Ends found this
 * way come back from {@link #apply} as synthesized events ({@code "synthesized": true}).
 */
public final class StateBuilder
{
    private final Map<String, Tracked> objects = new LinkedHashMap<>();
    private final Map<String, DumpProgress> dumps = new HashMap<>();

    private static final class Tracked
    {
        Event event;
        long lastSeq;

        Tracked(final Event event, final long lastSeq)
        {
            this.event = event;
            this.lastSeq = lastSeq;
        }
    }

    private static final class DumpProgress
    {
        final Set<String> kinds;
        final long beginSeq;
        boolean unreadable;

        DumpProgress(final Set<String> kinds, final long beginSeq)
        {
            this.kinds = kinds;
            this.beginSeq = beginSeq;
        }
    }

    /**
     * Applies one entry and the event decoded from it (null when the entry carries none).
     *
     * @return events synthesized by a dump's end (objects that ended unseen), usually empty
     */
    public List<Event> apply(final JournalEntry entry, final Event event)
    {
        switch (entry.origin())
        {
            case CaptureHeader.ORIGIN_DUMP_BEGIN:
                onDumpBegin(entry);
                return List.of();
            case CaptureHeader.ORIGIN_DUMP_END:
                return onDumpEnd(entry);
            default:
                if (event != null)
                {
                    onEvent(event);
                }
                return List.of();
        }
    }

    /**
     * A message of a dump could not be decoded: the dump no longer proves that what it lacks has ended.
     */
    public void dumpMessageUnreadable(final JournalEntry entry)
    {
        final DumpProgress progress = dumps.get(dumpKey(entry));
        if (progress != null)
        {
            progress.unreadable = true;
        }
    }

    /** The objects alive now, in the order they first appeared. */
    public Collection<Event> objects()
    {
        final List<Event> out = new ArrayList<>(objects.size());
        for (final Tracked t : objects.values())
        {
            out.add(t.event);
        }
        return out;
    }

    private void onEvent(final Event event)
    {
        final String key = key(event);
        if (key == null)
        {
            return;
        }
        if ("del".equals(event.op()) || "destroy".equals(event.op()))
        {
            objects.remove(key);
            if (EventDecoder.KIND_LINK.equals(event.kind()))
            {
                // the kernel announces most address removals on its own; this covers the rest
                removeAddressesOf(event.netns(), event.get("ifindex"));
            }
            return;
        }
        final Event object = copyWithout(event, null, event.seq(), event.tsNanos());
        final Tracked existing = objects.get(key);
        if (existing != null)
        {
            existing.event = object;
            existing.lastSeq = event.seq();
        }
        else
        {
            objects.put(key, new Tracked(object, event.seq()));
        }
    }

    private void onDumpBegin(final JournalEntry entry)
    {
        if (NetlinkFraming.check(entry.buffer(), entry.payloadOffset(), entry.payloadLength()) < 0)
        {
            return;
        }
        final Set<String> kinds = kindsOfDump(entry.protocol(), NetlinkFraming.type(entry.buffer(), entry.payloadOffset()));
        if (!kinds.isEmpty())
        {
            dumps.put(dumpKey(entry), new DumpProgress(kinds, entry.index()));
        }
    }

    private List<Event> onDumpEnd(final JournalEntry entry)
    {
        final DumpProgress progress = dumps.remove(dumpKey(entry));
        if (progress == null || progress.unreadable || (entry.flags() & CaptureHeader.FLAG_DUMP_INTR) != 0)
        {
            // no begin seen (journal cut), a message we could not read, or an inconsistent dump that capture
            // redoes: not authoritative
            return List.of();
        }
        if (NetlinkFraming.check(entry.buffer(), entry.payloadOffset(), entry.payloadLength()) < 0
            || NetlinkFraming.type(entry.buffer(), entry.payloadOffset()) != Netlink.NLMSG_DONE)
        {
            return List.of();
        }
        final List<Event> ended = new ArrayList<>();
        final Iterator<Tracked> it = objects.values().iterator();
        while (it.hasNext())
        {
            final Tracked t = it.next();
            if (t.lastSeq < progress.beginSeq && t.event.netns() == entry.netns() && progress.kinds.contains(t.event.kind()))
            {
                it.remove();
                ended.add(synthesizedEnd(t.event, entry));
            }
        }
        for (final Event end : List.copyOf(ended))
        {
            if (EventDecoder.KIND_LINK.equals(end.kind()))
            {
                // as with a real RTM_DELLINK, the link's addresses end with it
                final Iterator<Tracked> addrs = objects.values().iterator();
                while (addrs.hasNext())
                {
                    final Tracked t = addrs.next();
                    if (isAddressOf(t.event, end.netns(), end.get("ifindex")))
                    {
                        addrs.remove();
                        ended.add(synthesizedEnd(t.event, entry));
                    }
                }
            }
        }
        // every end shares the dump end's journal index; "sub" keeps (seq, sub) unique and ordered
        for (int i = 0; i < ended.size(); i++)
        {
            ended.get(i).put("sub", i + 1);
        }
        return ended.isEmpty() ? List.of() : ended;
    }

    private void removeAddressesOf(final long netns, final Object ifindex)
    {
        objects.values().removeIf(t -> isAddressOf(t.event, netns, ifindex));
    }

    private static boolean isAddressOf(final Event e, final long netns, final Object ifindex)
    {
        return EventDecoder.KIND_ADDR.equals(e.kind()) && e.netns() == netns && ifindex != null && ifindex.equals(e.get("ifindex"));
    }

    private static Event synthesizedEnd(final Event object, final JournalEntry dumpEnd)
    {
        return copyWithout(object, "del", dumpEnd.index(), dumpEnd.wallNanos())
            .put("origin", "resync")
            .put("synthesized", Boolean.TRUE);
    }

    /** A copy under another op, without the origin field (an object's state has no origin). */
    private static Event copyWithout(final Event source, final String op, final long seq, final long tsNanos)
    {
        final Event copy = new Event(seq, tsNanos, source.kind(), op, source.netns());
        for (final Map.Entry<String, Object> f : source.fields().entrySet())
        {
            if (!"origin".equals(f.getKey()))
            {
                copy.put(f.getKey(), f.getValue());
            }
        }
        return copy;
    }

    static Set<String> kindsOfDump(final int protocol, final int requestType)
    {
        if (protocol == Netlink.NETLINK_ROUTE)
        {
            switch (requestType)
            {
                case Rtnetlink.RTM_GETLINK: return Set.of(EventDecoder.KIND_LINK);
                case Rtnetlink.RTM_GETADDR: return Set.of(EventDecoder.KIND_ADDR);
                default: return Set.of();
            }
        }
        return Set.of();
    }

    private static String dumpKey(final JournalEntry entry)
    {
        return entry.netns() + "/" + entry.protocol() + "/" + entry.group();
    }

    static String key(final Event e)
    {
        switch (e.kind())
        {
            case EventDecoder.KIND_LINK:
                return "link/" + e.netns() + "/" + e.get("ifindex");
            case EventDecoder.KIND_ADDR:
                return "addr/" + e.netns() + "/" + e.get("ifindex") + "/" + e.get("family") + "/" + e.get("address") + "/" + e.get("prefixlen");
            default:
                return null;
        }
    }
}
