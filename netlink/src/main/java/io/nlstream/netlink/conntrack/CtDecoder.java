package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.ByteView;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Nest;
import io.nlstream.netlink.Netlink;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.conntrack.Ctnetlink.*;
import static io.nlstream.netlink.conntrack.Nfnetlink.*;

/**
 * Flyweight over a ctnetlink conntrack message: an IPCTNL_MSG_CT_NEW or IPCTNL_MSG_CT_DELETE event
 * (NFNLGRP_CONNTRACK_NEW, _UPDATE, _DESTROY) or a reply of an IPCTNL_MSG_CT_GET dump.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  struct nlmsghdr (16 bytes), nlmsg_type                       |
 *  |    (NFNL_SUBSYS_CTNETLINK &lt;&lt; 8) | IPCTNL_MSG_CT_NEW / _DELETE  |
 *  +---------------+---------------+-------------------------------+
 *  | nfgen_family  |  version (0)  |     res_id (be16, 0)          |  struct nfgenmsg
 *  +---------------+---------------+-------------------------------+
 *  |  CTA_* attributes to nlmsg_len; numbers are big-endian:       |
 *  |    CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_TUPLE_MASTER  nested, see {@link CtTuple}
 *  |    CTA_STATUS, CTA_TIMEOUT, CTA_MARK, CTA_USE, CTA_ID   be32   |
 *  |    CTA_ZONE be16        CTA_LABELS bitmap (host order)        |
 *  |    CTA_PROTOINFO nested: CTA_PROTOINFO_TCP nested:            |
 *  |        CTA_PROTOINFO_TCP_STATE u8, _WSCALE_ORIGINAL/_REPLY u8,|
 *  |        _FLAGS_ORIGINAL/_REPLY struct nf_ct_tcp_flags (2)      |
 *  |      CTA_PROTOINFO_SCTP: _STATE u8, _VTAG_ORIGINAL/_REPLY be32|
 *  |      CTA_PROTOINFO_DCCP: _STATE u8, _ROLE u8, _HANDSHAKE_SEQ be64
 *  |    CTA_COUNTERS_ORIG, _REPLY nested: CTA_COUNTERS_PACKETS,    |
 *  |        CTA_COUNTERS_BYTES be64 (nf_conntrack_acct=1)          |
 *  |    CTA_TIMESTAMP nested: CTA_TIMESTAMP_START, _STOP be64 ns   |
 *  |        (nf_conntrack_timestamp=1; STOP on DESTROY only)       |
 *  |    CTA_TIMESTAMP_EVENT be64 ns                                |
 *  |    CTA_HELP nested: CTA_HELP_NAME string                      |
 *  |    CTA_SEQ_ADJ_ORIG, _REPLY nested: CTA_SEQADJ_CORRECTION_POS,|
 *  |        _OFFSET_BEFORE, _OFFSET_AFTER be32                     |
 *  |    CTA_SECCTX nested: CTA_SECCTX_NAME string                  |
 *  |    CTA_NAT_SRC, CTA_NAT_DST nested (CTA_NAT_*; requests)      |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * {@link #wrap} validates the whole message once, as {@code mnl_attr_validate} would: framing, the
 * nfgenmsg size, and the size of every attribute this class knows at every depth (addresses exactly 4
 * or 16 bytes, ports and ids 2, protocol, ICMP type and code 1, u32s 4, u64s 8, strings NUL-terminated,
 * nests empty or holding a header); types it does not know are skipped, so a newer kernel's attributes
 * do no harm. When an attribute appears twice the last one wins, a nest as a whole
 * ({@code tb[type] = attr}). On a bad message wrap returns false, {@link #error()} names what failed at
 * {@link #errorOffset()}, and the getters answer as if every attribute were absent: never half an object.
 * <p>
 * What the kernel sends: a NEW event has the tuples, status, timeout, protoinfo, mark (if not 0), id,
 * zone and labels; UPDATE the same; DESTROY adds counters and timestamps and drops protoinfo
 * detail. Dump replies carry everything. The entry's identity across events is {@link #id()} (with the
 * original tuple and zone).
 * <p>
 * Getters read in place, so they are valid while the buffer holds the message. Reusable and
 * allocation-free except for the String getters. Not thread safe.
 */
public final class CtDecoder extends MessageDecoder
{
    /**
     * What a message means for the state of the table.
     */
    public enum EventType
    {
        /** A new entry: IPCTNL_MSG_CT_NEW with NLM_F_CREATE (event) or NLM_F_MULTI (dump reply). */
        NEW,
        /** A change to an entry: IPCTNL_MSG_CT_NEW without either flag. */
        UPDATE,
        /** The entry is gone: IPCTNL_MSG_CT_DELETE. */
        DESTROY
    }

    public static final String ERR_NOT_CONNTRACK = "not a ctnetlink IPCTNL_MSG_CT_NEW or IPCTNL_MSG_CT_DELETE message";
    public static final String ERR_SHORT_NFGENMSG = "message shorter than struct nfgenmsg";
    public static final String ERR_IPV4_LENGTH = CtPolicies.ERR_IPV4_LENGTH;
    public static final String ERR_IPV6_LENGTH = CtPolicies.ERR_IPV6_LENGTH;
    public static final String ERR_TCP_FLAGS_LENGTH = CtPolicies.ERR_TCP_FLAGS_LENGTH;

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(NFGENMSG_LEN);
    private static final int CT_NEW = nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW);
    private static final int CT_DELETE = nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE);

    private final CtWalk walk = new CtWalk();
    // payload offsets by type, -1 when absent, one table per level (CtPolicies.TOP and the nests it declares)
    private final Nest nest = Nest.of(CtPolicies.TOP);
    private final int[] top = nest.at;
    private final int[] tcp = nest.nest(CTA_PROTOINFO).nest(CTA_PROTOINFO_TCP).at;
    private final int[] sctp = nest.nest(CTA_PROTOINFO).nest(CTA_PROTOINFO_SCTP).at;
    private final int[] dccp = nest.nest(CTA_PROTOINFO).nest(CTA_PROTOINFO_DCCP).at;
    private final int[][] counters = {nest.nest(CTA_COUNTERS_ORIG).at, nest.nest(CTA_COUNTERS_REPLY).at};
    private final int[] timestamp = nest.nest(CTA_TIMESTAMP).at;
    private final int[] help = nest.nest(CTA_HELP).at;

    // the wrapped buffer, read unchecked at offsets wrap has validated; shared with the tuples
    private final ByteView view = new ByteView();
    private final CtTuple orig = new CtTuple(view, nest.nest(CTA_TUPLE_ORIG));
    private final CtTuple reply = new CtTuple(view, nest.nest(CTA_TUPLE_REPLY));
    private final CtTuple master = new CtTuple(view, nest.nest(CTA_TUPLE_MASTER));
    /** The last wrap read the whole message: a {@link #wrapTuples} after it empties the rest first. */
    private boolean whole;

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed conntrack message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        final int len = open(buf, offset, length, CT_NEW, CT_DELETE, ERR_NOT_CONNTRACK, NFGENMSG_LEN, ERR_SHORT_NFGENMSG,
            nest);
        view.wrap(buf);
        whole = true;
        if (len < 0)
        {
            return false;
        }
        final int start = offset + ATTRIBUTES_OFFSET;
        return accept(walk, walk.TOP(buf, start, offset + len - start, nest));
    }

    /**
     * As {@link #wrap}, but reads no further than the original and reply tuples (the first attributes the kernel
     * sends): for a reader that judges a flow by its tuples before it decodes the rest (a filtered replay skips
     * the flows its filters reject). After it, only {@link #orig()} and {@link #reply()} are meaningful; what
     * follows the tuples is not checked (nor is a second copy of a tuple, which {@link #wrap} would take instead).
     *
     * @return true if the message is framed as a conntrack message and its tuples are well formed
     */
    public boolean wrapTuples(final ByteBuffer buf, final int offset, final int length)
    {
        final int len = open(buf, offset, length, CT_NEW, CT_DELETE, ERR_NOT_CONNTRACK, NFGENMSG_LEN, ERR_SHORT_NFGENMSG,
            nest);
        view.wrap(buf);
        if (whole)
        {
            // the tuples' walk fills only their tables
            nest.clear();
            whole = false;
        }
        if (len < 0)
        {
            return false;
        }
        final int start = offset + ATTRIBUTES_OFFSET;
        return accept(walk, walk.TUPLES(buf, start, tuplesEnd(start, offset + len) - start, nest));
    }

    /**
     * @return where the attribute that completes the original and reply tuples ends; {@code end} when the message
     * lacks one of them or its framing breaks before (then the walk of the whole area finds what it is)
     */
    private int tuplesEnd(final int start, final int end)
    {
        boolean orig = false;
        boolean reply = false;
        for (int pos = start; end - pos >= Netlink.NLA_HDRLEN;)
        {
            final int header = view.i32(pos);
            final int len = AttributeIterator.lenOf(header);
            if (len < Netlink.NLA_HDRLEN || len > end - pos)
            {
                break;
            }
            orig |= AttributeIterator.typeOf(header) == CTA_TUPLE_ORIG;
            reply |= AttributeIterator.typeOf(header) == CTA_TUPLE_REPLY;
            pos += Netlink.nlaAlign(len);
            if (orig && reply)
            {
                return Math.min(pos, end);
            }
        }
        return end;
    }

    // struct nlmsghdr and struct nfgenmsg; 0 when the last wrap failed

    /**
     * @return nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL on a NEW event, 0 on UPDATE and DESTROY,
     * NLM_F_MULTI on a dump reply.
     */
    public int flags()
    {
        return valid ? view.u16(offset + Netlink.NLMSG_FLAGS_OFFSET) : 0;
    }

    public int seq()
    {
        return valid ? view.i32(offset + Netlink.NLMSG_SEQ_OFFSET) : 0;
    }

    /**
     * @return nlmsg_pid: 0 for an event the kernel raised itself, the requester's port id for an event
     * caused by a ctnetlink request ({@code conntrack -D}) and for dump replies.
     */
    public int portId()
    {
        return valid ? view.i32(offset + Netlink.NLMSG_PID_OFFSET) : 0;
    }

    /**
     * @return NEW, UPDATE or DESTROY; null when the last wrap failed.
     */
    public EventType eventType()
    {
        if (!valid)
        {
            return null;
        }
        if (messageType() == CT_DELETE)
        {
            return EventType.DESTROY;
        }
        return (flags() & (Netlink.NLM_F_CREATE | Netlink.NLM_F_MULTI)) != 0 ? EventType.NEW : EventType.UPDATE;
    }

    /**
     * @return nfgen_family: AF_INET or AF_INET6 (the entry's layer 3), see {@link Nfnetlink#familyName(int)}.
     */
    public int l3family()
    {
        return valid ? view.u8(offset + Netlink.NLMSG_HDRLEN + NFGEN_FAMILY_OFFSET) : 0;
    }

    // tuples

    /**
     * @return CTA_TUPLE_ORIG: the flow as its first packet saw it.
     */
    public CtTuple orig()
    {
        return orig;
    }

    /**
     * @return CTA_TUPLE_REPLY: what the answer looks like, after NAT.
     */
    public CtTuple reply()
    {
        return reply;
    }

    /**
     * @return CTA_TUPLE_MASTER: for an expected connection, the original tuple of its master.
     */
    public CtTuple master()
    {
        return master;
    }

    // top-level attributes

    public boolean hasId()
    {
        return top[CTA_ID] >= 0;
    }

    /**
     * @return CTA_ID (u32), or -1.
     */
    public long id()
    {
        return be32(top[CTA_ID]);
    }

    public boolean hasStatus()
    {
        return top[CTA_STATUS] >= 0;
    }

    /**
     * @return CTA_STATUS ({@code IPS_*}, see {@link CtStatus#names(int)}), or -1.
     */
    public int status()
    {
        final int status = top[CTA_STATUS];
        return status >= 0 ? view.i32be(status) : -1;
    }

    public boolean hasTimeout()
    {
        return top[CTA_TIMEOUT] >= 0;
    }

    /**
     * @return CTA_TIMEOUT: seconds until the entry expires, or -1.
     */
    public long timeout()
    {
        return be32(top[CTA_TIMEOUT]);
    }

    public boolean hasMark()
    {
        return top[CTA_MARK] >= 0;
    }

    /**
     * @return CTA_MARK (u32), or -1; events leave out a mark of 0.
     */
    public long mark()
    {
        return be32(top[CTA_MARK]);
    }

    /**
     * @return CTA_USE (reference count), or -1.
     */
    public long use()
    {
        return be32(top[CTA_USE]);
    }

    /**
     * @return CTA_ZONE, the entry's zone, or -1 (absent means zone 0).
     */
    public int zone()
    {
        final int zone = top[CTA_ZONE];
        return zone >= 0 ? view.u16be(zone) : -1;
    }

    /**
     * @return CTA_PROTOINFO_TCP_STATE ({@code TCP_CONNTRACK_*}, see {@link CtProtoInfo#tcpStateName(int)}), or -1.
     */
    public int tcpState()
    {
        return u8(tcp[CTA_PROTOINFO_TCP_STATE]);
    }

    /**
     * @return CTA_PROTOINFO_SCTP_STATE ({@code SCTP_CONNTRACK_*}), or -1.
     */
    public int sctpState()
    {
        return u8(sctp[CTA_PROTOINFO_SCTP_STATE]);
    }

    /**
     * @return CTA_PROTOINFO_DCCP_STATE ({@code CT_DCCP_*}), or -1.
     */
    public int dccpState()
    {
        return u8(dccp[CTA_PROTOINFO_DCCP_STATE]);
    }

    /**
     * @return whether CTA_COUNTERS_ORIG or _REPLY is present (nf_conntrack_acct=1; DESTROY and dumps).
     */
    public boolean hasCounters(final int dir)
    {
        return top[checkDirection(dir) == IP_CT_DIR_ORIGINAL ? CTA_COUNTERS_ORIG : CTA_COUNTERS_REPLY] >= 0;
    }

    /**
     * @return CTA_COUNTERS_PACKETS of that direction (u64), or -1.
     */
    public long packets(final int dir)
    {
        return be64(counters[checkDirection(dir)][CTA_COUNTERS_PACKETS]);
    }

    /**
     * @return CTA_COUNTERS_BYTES of that direction (u64, IP header included), or -1.
     */
    public long bytes(final int dir)
    {
        return be64(counters[checkDirection(dir)][CTA_COUNTERS_BYTES]);
    }

    /**
     * @return whether CTA_TIMESTAMP is present (nf_conntrack_timestamp=1; DESTROY and dumps).
     */
    public boolean hasTimestamp()
    {
        return top[CTA_TIMESTAMP] >= 0;
    }

    /**
     * @return CTA_TIMESTAMP_START: ns since the epoch when the entry was confirmed, or -1.
     */
    public long timestampStart()
    {
        return be64(timestamp[CTA_TIMESTAMP_START]);
    }

    /**
     * @return CTA_TIMESTAMP_STOP: ns since the epoch when the entry died; -1 when absent or 0 (alive).
     */
    public long timestampStop()
    {
        final long stop = be64(timestamp[CTA_TIMESTAMP_STOP]);
        return stop == 0 ? -1 : stop;
    }

    public boolean hasLabels()
    {
        return top[CTA_LABELS] >= 0;
    }

    /**
     * @return where the CTA_LABELS bitmap starts, -1 when absent.
     */
    public int labelsOffset()
    {
        return top[CTA_LABELS];
    }

    /**
     * @return the CTA_LABELS bitmap's size in bytes (16 today), 0 when absent.
     */
    public int labelsLength()
    {
        return length(top[CTA_LABELS]);
    }

    /**
     * @return CTA_HELP / CTA_HELP_NAME ("ftp", "sip", ...), or null.
     */
    public String helperName()
    {
        return string(help[CTA_HELP_NAME]);
    }

    /**
     * @return whether CTA_SEQ_ADJ_ORIG or _REPLY is present (TCP sequence adjustment by a helper or NAT).
     */
    public boolean hasSeqAdj(final int dir)
    {
        return top[checkDirection(dir) == IP_CT_DIR_ORIGINAL ? CTA_SEQ_ADJ_ORIG : CTA_SEQ_ADJ_REPLY] >= 0;
    }

    private long be32(final int payload)
    {
        return payload >= 0 ? Integer.toUnsignedLong(view.i32be(payload)) : -1;
    }

    private long be64(final int payload)
    {
        return payload >= 0 ? view.i64be(payload) : -1;
    }

    private static int checkDirection(final int dir)
    {
        if (dir != IP_CT_DIR_ORIGINAL && dir != IP_CT_DIR_REPLY)
        {
            badDirection(dir);
        }
        return dir;
    }

    private static void badDirection(final int dir)
    {
        throw new IllegalArgumentException("dir=" + dir + " is not IP_CT_DIR_ORIGINAL (0) or IP_CT_DIR_REPLY (1)");
    }
}
