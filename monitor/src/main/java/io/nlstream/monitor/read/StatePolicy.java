package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.AnnotationRecord;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.ContainerIdentity;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.netlink.conntrack.CtTuple;
import io.nlstream.netlink.rtnl.Rtnetlink;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The objects alive after the entries applied so far, and which events a reader emits for each entry: one
 * policy for every reader (stdout of run, replay, state, stats, Kafka), so the same journal range gives the
 * same events whoever reads it.
 * <ul>
 * <li>a kernel notification is emitted as it is (conn events gain the process of the local socket a flow
 *     belongs to; a socket's destroy keeps the process that held it);</li>
 * <li>a dump message is emitted only when it tells something new: an object not known, or (for links,
 *     addresses, routes and neighbours) one whose content changed; repeated dumps of a quiet host print
 *     nothing;</li>
 * <li>a complete dump is authoritative for the kinds it covers in its namespace: an object it does not
 *     contain (and that nothing touched since the dump began) has ended, and its end is emitted as a
 *     synthesized event ({@code sub} numbering the ends of one dump, in the order of the objects' latest
 *     records);</li>
 * <li>a socket found by a dump is emitted when its owner is known (the attribution annotation), so its
 *     {@code new} event carries pid and comm; sockets no process holds are emitted at once, and one still
 *     unattributed a whole dump later is emitted without.</li>
 * </ul>
 *
 * <p>An object is its identity hash mapped to the journal index of its latest record ({@link ObjectTable}),
 * plus what the policy must know without reading the journal back:
 * <pre>
 * link  aux: content hash | ifi_flags | IFLA_LINK in the same netns (for M-DOWN) | ifindex | name hash (--ifname)
 * addr  aux: content hash | ifindex (a link's end ends its addresses)
 * route, neigh aux: content hash
 * sock  aux: inode | endpoint key (for conn attribution) | index of the dump that first found it unattributed
 * conn  (none; the owner of a flow with a local socket in {@code connOwners})
 * </pre>
 * Emitting an object's end decodes its latest record from the journal ({@link RecordLoader}).
 */
final class StatePolicy implements DevNames
{
    static final int A_CONTENT = 0;
    static final int A_LINK_FLAGS = 1;
    static final int A_LINK_LOWER = 2;
    static final int A_LINK_IFINDEX = 3;
    static final int A_LINK_NAME = 4;
    static final int A_ADDR_IFINDEX = 1;
    static final int A_SOCK_INODE = 0;
    static final int A_SOCK_ENDPOINT = 1;
    static final int A_SOCK_FOUND = 2;

    /** A socket found by a dump, waiting for its owner before it is emitted. */
    static final int F_PENDING = 1;
    private static final int LINK_NAMES = 1024;
    /** A link that is a veth (its peer may be known only from the peer's records). */
    static final int F_VETH = 2;

    private static final long NO_INODE = -1;
    private static final ByteBuffer UNSPECIFIED = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Where emitted events go. */
    interface Emitter
    {
        void emit(EventView event);
    }

    /** Decodes an object's record back from the journal. */
    interface RecordLoader
    {
        /** @return the record's event, or null when it cannot be read (reported by the loader) */
        EventView load(long index, Kind kind, long meta);
    }

    Tables tables = new Tables();
    final Map<DumpKey, DumpProgress> dumps = new HashMap<>();
    /** inode -> owner (pid, comm) from annotations; aux: the socket holding the inode (key, check, netns). */
    ObjectTable inodes = new ObjectTable(3);
    /** endpoint key (netns, proto, local and remote address and port) -> inode of the socket. */
    ObjectTable endpoints = new ObjectTable(0);
    /** (netns, conn identity) -> owner, for flows whose local socket had an owner when last stored. */
    ObjectTable connOwners = new ObjectTable(0);
    Comms comms = new Comms();
    /** Namespaces' names from the captures' annotations. */
    final NetnsTable<String> netnsNames = new NetnsTable<>();
    /** The containers namespaces belong to, from the captures' annotations ({@link ContainerIdentity#NONE}: none). */
    final NetnsTable<ContainerIdentity> containers = new NetnsTable<>();

    private final IdentityHash hash = new IdentityHash();
    private final IdentityHash endpointHash = new IdentityHash();
    private final IdentityHash lookupHash = new IdentityHash();
    private final ContentHash content = new ContentHash();
    private final DumpKey probe = new DumpKey();
    private final RecordLoader loader;
    private long[] endedIndex = new long[64];
    private long[] endedRef = new long[64];
    private int ended;
    private long key;
    private int check;

    static final class DumpProgress
    {
        final DumpScope scope;
        final long beginSeq;
        boolean unreadable;

        DumpProgress(final DumpScope scope, final long beginSeq)
        {
            this.scope = scope;
            this.beginSeq = beginSeq;
        }
    }

    private RecordLoader linkRecords;
    /** Names of links by the journal index of the record they were read from: direct-mapped, no boxing. */
    private final long[] linkNameIndex = new long[LINK_NAMES];
    private final String[] linkName = new String[LINK_NAMES];

    StatePolicy(final RecordLoader loader)
    {
        this.loader = loader;
    }

    /** Where names of links are read back from (a loader of its own: the others' views are in use then). */
    void linkRecords(final RecordLoader records)
    {
        this.linkRecords = records;
    }

    /**
     * The name of the link with this ifindex in this namespace at this point of the journal, read back from
     * its latest record; recent ones are kept by that record's index (a rename is a new record).
     */
    @Override
    public String netnsName(final long netns)
    {
        return netnsNames.get(netns);
    }

    @Override
    public ContainerIdentity container(final long netns)
    {
        final ContainerIdentity c = containers.get(netns);
        return c == null || c.isEmpty() ? null : c;
    }

    @Override
    public String name(final long netns, final int ifindex)
    {
        final ObjectTable links = tables.find(netns, Kind.LINK);
        if (links == null || linkRecords == null)
        {
            return null;
        }
        final IdentityHash h = lookupHash.start(Kind.LINK.ordinal() + 1).add(ifindex);
        final int slot = links.find(h.hash(), h.check());
        if (slot < 0)
        {
            return null;
        }
        final long index = links.value(slot);
        final int at = (int)(index ^ index >>> 29) & LINK_NAMES - 1;
        if (linkName[at] != null && linkNameIndex[at] == index)
        {
            return linkName[at];
        }
        final EventView v = linkRecords.load(index, Kind.LINK, links.meta(slot));
        final String name = v == null ? null : v.link().ifname();
        if (name != null)
        {
            linkNameIndex[at] = index;
            linkName[at] = name;
        }
        return name;
    }

    /**
     * Applies one entry and the event decoded from it (null when it carries none); emits what a reader
     * prints for it, in order. With a null emitter nothing is decoded back from the journal.
     */
    void apply(final JournalEntry entry, final EventView event, final Emitter out)
    {
        switch (entry.origin())
        {
            case CaptureHeader.ORIGIN_DUMP_BEGIN:
                onDumpBegin(entry);
                break;
            case CaptureHeader.ORIGIN_DUMP_END:
                onDumpEnd(entry, out);
                break;
            case CaptureHeader.ORIGIN_ANNOTATION:
                onAnnotation(entry, out);
                break;
            case CaptureHeader.ORIGIN_DUMP:
                if (event != null)
                {
                    onDumped(entry, event, out);
                }
                break;
            default:
                if (event != null)
                {
                    onNotified(event, out);
                }
        }
    }

    /** Forgets everything (a snapshot that failed to load half way). */
    void reset()
    {
        tables = new Tables();
        dumps.clear();
        inodes = new ObjectTable(3);
        endpoints = new ObjectTable(0);
        connOwners = new ObjectTable(0);
        comms = new Comms();
        netnsNames.clear();
        containers.clear();
    }

    long liveObjects()
    {
        long n = 0;
        for (final Kind k : Kind.values())
        {
            n += tables.objects(k);
        }
        return n;
    }

    /** A message of a dump could not be decoded: the dump no longer proves that what it lacks has ended. */
    void dumpMessageUnreadable(final JournalEntry entry)
    {
        final DumpProgress progress = dumps.get(probe.set(entry.netns(), entry.protocol(), entry.group()));
        if (progress != null)
        {
            progress.unreadable = true;
        }
    }

    // ---- notifications ----------------------------------------------------------------------------------

    private void onNotified(final EventView event, final Emitter out)
    {
        final EventBody body = event.body();
        final Kind kind = body.kind();
        if (!kind.hasObjects() || !identity(body))
        {
            emit(out, event);
            return;
        }
        final long netns = event.netns();
        final ObjectTable t = tables.get(netns, kind);
        if (Ops.isEnd(event.op()))
        {
            final int slot = t.find(key, check);
            long owner = 0;
            if (kind == Kind.SOCK)
            {
                if (slot >= 0)
                {
                    final long inode = t.aux(A_SOCK_INODE, slot);
                    owner = ownerOf(inode);
                    removeSock(t, slot);
                    // the inode may be reused by a later socket of another process
                    forgetOwner(inode);
                }
                if (owner == 0)
                {
                    owner = ownerOf(event.sock().decoder().inode());
                }
            }
            else if (slot >= 0)
            {
                remove(netns, kind, t, slot);
            }
            if (kind == Kind.LINK)
            {
                // the kernel announces most address removals on its own; this covers the rest
                removeAddressesOf(netns, event.link().ifindex(), null, null);
            }
            if (kind == Kind.CONN)
            {
                owner = flowOwner(netns, event.conn());
            }
            setOwner(event, owner);
            emit(out, event);
            return;
        }
        final int slot = t.findOrAdd(key, check);
        final boolean known = !t.lastAdded();
        final long owner = enrich(netns, kind, event, t, known ? slot : -1);
        store(netns, t, slot, known, event, 0);
        setOwner(event, owner);
        emit(out, event);
    }

    // ---- dumps ------------------------------------------------------------------------------------------

    private void onDumped(final JournalEntry entry, final EventView event, final Emitter out)
    {
        final EventBody body = event.body();
        final Kind kind = body.kind();
        if (!kind.hasObjects() || Ops.isEnd(event.op()) || !identity(body))
        {
            return;
        }
        final long netns = event.netns();
        final ObjectTable t = tables.get(netns, kind);
        int slot = t.find(key, check);
        if (slot >= 0)
        {
            final boolean changed = comparesContent(kind) && t.aux(A_CONTENT, slot) != content.of(body, event);
            final long owner = enrich(netns, kind, event, t, slot);
            store(netns, t, slot, true, event, t.flagsAt(slot));
            if (changed)
            {
                setOwner(event, owner);
                emit(out, event);
            }
            return;
        }
        slot = t.findOrAdd(key, check);
        if (kind == Kind.SOCK)
        {
            final long inode = event.sock().decoder().inode();
            final long owner = ownerOf(inode);
            if (inode != 0 && owner == 0)
            {
                // emitted when attribution tells who holds it
                store(netns, t, slot, false, event, F_PENDING);
                t.aux(A_SOCK_FOUND, slot, entry.index());
                return;
            }
            store(netns, t, slot, false, event, 0);
            setOwner(event, owner);
            emit(out, event);
            return;
        }
        final long owner = enrich(netns, kind, event, t, -1);
        store(netns, t, slot, false, event, 0);
        setOwner(event, owner);
        emit(out, event);
    }

    private void onDumpBegin(final JournalEntry entry)
    {
        if (NetlinkFraming.check(entry.buffer(), entry.payloadOffset(), entry.payloadLength()) < 0)
        {
            return;
        }
        final DumpScope scope = DumpScope.of(entry.protocol(), entry.buffer(), entry.payloadOffset(), entry.payloadLength());
        if (scope != null)
        {
            dumps.put(new DumpKey().set(entry.netns(), entry.protocol(), entry.group()), new DumpProgress(scope, entry.index()));
        }
    }

    private void onDumpEnd(final JournalEntry entry, final Emitter out)
    {
        final DumpProgress progress = dumps.remove(probe.set(entry.netns(), entry.protocol(), entry.group()));
        if (progress == null || progress.unreadable || (entry.flags() & CaptureHeader.FLAG_DUMP_INTR) != 0)
        {
            // no begin seen (journal cut), a message we could not read, or an inconsistent dump that capture
            // redoes: not authoritative
            return;
        }
        if (NetlinkFraming.check(entry.buffer(), entry.payloadOffset(), entry.payloadLength()) < 0
            || NetlinkFraming.type(entry.buffer(), entry.payloadOffset()) != Netlink.NLMSG_DONE)
        {
            return;
        }
        endAbsent(entry, out, progress.scope.kind, progress.scope, progress.beginSeq, 0);
    }

    /**
     * A namespace ended (a NETNS_GONE annotation): every object of the entry's protocol in it ends, as if a dump
     * had found none of them.
     */
    private void onNetnsGone(final JournalEntry entry, final Emitter out)
    {
        final long netns = entry.netns();
        dumps.keySet().removeIf(k -> k.netns == netns && k.protocol == entry.protocol());
        int sub = 0;
        for (final Kind kind : Kind.values())
        {
            if (kind.hasObjects() && protocolOf(kind) == entry.protocol())
            {
                sub = endAbsent(entry, out, kind, null, Long.MAX_VALUE, sub);
            }
        }
    }

    private static int protocolOf(final Kind kind)
    {
        return kind == Kind.CONN ? Netlink.NETLINK_NETFILTER : kind == Kind.SOCK ? Netlink.NETLINK_SOCK_DIAG : Netlink.NETLINK_ROUTE;
    }

    /**
     * Ends the objects of {@code kind} in the entry's namespace that {@code scope} covers (null: all) whose latest
     * record is older than {@code beginSeq}, with synthesized ends numbered after {@code subBefore}.
     *
     * @return the last {@code sub} used
     */
    private int endAbsent(final JournalEntry entry, final Emitter out, final Kind kind, final DumpScope scope, final long beginSeq,
        final int subBefore)
    {
        final long netns = entry.netns();
        final ObjectTable t = tables.find(netns, kind);
        if (t == null)
        {
            return subBefore;
        }
        ended = 0;
        int pendingNews = 0;
        for (int slot = 0; slot < t.capacity(); slot++)
        {
            if (!t.occupied(slot) || scope != null && !scope.covers(t.meta(slot)))
            {
                continue;
            }
            final boolean pending = (t.flagsAt(slot) & F_PENDING) != 0;
            if (t.value(slot) < beginSeq)
            {
                collect(t.value(slot), (long)slot << 1 | (pending ? 1 : 0));
            }
            else if (pending && t.aux(A_SOCK_FOUND, slot) < beginSeq)
            {
                // found a whole dump cycle ago and still no annotation (attribution off or lost): emit as it is
                collect(t.value(slot), (long)slot << 1 | 1 | 1L << 62);
                pendingNews++;
            }
        }
        if (ended == 0)
        {
            return subBefore;
        }
        LongPairSort.sort(endedIndex, endedRef, ended);
        // what to do with each, decided before any removal moves slots
        final int n = ended;
        final long[] keys = new long[n];
        final int[] checks = new int[n];
        for (int i = 0; i < n; i++)
        {
            final int slot = (int)(endedRef[i] >>> 1 & 0x3FFFFFFF);
            keys[i] = t.key(slot);
            checks[i] = ObjectTable.check(t.meta(slot));
        }
        final long[] indexes = java.util.Arrays.copyOf(endedIndex, n);
        final long[] refs = java.util.Arrays.copyOf(endedRef, n);
        int sub = subBefore;
        for (int i = 0; i < n; i++)
        {
            final int slot = t.find(keys[i], checks[i]);
            final long meta = t.meta(slot);
            if ((refs[i] & 1L << 62) != 0)
            {
                t.flagsAt(slot, t.flagsAt(slot) & ~F_PENDING);
                ++sub;
                if (out != null)
                {
                    final EventView v = loader.load(indexes[i], kind, meta);
                    if (v != null)
                    {
                        v.op(Ops.NEW);
                        v.at(entry.index(), entry.wallNanos());
                        v.origin(Ops.DUMP, true);
                        v.sub(sub);
                        out.emit(v);
                    }
                }
                continue;
            }
            final boolean pending = (refs[i] & 1) != 0;
            final long owner = ownerOfObject(netns, kind, t, slot);
            final int ifindex = kind == Kind.LINK ? (int)t.aux(A_LINK_IFINDEX, slot) : 0;
            if (!pending && out != null)
            {
                final EventView v = loader.load(indexes[i], kind, meta);
                if (v != null)
                {
                    synthesizedEnd(v, entry, ++sub, owner);
                    out.emit(v);
                }
            }
            else if (!pending)
            {
                ++sub;
            }
            if (kind == Kind.LINK)
            {
                remove(netns, kind, t, slot);
                // as with a real RTM_DELLINK, the link's addresses end with it; after this dump's own ends
                deferAddresses(netns, ifindex);
            }
            else if (kind == Kind.SOCK)
            {
                removeSock(t, slot);
            }
            else
            {
                remove(netns, kind, t, slot);
            }
        }
        return endDeferredAddresses(entry, out, sub);
    }

    private int[] deferredIfindex = new int[8];
    private int deferred;

    private void deferAddresses(final long netns, final int ifindex)
    {
        if (deferred == deferredIfindex.length)
        {
            deferredIfindex = java.util.Arrays.copyOf(deferredIfindex, deferred * 2);
        }
        deferredIfindex[deferred++] = ifindex;
    }

    private int endDeferredAddresses(final JournalEntry entry, final Emitter out, final int subBefore)
    {
        int sub = subBefore;
        for (int i = 0; i < deferred; i++)
        {
            sub = removeAddressesOf(entry.netns(), deferredIfindex[i], entry, out, sub);
        }
        deferred = 0;
        return sub;
    }

    private void removeAddressesOf(final long netns, final int ifindex, final JournalEntry dumpEnd, final Emitter out)
    {
        removeAddressesOf(netns, ifindex, dumpEnd, out, 0);
    }

    /** Ends the addresses of a link that ended; with a dump end, as synthesized ends numbered after {@code sub}. */
    private int removeAddressesOf(final long netns, final int ifindex, final JournalEntry dumpEnd, final Emitter out, final int subBefore)
    {
        int sub = subBefore;
        final ObjectTable t = tables.find(netns, Kind.ADDR);
        if (t == null)
        {
            return sub;
        }
        ended = 0;
        for (int slot = 0; slot < t.capacity(); slot++)
        {
            if (t.occupied(slot) && t.aux(A_ADDR_IFINDEX, slot) == ifindex)
            {
                collect(t.value(slot), slot);
            }
        }
        if (ended == 0)
        {
            return sub;
        }
        LongPairSort.sort(endedIndex, endedRef, ended);
        final int n = ended;
        final long[] keys = new long[n];
        final int[] checks = new int[n];
        final long[] indexes = java.util.Arrays.copyOf(endedIndex, n);
        for (int i = 0; i < n; i++)
        {
            final int slot = (int)endedRef[i];
            keys[i] = t.key(slot);
            checks[i] = ObjectTable.check(t.meta(slot));
        }
        for (int i = 0; i < n; i++)
        {
            final int slot = t.find(keys[i], checks[i]);
            if (dumpEnd != null)
            {
                ++sub;
                if (out != null)
                {
                    final EventView v = loader.load(indexes[i], Kind.ADDR, t.meta(slot));
                    if (v != null)
                    {
                        synthesizedEnd(v, dumpEnd, sub, 0);
                        out.emit(v);
                    }
                }
            }
            t.removeAt(slot);
        }
        return sub;
    }

    private void synthesizedEnd(final EventView v, final JournalEntry dumpEnd, final int sub, final long owner)
    {
        v.op(v.kind().endOp());
        v.at(dumpEnd.index(), dumpEnd.wallNanos());
        v.origin(Ops.RESYNC, true);
        v.synthesizedEnd(sub);
        setOwner(v, owner);
    }

    private void collect(final long index, final long ref)
    {
        if (ended == endedIndex.length)
        {
            endedIndex = java.util.Arrays.copyOf(endedIndex, ended * 2);
            endedRef = java.util.Arrays.copyOf(endedRef, ended * 2);
        }
        endedIndex[ended] = index;
        endedRef[ended] = ref;
        ended++;
    }

    // ---- annotations ------------------------------------------------------------------------------------

    private void onAnnotation(final JournalEntry entry, final Emitter out)
    {
        final ByteBuffer buf = entry.buffer();
        final int offset = entry.payloadOffset();
        final int type = AnnotationRecord.type(buf, offset, entry.payloadLength());
        if (type == AnnotationRecord.TYPE_NETNS_GONE)
        {
            if (AnnotationRecord.netnsGone(buf, offset, entry.payloadLength()) == entry.netns() && entry.netns() != 0)
            {
                onNetnsGone(entry, out);
            }
            return;
        }
        if (type == AnnotationRecord.TYPE_NETNS_NAME)
        {
            netnsNames.put(buf.getLong(offset + AnnotationRecord.INODE_OFFSET), AnnotationRecord.netnsName(buf, offset, entry.payloadLength()));
            return;
        }
        if (type == AnnotationRecord.TYPE_NETNS_CONTAINER)
        {
            // a damaged record (null) changes nothing; an empty one forgets what an earlier namespace of the inode had
            final ContainerIdentity container = AnnotationRecord.netnsContainer(buf, offset, entry.payloadLength());
            if (container != null)
            {
                containers.put(buf.getLong(offset + AnnotationRecord.INODE_OFFSET), container);
            }
            return;
        }
        if (type != AnnotationRecord.TYPE_SOCKET_OWNER
            || entry.payloadLength() < AnnotationRecord.SOCKET_OWNER_LENGTH)
        {
            return;
        }
        final long inode = buf.getLong(offset + AnnotationRecord.INODE_OFFSET);
        final int pid = buf.getInt(offset + AnnotationRecord.PID_OFFSET);
        if (inode == 0)
        {
            return;
        }
        final int slot = inodes.findOrAdd(inode, 0);
        if (inodes.lastAdded())
        {
            inodes.aux(0, slot, 0);
        }
        if (pid != 0)
        {
            inodes.value(slot, Comms.owner(pid, comms.id(AnnotationRecord.comm(buf, offset))));
        }
        final long sockKey = inodes.aux(0, slot);
        final ObjectTable socks = sockKey == 0 || inodes.aux(2, slot) != entry.netns() ? null : tables.find(entry.netns(), Kind.SOCK);
        final int sock = socks == null ? -1 : socks.find(sockKey, (int)inodes.aux(1, slot));
        if (sock < 0)
        {
            dropIfEmpty(slot);
            return;
        }
        if ((socks.flagsAt(sock) & F_PENDING) == 0)
        {
            return;
        }
        socks.flagsAt(sock, socks.flagsAt(sock) & ~F_PENDING);
        if (out != null)
        {
            final EventView v = loader.load(socks.value(sock), Kind.SOCK, socks.meta(sock));
            if (v != null)
            {
                // emitted now, at the annotation's place in the journal, so seq stays in journal order
                v.op(Ops.NEW);
                v.at(entry.index(), entry.wallNanos());
                setOwner(v, ownerOf(inode));
                v.origin(Ops.DUMP, true);
                out.emit(v);
            }
        }
    }

    // ---- the object tables ------------------------------------------------------------------------------

    /** Computes the identity of {@code body} into {@link #key} and {@link #check}; false when it has none. */
    private boolean identity(final EventBody body)
    {
        hash.start(body.kind().ordinal() + 1);
        if (!body.identity(hash))
        {
            return false;
        }
        key = hash.hash();
        check = hash.check();
        return true;
    }

    /**
     * What the state adds to an event before it is stored or emitted: a socket's owner (the one it had, else
     * the owner of its inode), a flow's local process.
     */
    private long enrich(final long netns, final Kind kind, final EventView event, final ObjectTable t, final int knownSlot)
    {
        if (kind == Kind.SOCK)
        {
            final long known = knownSlot >= 0 ? ownerOf(t.aux(A_SOCK_INODE, knownSlot)) : 0;
            return known != 0 ? known : ownerOf(event.sock().decoder().inode());
        }
        if (kind == Kind.CONN)
        {
            return flowOwner(netns, event.conn());
        }
        return 0;
    }

    /** Records {@code event} as the object's latest record, with what the policy keeps beside it. */
    private void store(final long netns, final ObjectTable t, final int slot, final boolean known, final EventView event, final int flags)
    {
        final EventBody body = event.body();
        final Kind kind = body.kind();
        t.value(slot, event.seq());
        final int veth = kind == Kind.LINK && "veth".equals(event.link().decoder().linkKind()) ? F_VETH : 0;
        t.meta(slot, ObjectTable.meta(check, body.family(), body.proto(), flags & ~F_VETH | veth));
        switch (kind)
        {
            case LINK:
                t.aux(A_CONTENT, slot, content.of(body, event));
                t.aux(A_LINK_FLAGS, slot, event.link().decoder().flags());
                t.aux(A_LINK_LOWER, slot, event.link().lowerInSameNetns());
                t.aux(A_LINK_IFINDEX, slot, event.link().ifindex());
                t.aux(A_LINK_NAME, slot, nameHash(event.link().ifname()));
                break;
            case ADDR:
                t.aux(A_CONTENT, slot, content.of(body, event));
                t.aux(A_ADDR_IFINDEX, slot, event.addr().ifindex());
                break;
            case ROUTE:
            case NEIGH:
                t.aux(A_CONTENT, slot, content.of(body, event));
                break;
            case SOCK:
                storeSock(netns, t, slot, known, event.sock());
                break;
            case CONN:
                final long owner = flowOwner(netns, event.conn());
                final long ownerKey = netns * 0x9E3779B97F4A7C15L ^ key;
                if (owner != 0)
                {
                    final int o = connOwners.findOrAdd(ownerKey == 0 ? 1 : ownerKey, check);
                    connOwners.value(o, owner);
                }
                else
                {
                    connOwners.remove(ownerKey == 0 ? 1 : ownerKey, check);
                }
                break;
            default:
                break;
        }
    }

    private void storeSock(final long netns, final ObjectTable t, final int slot, final boolean known, final SockEvent sock)
    {
        if (known)
        {
            unindexSock(t, slot);
        }
        final long inode = sock.decoder().inode();
        t.aux(A_SOCK_INODE, slot, inode);
        if (inode != 0)
        {
            final int i = inodes.findOrAdd(inode, 0);
            if (inodes.lastAdded())
            {
                inodes.value(i, 0);
            }
            inodes.aux(0, i, key);
            inodes.aux(1, i, check);
            inodes.aux(2, i, netns);
        }
        final long endpoint = sockEndpoint(netns, sock);
        t.aux(A_SOCK_ENDPOINT, slot, endpoint);
        final int e = endpoints.findOrAdd(endpoint, 0);
        endpoints.value(e, inode);
    }

    /** Takes a socket out of the inode and endpoint indexes (its owner stays known by inode). */
    private void unindexSock(final ObjectTable t, final int slot)
    {
        final long inode = t.aux(A_SOCK_INODE, slot);
        if (inode != 0)
        {
            final int i = inodes.find(inode, 0);
            if (i >= 0)
            {
                inodes.aux(0, i, 0);
                dropIfEmpty(i);
            }
        }
        endpoints.remove(t.aux(A_SOCK_ENDPOINT, slot), 0);
    }

    private void removeSock(final ObjectTable t, final int slot)
    {
        unindexSock(t, slot);
        t.removeAt(slot);
    }

    private void remove(final long netns, final Kind kind, final ObjectTable t, final int slot)
    {
        if (kind == Kind.CONN)
        {
            final long ownerKey = netns * 0x9E3779B97F4A7C15L ^ t.key(slot);
            connOwners.remove(ownerKey == 0 ? 1 : ownerKey, ObjectTable.check(t.meta(slot)));
        }
        t.removeAt(slot);
    }

    private void forgetOwner(final long inode)
    {
        final int i = inodes.find(inode, 0);
        if (i >= 0)
        {
            inodes.value(i, 0);
            dropIfEmpty(i);
        }
    }

    private void dropIfEmpty(final int inodeSlot)
    {
        if (inodes.value(inodeSlot) == 0 && inodes.aux(0, inodeSlot) == 0)
        {
            inodes.removeAt(inodeSlot);
        }
    }

    /** What {@code --ifname} compares: a hash of an interface name. */
    static long nameHash(final String name)
    {
        return name == null ? 0 : new IdentityHash().start(77).add(name).hash();
    }

    /** The name hash of the link with this ifindex in this namespace now, or 0 when there is none. */
    long linkNameHash(final long netns, final int ifindex)
    {
        final ObjectTable links = tables.find(netns, Kind.LINK);
        if (links == null || ifindex == 0)
        {
            return 0;
        }
        final IdentityHash h = lookupHash.start(Kind.LINK.ordinal() + 1).add(ifindex);
        final int slot = links.find(h.hash(), h.check());
        return slot < 0 ? 0 : links.aux(A_LINK_NAME, slot);
    }

    /** The owner (pid, comm) attribution gave the socket inode, or 0. */
    long ownerOf(final long inode)
    {
        if (inode == 0)
        {
            return 0;
        }
        final int i = inodes.find(inode, 0);
        return i < 0 ? 0 : inodes.value(i);
    }

    /** The owner an object printed with when it was last stored (sockets: by inode; flows: their local socket's). */
    long ownerOfObject(final long netns, final Kind kind, final ObjectTable t, final int slot)
    {
        if (kind == Kind.SOCK)
        {
            return ownerOf(t.aux(A_SOCK_INODE, slot));
        }
        if (kind == Kind.CONN)
        {
            final long ownerKey = netns * 0x9E3779B97F4A7C15L ^ t.key(slot);
            final int o = connOwners.find(ownerKey == 0 ? 1 : ownerKey, ObjectTable.check(t.meta(slot)));
            return o < 0 ? 0 : connOwners.value(o);
        }
        return 0;
    }

    void setOwner(final EventView event, final long owner)
    {
        if (owner != 0)
        {
            event.owner(Comms.pid(owner), comms.name(Comms.commId(owner)));
        }
    }

    private static void emit(final Emitter out, final EventView event)
    {
        if (out != null)
        {
            out.emit(event);
        }
    }

    private static boolean comparesContent(final Kind kind)
    {
        return kind != Kind.CONN && kind != Kind.SOCK;
    }

    // ---- sockets and flows ------------------------------------------------------------------------------

    /** Unconnected sockets (listeners, unconnected UDP) by their local end; connected ones by both ends. */
    private long sockEndpoint(final long netns, final SockEvent sock)
    {
        final IdentityHash h = endpointHash.start(netns).add(sock.proto());
        sock.src(h);
        h.add(sock.decoder().sport());
        if (!sock.unconnected())
        {
            h.add(-2L);
            sock.dst(h);
            h.add(sock.decoder().dport());
        }
        return h.hash();
    }

    /**
     * The owner of the local socket a conntrack flow belongs to: an outgoing connection's socket has the
     * original tuple's endpoints; an accepted one, through DNAT or not, the reply tuple's; else a listener or
     * an unconnected UDP socket on the reply tuple's source (a socket bound to :: takes IPv6 flows, and IPv4
     * ones too unless it is IPV6_V6ONLY). The first socket found decides, owner or not.
     */
    private long flowOwner(final long netns, final ConnEvent conn)
    {
        if (endpoints.size() == 0)
        {
            return 0;
        }
        final CtTuple orig = conn.decoder().orig();
        final CtTuple reply = conn.decoder().reply();
        if (!orig.present() || !reply.present() || orig.srcPort() < 0)
        {
            return 0;
        }
        final ByteBuffer buf = conn.buffer();
        final int proto = orig.l4proto();
        long inode = lookup(connected(netns, proto, buf, orig));
        if (inode == NO_INODE)
        {
            inode = lookup(connected(netns, proto, buf, reply));
        }
        if (inode == NO_INODE)
        {
            inode = lookup(local(netns, proto, buf, reply.srcOffset(), reply.srcLength(), reply.srcPort()));
        }
        if (inode == NO_INODE && conn.decoder().l3family() != Rtnetlink.AF_INET6)
        {
            inode = lookup(local(netns, proto, null, 0, 4, reply.srcPort()));
        }
        if (inode == NO_INODE)
        {
            inode = lookup(local(netns, proto, null, 0, 16, reply.srcPort()));
        }
        return inode == NO_INODE ? 0 : ownerOf(inode);
    }

    private long lookup(final long endpoint)
    {
        final int e = endpoints.find(endpoint, 0);
        return e < 0 ? NO_INODE : endpoints.value(e);
    }

    private long connected(final long netns, final int proto, final ByteBuffer buf, final CtTuple t)
    {
        final IdentityHash h = endpointHash.start(netns).add(proto);
        address(h, buf, t.srcOffset(), t.srcLength());
        h.add(t.srcPort()).add(-2L);
        address(h, buf, t.dstOffset(), t.dstLength());
        return h.add(t.dstPort()).hash();
    }

    /** A local end; a null buffer means the unspecified address of that length (0.0.0.0 or ::). */
    private long local(final long netns, final int proto, final ByteBuffer buf, final int offset, final int length, final int port)
    {
        final IdentityHash h = endpointHash.start(netns).add(proto);
        if (buf == null)
        {
            h.add(UNSPECIFIED, 0, length);
        }
        else
        {
            address(h, buf, offset, length);
        }
        return h.add(port).hash();
    }

    private static void address(final IdentityHash h, final ByteBuffer buf, final int offset, final int length)
    {
        if (offset < 0)
        {
            h.add(-1L);
            return;
        }
        h.add(buf, offset, length);
    }
}
