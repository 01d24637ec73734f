package io.nlstream.monitor.read;

import io.nlstream.netlink.conntrack.CtDecoder;
import io.nlstream.netlink.conntrack.CtProtoInfo;
import io.nlstream.netlink.conntrack.CtStatus;
import io.nlstream.netlink.conntrack.CtTuple;
import io.nlstream.netlink.conntrack.Ctnetlink;
import io.nlstream.netlink.conntrack.IpProto;
import io.nlstream.sinks.CommunityId;
import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A conntrack event or entry (IPCTNL_MSG_CT_NEW / IPCTNL_MSG_CT_DELETE). Identity: the zone and the original
 * tuple (CTA_ID is a 32-bit hash that collides among a million flows). Written without allocating: names
 * of states and status bits are constants, addresses are formatted from the message's bytes.
 */
public final class ConnEvent extends EventBody
{
    private static final Name ID = Name.of("id");
    private static final Name FAMILY = Name.of("family");
    private static final Name PROTO = Name.of("proto");
    private static final Name ORIG = Name.of("orig");
    private static final Name REPLY = Name.of("reply");
    private static final Name SRC = Name.of("src");
    private static final Name DST = Name.of("dst");
    private static final Name SPORT = Name.of("sport");
    private static final Name DPORT = Name.of("dport");
    private static final Name TYPE = Name.of("type");
    private static final Name CODE = Name.of("code");
    private static final Name ICMP_ID = Name.of("icmp_id");
    private static final Name TCP_STATE = Name.of("tcp_state");
    private static final Name SCTP_STATE = Name.of("sctp_state");
    private static final Name DCCP_STATE = Name.of("dccp_state");
    private static final Name STATUS = Name.of("status");
    private static final Name MARK = Name.of("mark");
    private static final Name ZONE = Name.of("zone");
    private static final Name PROTO_NUM = Name.of("proto_num");
    private static final Name TIMEOUT = Name.of("timeout");
    private static final Name USE = Name.of("use");
    private static final Name COMMUNITY_ID = Name.of("community_id");
    private static final Name COMMUNITY_ID_REPLY = Name.of("community_id_reply");
    private static final Name COUNTERS = Name.of("counters");
    private static final Name ORIG_PACKETS = Name.of("orig_packets");
    private static final Name ORIG_BYTES = Name.of("orig_bytes");
    private static final Name REPLY_PACKETS = Name.of("reply_packets");
    private static final Name REPLY_BYTES = Name.of("reply_bytes");
    private static final Name START = Name.of("start");
    private static final Name STOP = Name.of("stop");
    private static final Name LABELS = Name.of("labels");
    private static final Name HELPER = Name.of("helper");
    private static final Name SEQ_ADJUST = Name.of("seq_adjust");

    static final Names PROTOS = new Names(256, IpProto::name);
    private static final Names TCP_STATES = new Names(16, CtProtoInfo::tcpStateName);
    private static final Names SCTP_STATES = new Names(16, CtProtoInfo::sctpStateName);
    private static final Names DCCP_STATES = new Names(16, CtProtoInfo::dccpStateName);
    private static final Name[] STATUS_BITS = new Name[16];

    static
    {
        for (int bit = 0; bit < STATUS_BITS.length; bit++)
        {
            STATUS_BITS[bit] = Name.of(CtStatus.names(1 << bit).get(0));
        }
    }

    final CtDecoder decoder = new CtDecoder();
    private final FlowId flowId = new FlowId();
    /**
     * The original tuple's id of the message wrapped now, once computed ({@link #origIdLength} bytes; -1: not yet):
     * its JSON and its Kafka key both need it, and the reply's id is computed into {@link #flowId} after it.
     */
    private final byte[] origFlowId = new byte[CommunityId.LENGTH];
    private int origIdLength = -1;
    private ByteBuffer buf;

    boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        this.buf = buf;
        origIdLength = -1;
        return decoder.wrap(buf, offset, length);
    }

    @Override
    Kind kind()
    {
        return Kind.CONN;
    }

    public CtDecoder decoder()
    {
        return decoder;
    }

    public ByteBuffer buffer()
    {
        return buf;
    }

    /** The op this message is: new, update or destroy. */
    Name op()
    {
        switch (decoder.eventType())
        {
            case NEW:
                return Ops.NEW;
            case DESTROY:
                return Ops.DESTROY;
            default:
                return Ops.UPDATE;
        }
    }

    /** The IP protocol of the original tuple, -1 when absent. */
    @Override
    int proto()
    {
        final CtTuple orig = decoder.orig();
        return orig.present() ? orig.l4proto() : -1;
    }

    @Override
    int family()
    {
        return decoder.l3family();
    }

    @Override
    boolean identity(final IdentityHash h)
    {
        final CtTuple t = decoder.orig();
        h.add(decoder.zone()).add(t.present() ? t.l4proto() : -1);
        tuple(h, t);
        return true;
    }

    private void tuple(final IdentityHash h, final CtTuple t)
    {
        if (t.hasSrc())
        {
            h.add(buf, t.srcOffset(), t.srcLength());
        }
        else
        {
            h.add(-1L);
        }
        if (t.hasDst())
        {
            h.add(buf, t.dstOffset(), t.dstLength());
        }
        else
        {
            h.add(-1L);
        }
        h.add((long)t.srcPort() << 32 | t.dstPort() & 0xFFFFFFFFL);
        h.add((long)t.icmpType() << 40 ^ (long)t.icmpCode() << 20 ^ t.icmpId());
    }

    /**
     * Writes the Community ID of the original tuple; false when the tuple lacks what the id needs.
     */
    boolean communityId(final FieldWriter w)
    {
        final int length = flowId();
        if (length <= 0)
        {
            return false;
        }
        w.ascii(COMMUNITY_ID, origFlowId, 0, length);
        return true;
    }

    /**
     * Writes the Community ID of the reply tuple after the original's, when NAT made it another flow: the id the
     * server's socket has (the reply inverted; the id is direction-symmetric, so the reply hashes as its
     * inverse). Without NAT it is the original's id and is left out. Call after {@link #communityId} wrote the
     * original's id (kept in {@link #origFlowId}; the reply's goes into {@link #flowId}).
     */
    private void communityIdReply(final FieldWriter w)
    {
        if (inverse(decoder.orig(), decoder.reply()))
        {
            // the reply is the original seen from the other end: the same id, which is left out
            return;
        }
        final int length = flowId(decoder.reply());
        if (length > 0 && !Arrays.equals(origFlowId, 0, length, flowId.bytes(), 0, length))
        {
            w.ascii(COMMUNITY_ID_REPLY, flowId.bytes(), 0, length);
        }
    }

    /**
     * Whether {@code r} is {@code o} with its ends swapped (no NAT): addresses and ports exchanged, the same
     * protocol, neither an ICMP tuple (whose reply carries the counterpart type). Such a reply hashes to the
     * original's Community ID, which is direction-symmetric, so it need not be hashed.
     */
    private boolean inverse(final CtTuple o, final CtTuple r)
    {
        return r.present() && o.icmpType() < 0 && r.icmpType() < 0 && o.l4proto() == r.l4proto()
            && o.srcPort() == r.dstPort() && o.dstPort() == r.srcPort()
            && o.hasSrc() && o.hasDst() && r.hasSrc() && r.hasDst()
            && sameAddress(o.srcOffset(), o.srcLength(), r.dstOffset(), r.dstLength())
            && sameAddress(o.dstOffset(), o.dstLength(), r.srcOffset(), r.srcLength());
    }

    private boolean sameAddress(final int a, final int aLength, final int b, final int bLength)
    {
        if (aLength != bLength)
        {
            return false;
        }
        if (aLength == 4)
        {
            return buf.getInt(a) == buf.getInt(b);
        }
        // any other length: no id to share (the caller hashes the reply, which has none either)
        return aLength == 16 && buf.getLong(a) == buf.getLong(b) && buf.getLong(a + 8) == buf.getLong(b + 8);
    }

    /**
     * The Community ID of the original tuple into {@link #origFlowId}, computed once per message; its length, 0 when
     * the tuple lacks what it needs.
     */
    private int flowId()
    {
        if (origIdLength < 0)
        {
            origIdLength = flowId(decoder.orig());
            if (origIdLength > 0)
            {
                System.arraycopy(flowId.bytes(), 0, origFlowId, 0, origIdLength);
            }
        }
        return origIdLength;
    }

    /**
     * The Community ID of tuple {@code t} as it stands into {@link #flowId}; its length, 0 when the tuple lacks
     * what it needs. A reply tuple is hashed as the kernel wrote it, not with src and dst swapped: its ICMP type
     * is already the counterpart (echo reply), which hashes as the inverse only with the addresses in this order.
     */
    private int flowId(final CtTuple t)
    {
        if (!t.present() || !t.hasSrc() || !t.hasDst() || t.srcLength() != t.dstLength())
        {
            return 0;
        }
        return t.icmpType() >= 0
            ? flowId.compute(buf, t.srcOffset(), t.dstOffset(), t.srcLength(), t.l4proto(), t.icmpType(), Math.max(t.icmpCode(), 0))
            : flowId.compute(buf, t.srcOffset(), t.dstOffset(), t.srcLength(), t.l4proto(), t.srcPort(), t.dstPort());
    }

    @Override
    void writeFields(final FieldWriter w, final EventView event)
    {
        final CtDecoder c = decoder;
        if (c.hasId())
        {
            w.field(ID, c.id());
        }
        w.field(FAMILY, Families.name(c.l3family()));
        final CtTuple orig = c.orig();
        if (orig.present())
        {
            if (orig.l4proto() >= 0)
            {
                // no CTA_PROTO_NUM: no field, as for every absent attribute (not "unknown", a protocol's name)
                w.field(PROTO, PROTOS.of(orig.l4proto()));
                // the number too: conntrack prints "unknown 2" for what has no name here
                w.field(PROTO_NUM, orig.l4proto());
            }
            tuple(w, ORIG, orig);
        }
        if (c.reply().present())
        {
            tuple(w, REPLY, c.reply());
        }
        if (c.tcpState() >= 0)
        {
            w.field(TCP_STATE, TCP_STATES.of(c.tcpState()));
        }
        if (c.sctpState() >= 0)
        {
            w.field(SCTP_STATE, SCTP_STATES.of(c.sctpState()));
        }
        if (c.dccpState() >= 0)
        {
            w.field(DCCP_STATE, DCCP_STATES.of(c.dccpState()));
        }
        if (c.hasStatus())
        {
            status(w, c.status());
        }
        if (c.hasMark())
        {
            w.field(MARK, c.mark());
        }
        if (c.zone() >= 0)
        {
            w.field(ZONE, c.zone());
        }
        if (c.hasTimeout())
        {
            w.field(TIMEOUT, c.timeout());
        }
        if (c.use() >= 0)
        {
            w.field(USE, c.use());
        }
        if (communityId(w))
        {
            communityIdReply(w);
        }
        if (c.hasCounters(Ctnetlink.IP_CT_DIR_ORIGINAL) || c.hasCounters(Ctnetlink.IP_CT_DIR_REPLY))
        {
            w.beginObject(COUNTERS);
            w.field(ORIG_PACKETS, c.packets(Ctnetlink.IP_CT_DIR_ORIGINAL));
            w.field(ORIG_BYTES, c.bytes(Ctnetlink.IP_CT_DIR_ORIGINAL));
            w.field(REPLY_PACKETS, c.packets(Ctnetlink.IP_CT_DIR_REPLY));
            w.field(REPLY_BYTES, c.bytes(Ctnetlink.IP_CT_DIR_REPLY));
            w.endObject();
        }
        if (c.hasTimestamp())
        {
            w.timestamp(START, c.timestampStart());
            if (c.timestampStop() > 0)
            {
                w.timestamp(STOP, c.timestampStop());
            }
        }
        if (c.hasLabels())
        {
            w.hex(LABELS, buf, c.labelsOffset(), c.labelsLength());
        }
        LinkEvent.stringIfPresent(w, HELPER, c.helperName());
        if (c.hasSeqAdj(Ctnetlink.IP_CT_DIR_ORIGINAL) || c.hasSeqAdj(Ctnetlink.IP_CT_DIR_REPLY))
        {
            w.field(SEQ_ADJUST, true);
        }
    }

    private void tuple(final FieldWriter w, final Name name, final CtTuple t)
    {
        w.beginObject(name);
        if (t.hasSrc())
        {
            w.address(SRC, buf, t.srcOffset(), t.srcLength());
        }
        if (t.hasDst())
        {
            w.address(DST, buf, t.dstOffset(), t.dstLength());
        }
        if (t.srcPort() >= 0 || t.dstPort() >= 0)
        {
            if (t.srcPort() >= 0)
            {
                w.field(SPORT, t.srcPort());
            }
            if (t.dstPort() >= 0)
            {
                w.field(DPORT, t.dstPort());
            }
        }
        if (t.icmpType() >= 0)
        {
            w.field(TYPE, t.icmpType());
            if (t.icmpCode() >= 0)
            {
                w.field(CODE, t.icmpCode());
            }
            if (t.icmpId() >= 0)
            {
                w.field(ICMP_ID, t.icmpId());
            }
        }
        w.endObject();
    }

    private static void status(final FieldWriter w, final int status)
    {
        w.beginList(STATUS);
        // the bits set, lowest first: a flow has a few of the sixteen
        for (int bits = status & (1 << STATUS_BITS.length) - 1; bits != 0; bits &= bits - 1)
        {
            w.element(STATUS_BITS[Integer.numberOfTrailingZeros(bits)]);
        }
        final int rest = status & ~((1 << STATUS_BITS.length) - 1);
        if (rest != 0)
        {
            w.element("0x" + Integer.toHexString(rest));
        }
        w.endList();
    }

    @Override
    void kafkaKey(final long netns, final Ascii key)
    {
        final int n = flowId();
        if (n > 0)
        {
            key.append(origFlowId, 0, n);
            return;
        }
        key.append(netns).append(':');
        if (decoder.hasId())
        {
            key.append(decoder.id());
        }
        else
        {
            key.append("null");
        }
    }
}
