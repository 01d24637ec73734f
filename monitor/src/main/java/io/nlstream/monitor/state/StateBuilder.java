package io.nlstream.monitor.state;

import io.nlstream.monitor.events.EventDecoder;
import io.nlstream.monitor.journal.AnnotationRecord;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.sinks.Event;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Rebuilds the objects alive at an instant from journal entries applied in order, and decides which events
 * a reader emits. One policy for every reader (stdout, replay, Kafka):
 * <ul>
 * <li>a kernel notification is emitted as it is (conn events gain the owning process when a local socket
 *     matches the flow);</li>
 * <li>a dump message is emitted only when it tells something new: an object not known, or (for links,
 *     addresses, routes and neighbours) one that changed; repeated dumps of a quiet host print nothing;</li>
 * <li>a complete dump is authoritative for the kinds it covers in its namespace: an object it does not
 *     contain (and that nothing touched since the dump began) has ended, and its end is emitted as a
 *     synthesized event ({@code "synthesized": true}, {@code sub} numbering the ends of one dump);</li>
 * <li>a socket found by a dump is emitted when its owner is known (the attribution annotation), so its
 *     {@code new} event carries pid and comm; sockets no process holds are emitted at once.</li>
 * </ul>
 */
public final class StateBuilder
{
    private final Map<String, Tracked> objects = new LinkedHashMap<>();
    private final Map<String, DumpProgress> dumps = new HashMap<>();
    private final SocketIndex sockets = new SocketIndex();
    /** inode -> owner (pid, comm) from annotations, for sockets seen again later. */
    private final Map<Long, Owner> owners = new HashMap<>();

    private static final class Tracked
    {
        Event event;
        long lastSeq;
        boolean pendingOwner;
        long foundInDump;

        Tracked(final Event event, final long lastSeq)
        {
            this.event = event;
            this.lastSeq = lastSeq;
        }
    }

    private static final class DumpProgress
    {
        final Predicate<Event> covers;
        final long beginSeq;
        boolean unreadable;

        DumpProgress(final Predicate<Event> covers, final long beginSeq)
        {
            this.covers = covers;
            this.beginSeq = beginSeq;
        }
    }

    static final class Owner
    {
        final int pid;
        final String comm;

        Owner(final int pid, final String comm)
        {
            this.pid = pid;
            this.comm = comm;
        }
    }

    /**
     * Applies one entry and the event decoded from it (null when the entry carries none).
     *
     * @return the events a reader emits for this entry, in order; usually zero or one
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
            case CaptureHeader.ORIGIN_ANNOTATION:
                return onAnnotation(entry);
            case CaptureHeader.ORIGIN_DUMP:
                return event == null ? List.of() : onDumped(entry, event);
            default:
                return event == null ? List.of() : onNotified(event);
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

    private List<Event> onNotified(final Event event)
    {
        final String key = key(event);
        if (key == null)
        {
            return List.of(event);
        }
        if (isEnd(event))
        {
            final Tracked gone = remove(key);
            if (gone != null && EventDecoder.KIND_SOCK.equals(event.kind()))
            {
                // the inode may be reused by a later socket of another process
                owners.remove(inode(gone.event));
            }
            if (EventDecoder.KIND_LINK.equals(event.kind()))
            {
                // the kernel announces most address removals on its own; this covers the rest
                removeAddressesOf(event.netns(), event.get("ifindex"), null);
            }
            return List.of(enrich(event, gone == null ? null : gone.event));
        }
        final Tracked existing = objects.get(key);
        final Event emitted = enrich(event, existing == null ? null : existing.event);
        store(key, emitted, event.seq(), false);
        return List.of(emitted);
    }

    private List<Event> onDumped(final JournalEntry entry, final Event event)
    {
        final String key = key(event);
        if (key == null || isEnd(event))
        {
            return List.of();
        }
        final Tracked existing = objects.get(key);
        if (existing != null)
        {
            final boolean changed = comparesContent(event.kind()) && !sameContent(existing.event, event);
            final Event merged = enrich(event, existing.event);
            final boolean pending = existing.pendingOwner;
            store(key, merged, event.seq(), pending).foundInDump = existing.foundInDump;
            return changed ? List.of(merged) : List.of();
        }
        if (EventDecoder.KIND_SOCK.equals(event.kind()))
        {
            final long inode = inode(event);
            final Owner owner = owners.get(inode);
            if (inode != 0 && owner == null)
            {
                // emitted when attribution tells who holds it
                store(key, event, event.seq(), true).foundInDump = entry.index();
                return List.of();
            }
            final Event withOwner = owner == null ? event : withOwner(event, owner);
            store(key, withOwner, event.seq(), false);
            return List.of(withOwner);
        }
        final Event emitted = enrich(event, null);
        store(key, emitted, event.seq(), false);
        return List.of(emitted);
    }

    private List<Event> onAnnotation(final JournalEntry entry)
    {
        final ByteBuffer buf = entry.buffer();
        final int offset = entry.payloadOffset();
        if (AnnotationRecord.type(buf, offset, entry.payloadLength()) != AnnotationRecord.TYPE_SOCKET_OWNER
            || entry.payloadLength() < AnnotationRecord.SOCKET_OWNER_LENGTH)
        {
            return List.of();
        }
        final long inode = buf.getLong(offset + AnnotationRecord.INODE_OFFSET);
        final int pid = buf.getInt(offset + AnnotationRecord.PID_OFFSET);
        final Owner owner = new Owner(pid, AnnotationRecord.comm(buf, offset));
        if (pid != 0)
        {
            owners.put(inode, owner);
        }
        final String key = sockets.byInode(entry.netns(), inode);
        final Tracked t = key == null ? null : objects.get(key);
        if (t == null)
        {
            return List.of();
        }
        t.event = pid == 0 ? t.event : withOwner(t.event, owner);
        if (!t.pendingOwner)
        {
            return List.of();
        }
        t.pendingOwner = false;
        // emitted now, at the annotation's place in the journal, so seq stays in journal order
        return List.of(t.event.copy("new", entry.index(), entry.wallNanos()).put("origin", "dump"));
    }

    private void onDumpBegin(final JournalEntry entry)
    {
        if (NetlinkFraming.check(entry.buffer(), entry.payloadOffset(), entry.payloadLength()) < 0)
        {
            return;
        }
        final Predicate<Event> covers = DumpScope.of(entry.protocol(), entry.buffer(), entry.payloadOffset(), entry.payloadLength());
        if (covers != null)
        {
            dumps.put(dumpKey(entry), new DumpProgress(covers, entry.index()));
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
        final List<Event> emitted = new ArrayList<>();
        final Iterator<Map.Entry<String, Tracked>> it = objects.entrySet().iterator();
        while (it.hasNext())
        {
            final Tracked t = it.next().getValue();
            if (t.event.netns() != entry.netns() || !progress.covers.test(t.event))
            {
                continue;
            }
            if (t.lastSeq < progress.beginSeq)
            {
                it.remove();
                sockets.remove(t.event);
                if (!t.pendingOwner)
                {
                    emitted.add(synthesizedEnd(t.event, entry));
                }
            }
            else if (t.pendingOwner && t.foundInDump < progress.beginSeq)
            {
                // found a whole dump cycle ago and still no annotation (attribution off or lost): emit as it is
                t.pendingOwner = false;
                emitted.add(t.event.copy("new", entry.index(), entry.wallNanos()).put("origin", "dump"));
            }
        }
        for (final Event end : List.copyOf(emitted))
        {
            if (EventDecoder.KIND_LINK.equals(end.kind()) && "del".equals(end.op()))
            {
                // as with a real RTM_DELLINK, the link's addresses end with it
                removeAddressesOf(end.netns(), end.get("ifindex"), a -> emitted.add(synthesizedEnd(a, entry)));
            }
        }
        // every event here shares the dump end's journal index; "sub" keeps (seq, sub) unique and ordered
        for (int i = 0; i < emitted.size(); i++)
        {
            emitted.get(i).put("sub", i + 1);
        }
        return emitted.isEmpty() ? List.of() : emitted;
    }

    private Tracked store(final String key, final Event event, final long seq, final boolean pendingOwner)
    {
        final Event object = event.copy(null, event.seq(), event.tsNanos()).remove("origin");
        Tracked t = objects.get(key);
        if (t == null)
        {
            t = new Tracked(object, seq);
            objects.put(key, t);
        }
        else
        {
            sockets.remove(t.event);
            t.event = object;
            t.lastSeq = seq;
        }
        t.pendingOwner = pendingOwner;
        sockets.add(key, object);
        return t;
    }

    private Tracked remove(final String key)
    {
        final Tracked t = objects.remove(key);
        if (t != null)
        {
            sockets.remove(t.event);
        }
        return t;
    }

    /** Adds what the state knows and the message does not: a socket's owner, a flow's local process. */
    private Event enrich(final Event event, final Event known)
    {
        if (EventDecoder.KIND_SOCK.equals(event.kind()))
        {
            if (known != null && known.get("pid") != null)
            {
                return withOwner(event, new Owner(((Number)known.get("pid")).intValue(), (String)known.get("comm")));
            }
            final Owner owner = owners.get(inode(event));
            return owner == null ? event : withOwner(event, owner);
        }
        if (EventDecoder.KIND_CONN.equals(event.kind()))
        {
            final Event sock = sockets.forFlow(event, k ->
            {
                final Tracked t = objects.get(k);
                return t == null ? null : t.event;
            });
            if (sock != null && sock.get("pid") != null)
            {
                return event.copy(event.op(), event.seq(), event.tsNanos()).put("pid", sock.get("pid")).put("comm", sock.get("comm"));
            }
        }
        return event;
    }

    private static Event withOwner(final Event sock, final Owner owner)
    {
        return sock.copy(sock.op(), sock.seq(), sock.tsNanos()).put("pid", owner.pid).put("comm", owner.comm);
    }

    private void removeAddressesOf(final long netns, final Object ifindex, final Consumer<Event> onRemoved)
    {
        final Iterator<Tracked> it = objects.values().iterator();
        while (it.hasNext())
        {
            final Event e = it.next().event;
            if (EventDecoder.KIND_ADDR.equals(e.kind()) && e.netns() == netns && ifindex != null && ifindex.equals(e.get("ifindex")))
            {
                it.remove();
                if (onRemoved != null)
                {
                    onRemoved.accept(e);
                }
            }
        }
    }

    private static Event synthesizedEnd(final Event object, final JournalEntry dumpEnd)
    {
        return object.copy(EventDecoder.endOp(object.kind()), dumpEnd.index(), dumpEnd.wallNanos())
            .remove("origin")
            .put("origin", "resync")
            .put("synthesized", Boolean.TRUE);
    }

    private static boolean isEnd(final Event e)
    {
        return "del".equals(e.op()) || "destroy".equals(e.op());
    }

    /** Kinds whose dumps are compared with what is known; conntrack and socket dumps only add what is new. */
    private static boolean comparesContent(final String kind)
    {
        return !EventDecoder.KIND_CONN.equals(kind) && !EventDecoder.KIND_SOCK.equals(kind);
    }

    private static boolean sameContent(final Event known, final Event dumped)
    {
        final Map<String, Object> a = new HashMap<>(known.fields());
        final Map<String, Object> b = new HashMap<>(dumped.fields());
        // lifetimes count down between dumps without anything having changed
        for (final String volatileField : new String[] {"origin", "valid_lft", "preferred_lft"})
        {
            a.remove(volatileField);
            b.remove(volatileField);
        }
        return a.equals(b);
    }

    private static long inode(final Event sock)
    {
        final Object inode = sock.get("inode");
        return inode instanceof Number ? ((Number)inode).longValue() : 0;
    }

    private static String dumpKey(final JournalEntry entry)
    {
        return entry.netns() + "/" + entry.protocol() + "/" + entry.group();
    }

    /** The identity of an object within its kind, as the kernel keys it. */
    static String key(final Event e)
    {
        switch (e.kind())
        {
            case EventDecoder.KIND_LINK:
                return "link/" + e.netns() + "/" + e.get("ifindex");
            case EventDecoder.KIND_ADDR:
                return "addr/" + e.netns() + "/" + e.get("ifindex") + "/" + e.get("family") + "/" + e.get("address") + "/" + e.get("prefixlen");
            case EventDecoder.KIND_ROUTE:
                return "route/" + e.netns() + "/" + e.get("family") + "/" + e.get("table") + "/" + e.get("dst") + "/" + e.get("tos")
                    + "/" + e.get("metric");
            case EventDecoder.KIND_NEIGH:
                return "neigh/" + e.netns() + "/" + e.get("ifindex") + "/" + e.get("address");
            case EventDecoder.KIND_CONN:
                // the original tuple and zone identify an entry in the table; CTA_ID is a 32-bit hash, and
                // among 20,000 flows two share one about once in twenty
                return "conn/" + e.netns() + "/" + e.get("zone") + "/" + e.get("proto") + "/" + e.get("orig");
            case EventDecoder.KIND_SOCK:
                return "sock/" + e.netns() + "/" + e.get("cookie");
            default:
                return null;
        }
    }
}
