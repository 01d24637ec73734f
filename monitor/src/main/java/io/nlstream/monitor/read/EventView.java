package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.ContainerIdentity;
import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;

/**
 * One event (or, for {@code state}, one object) as every reader hands it on: the journal position and
 * capture header it came from, what the read pipeline's state policy decided about it (its op, origin, the
 * owning process, a synthesized end), and a typed view of its kind over the decoder flyweight. Reused from
 * event to event: valid only during the consumer's call; {@link #write} renders it.
 *
 * <pre>
 * JSON: {"seq":S,"ts":T,"kind":K,"op":O,"netns":N,"netns_name":...,"container_id":...,"pod_uid":...,"container_runtime":...,"host":H,"origin":..., kind fields..., "pid":P,"comm":C,"synthesized":true,"sub":n}
 * </pre>
 * Where {@code origin} goes follows the events the earlier map model made: first for an event as the kernel
 * sent it, last for one the state policy made of an object it held (an owner found later, a synthesized end).
 */
public final class EventView
{
    private static final Name ORIGIN = Name.of("origin");
    private static final Name PID = Name.of("pid");
    private static final Name COMM = Name.of("comm");
    private static final Name SYNTHESIZED = Name.of("synthesized");
    private static final Name SUB = Name.of("sub");

    private long seq;
    private int sub;
    private long tsNanos;
    private Name op;
    private long netns;
    private Name origin;
    private boolean originLast;
    private boolean synthesized;
    private int pid;
    private String comm;
    private boolean masterDown;
    private EventBody body;
    /** The journal's host id (see {@link io.nlstream.monitor.journal.JournalIdentity}); null: not written. */
    String host;
    /** Names of interfaces at this point of the journal; null: events carry no {@code dev}. */
    DevNames devNames;

    void set(final EventBody body, final long seq, final long tsNanos, final long netns, final Name op, final Name origin)
    {
        this.body = body;
        this.seq = seq;
        this.tsNanos = tsNanos;
        this.netns = netns;
        this.op = op;
        this.origin = origin;
        this.sub = 0;
        this.originLast = false;
        this.synthesized = false;
        this.pid = 0;
        this.comm = null;
        this.masterDown = false;
    }

    /** An object as {@code state} prints it: no seq, ts, op or origin. */
    void asObject()
    {
        op = null;
        origin = null;
    }

    void origin(final Name origin, final boolean last)
    {
        this.origin = origin;
        this.originLast = last;
    }

    void synthesizedEnd(final int sub)
    {
        this.synthesized = true;
        this.sub = sub;
    }

    void sub(final int sub)
    {
        this.sub = sub;
    }

    void owner(final int pid, final String comm)
    {
        this.pid = pid;
        this.comm = comm;
    }

    /** The name of interface {@code ifindex} in the event's namespace when the event happened, or null. */
    String dev(final int ifindex)
    {
        return devNames == null || ifindex <= 0 ? null : devNames.name(netns, ifindex);
    }

    void masterDown(final boolean down)
    {
        this.masterDown = down;
    }

    void op(final Name op)
    {
        this.op = op;
    }

    void at(final long seq, final long tsNanos)
    {
        this.seq = seq;
        this.tsNanos = tsNanos;
    }

    /** The journal index of the entry this event came from: stable, strictly increasing with {@link #sub()}. */
    public long seq()
    {
        return seq;
    }

    /** 1, 2, ... for the ends one dump implies (they share the dump end's seq), else 0. */
    public int sub()
    {
        return sub;
    }

    public long tsNanos()
    {
        return tsNanos;
    }

    public Kind kind()
    {
        return body.kind();
    }

    /** new, del, update, destroy, overrun; null for an object of {@code state}. */
    public Name op()
    {
        return op;
    }

    public long netns()
    {
        return netns;
    }

    /** event, dump or resync; null for an object of {@code state}. */
    public Name origin()
    {
        return origin;
    }

    public boolean synthesized()
    {
        return synthesized;
    }

    /** The process holding the socket (sock) or the local socket of the flow (conn); 0 when unknown. */
    public int pid()
    {
        return pid;
    }

    /** The process's command name, with {@link #pid()}; null when unknown. */
    public String comm()
    {
        return comm;
    }

    boolean masterDown()
    {
        return masterDown;
    }

    public LinkEvent link()
    {
        return (LinkEvent)body;
    }

    public AddrEvent addr()
    {
        return (AddrEvent)body;
    }

    public RouteEvent route()
    {
        return (RouteEvent)body;
    }

    public NeighEvent neigh()
    {
        return (NeighEvent)body;
    }

    public ConnEvent conn()
    {
        return (ConnEvent)body;
    }

    public SockEvent sock()
    {
        return (SockEvent)body;
    }

    public GapEvent gap()
    {
        return (GapEvent)body;
    }

    EventBody body()
    {
        return body;
    }

    /** Appends the event's Kafka record key (see {@link Kind}). */
    public void kafkaKey(final Ascii key)
    {
        body.kafkaKey(netns, key);
    }

    /** Renders the event (or object) into {@code w}. */
    public void write(final FieldWriter w)
    {
        w.beginEvent(seq, tsNanos, body.kind().jsonName(), op, netns);
        final String netnsName = devNames == null ? null : devNames.netnsName(netns);
        if (netnsName != null)
        {
            w.netnsName(netnsName);
        }
        final ContainerIdentity container = devNames == null ? null : devNames.container(netns);
        if (container != null)
        {
            w.container(container.containerId(), container.podUid(), container.runtime());
        }
        if (host != null)
        {
            w.host(host);
        }
        if (origin != null && !originLast)
        {
            w.field(ORIGIN, origin);
        }
        body.writeFields(w, this);
        if (pid != 0)
        {
            w.field(PID, pid);
            w.field(COMM, comm);
        }
        if (origin != null && originLast)
        {
            w.field(ORIGIN, origin);
        }
        if (synthesized)
        {
            w.field(SYNTHESIZED, true);
        }
        if (sub > 0)
        {
            w.field(SUB, sub);
        }
        w.endEvent();
    }
}
