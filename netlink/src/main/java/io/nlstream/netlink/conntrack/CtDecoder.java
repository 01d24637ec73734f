package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.AttributeParser;
import io.nlstream.netlink.AttributePolicy;
import io.nlstream.netlink.ByteView;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;

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
 * allocation-free except for the String and byte[] getters. Not thread safe.
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
    public static final String ERR_IPV4_LENGTH = "IPv4 address attribute is not 4 bytes";
    public static final String ERR_IPV6_LENGTH = "IPv6 address attribute is not 16 bytes";
    public static final String ERR_TCP_FLAGS_LENGTH =
        "CTA_PROTOINFO_TCP_FLAGS_* payload is not struct nf_ct_tcp_flags (2 bytes)";

    // the policies, one per nesting level (the kernel's ct_nla_policy and friends in nf_conntrack_netlink.c)

    static final AttributePolicy TUPLE_IP = AttributePolicy.level("CTA_TUPLE_IP")
        .exact(CTA_IP_V4_SRC, 4, ERR_IPV4_LENGTH)
        .exact(CTA_IP_V4_DST, 4, ERR_IPV4_LENGTH)
        .exact(CTA_IP_V6_SRC, 16, ERR_IPV6_LENGTH)
        .exact(CTA_IP_V6_DST, 16, ERR_IPV6_LENGTH)
        .build();
    static final AttributePolicy TUPLE_PROTO = AttributePolicy.level("CTA_TUPLE_PROTO")
        .u8(CTA_PROTO_NUM, CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMP_CODE, CTA_PROTO_ICMPV6_TYPE, CTA_PROTO_ICMPV6_CODE)
        .be16(CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT, CTA_PROTO_ICMP_ID, CTA_PROTO_ICMPV6_ID)
        .build();
    static final AttributePolicy TUPLE = AttributePolicy.level("CTA_TUPLE_*")
        .nested(TUPLE_IP, CTA_TUPLE_IP)
        .nested(TUPLE_PROTO, CTA_TUPLE_PROTO)
        .be16(CTA_TUPLE_ZONE)
        .build();
    static final AttributePolicy TCP = AttributePolicy.level("CTA_PROTOINFO_TCP")
        .u8(CTA_PROTOINFO_TCP_STATE, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, CTA_PROTOINFO_TCP_WSCALE_REPLY)
        .exact(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, NF_CT_TCP_FLAGS_LEN, ERR_TCP_FLAGS_LENGTH)
        .exact(CTA_PROTOINFO_TCP_FLAGS_REPLY, NF_CT_TCP_FLAGS_LEN, ERR_TCP_FLAGS_LENGTH)
        .build();
    static final AttributePolicy SCTP = AttributePolicy.level("CTA_PROTOINFO_SCTP")
        .u8(CTA_PROTOINFO_SCTP_STATE)
        .be32(CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, CTA_PROTOINFO_SCTP_VTAG_REPLY)
        .build();
    static final AttributePolicy DCCP = AttributePolicy.level("CTA_PROTOINFO_DCCP")
        .u8(CTA_PROTOINFO_DCCP_STATE, CTA_PROTOINFO_DCCP_ROLE)
        .u64(CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ)
        .build();
    static final AttributePolicy PROTOINFO = AttributePolicy.level("CTA_PROTOINFO")
        .nested(TCP, CTA_PROTOINFO_TCP)
        .nested(SCTP, CTA_PROTOINFO_SCTP)
        .nested(DCCP, CTA_PROTOINFO_DCCP)
        .build();
    static final AttributePolicy COUNTERS = AttributePolicy.level("CTA_COUNTERS_*")
        .u64(CTA_COUNTERS_PACKETS, CTA_COUNTERS_BYTES)
        // not sent by any kernel this code meets; checked, not read
        .u32(CTA_COUNTERS32_PACKETS, CTA_COUNTERS32_BYTES)
        .build();
    static final AttributePolicy TIMESTAMP = AttributePolicy.level("CTA_TIMESTAMP")
        .u64(CTA_TIMESTAMP_START, CTA_TIMESTAMP_STOP)
        .build();
    static final AttributePolicy SEQ_ADJ = AttributePolicy.level("CTA_SEQ_ADJ_*")
        .be32(CTA_SEQADJ_CORRECTION_POS, CTA_SEQADJ_OFFSET_BEFORE, CTA_SEQADJ_OFFSET_AFTER)
        .build();
    // CTA_HELP_INFO is the helper's own binary, any size
    static final AttributePolicy HELP = AttributePolicy.level("CTA_HELP").nulString(CTA_HELP_NAME).build();
    static final AttributePolicy SECCTX = AttributePolicy.level("CTA_SECCTX").nulString(CTA_SECCTX_NAME).build();
    static final AttributePolicy NAT_PROTO = AttributePolicy.level("CTA_NAT_PROTO")
        .be16(CTA_PROTONAT_PORT_MIN, CTA_PROTONAT_PORT_MAX)
        .build();
    static final AttributePolicy NAT = AttributePolicy.level("CTA_NAT_*")
        .exact(CTA_NAT_V4_MINIP, 4, ERR_IPV4_LENGTH)
        .exact(CTA_NAT_V4_MAXIP, 4, ERR_IPV4_LENGTH)
        .exact(CTA_NAT_V6_MINIP, 16, ERR_IPV6_LENGTH)
        .exact(CTA_NAT_V6_MAXIP, 16, ERR_IPV6_LENGTH)
        .nested(NAT_PROTO, CTA_NAT_PROTO)
        .build();
    static final AttributePolicy SYNPROXY = AttributePolicy.level("CTA_SYNPROXY")
        .be32(CTA_SYNPROXY_ISN, CTA_SYNPROXY_ITS, CTA_SYNPROXY_TSOFF)
        .build();
    static final AttributePolicy FILTER = AttributePolicy.level("CTA_FILTER")
        .be32(CTA_FILTER_ORIG_FLAGS, CTA_FILTER_REPLY_FLAGS)
        .build();
    static final AttributePolicy TOP = AttributePolicy.level("CTA_*")
        .nested(TUPLE, CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_TUPLE_MASTER)
        .be32(CTA_STATUS, CTA_TIMEOUT, CTA_MARK, CTA_USE, CTA_ID, CTA_SECMARK)
        // request-only: checked, not kept
        .be32(CTA_MARK_MASK, CTA_STATUS_MASK)
        .be16(CTA_ZONE)
        .u64(CTA_TIMESTAMP_EVENT)
        // a bitmap whose size is the kernel's business (16 bytes today)
        .any(CTA_LABELS)
        .nested(PROTOINFO, CTA_PROTOINFO)
        .nested(COUNTERS, CTA_COUNTERS_ORIG, CTA_COUNTERS_REPLY)
        .nested(TIMESTAMP, CTA_TIMESTAMP)
        .nested(SEQ_ADJ, CTA_SEQ_ADJ_ORIG, CTA_SEQ_ADJ_REPLY)
        .nested(HELP, CTA_HELP)
        .nested(SECCTX, CTA_SECCTX)
        // requests: their contents checked, not read
        .checked(NAT, CTA_NAT_SRC, CTA_NAT_DST)
        .checked(SYNPROXY, CTA_SYNPROXY)
        .checked(FILTER, CTA_FILTER)
        .build();

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(NFGENMSG_LEN);
    private static final int CT_NEW = nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW);
    private static final int CT_DELETE = nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE);

    private final AttributeParser parser = new AttributeParser();
    // the wrapped buffer, read unchecked at offsets wrap has validated; shared with the tuples
    private final ByteView view = new ByteView();
    private final CtTuple orig = new CtTuple(view);
    private final CtTuple reply = new CtTuple(view);
    private final CtTuple master = new CtTuple(view);

    // payload offsets by attribute type, -1 when absent, one table per level (and direction)
    private final int[] top = TOP.newTable();
    private final int[] protoinfo = PROTOINFO.newTable();
    private final int[] tcp = TCP.newTable();
    private final int[] sctp = SCTP.newTable();
    private final int[] dccp = DCCP.newTable();
    private final int[][] counters = {COUNTERS.newTable(), COUNTERS.newTable()};
    private final int[] timestamp = TIMESTAMP.newTable();
    private final int[][] seqAdj = {SEQ_ADJ.newTable(), SEQ_ADJ.newTable()};
    private final int[] help = HELP.newTable();
    private final int[] secctx = SECCTX.newTable();

    // where the last wrapped message's attributes start and end
    private int start;
    private int end;

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed conntrack message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        if (!begin(buf, offset, length))
        {
            return false;
        }
        final AttributeParser p = parser;
        final int[] t = top;
        final boolean ok = p.top(buf, start, end - start, TOP, t)
            && tuple(t[CTA_TUPLE_ORIG], orig)
            && tuple(t[CTA_TUPLE_REPLY], reply)
            && tuple(t[CTA_TUPLE_MASTER], master)
            && p.nestOrClear(t[CTA_PROTOINFO], PROTOINFO, protoinfo)
            && p.nestOrClear(protoinfo[CTA_PROTOINFO_TCP], TCP, tcp)
            && p.nestOrClear(protoinfo[CTA_PROTOINFO_SCTP], SCTP, sctp)
            && p.nestOrClear(protoinfo[CTA_PROTOINFO_DCCP], DCCP, dccp)
            && p.nestOrClear(t[CTA_COUNTERS_ORIG], COUNTERS, counters[IP_CT_DIR_ORIGINAL])
            && p.nestOrClear(t[CTA_COUNTERS_REPLY], COUNTERS, counters[IP_CT_DIR_REPLY])
            && p.nestOrClear(t[CTA_TIMESTAMP], TIMESTAMP, timestamp)
            && p.nestOrClear(t[CTA_SEQ_ADJ_ORIG], SEQ_ADJ, seqAdj[IP_CT_DIR_ORIGINAL])
            && p.nestOrClear(t[CTA_SEQ_ADJ_REPLY], SEQ_ADJ, seqAdj[IP_CT_DIR_REPLY])
            && p.nestOrClear(t[CTA_HELP], HELP, help)
            && p.nestOrClear(t[CTA_SECCTX], SECCTX, secctx);
        if (!ok || p.suspicious() && p.findFirstError(buf, start, end - start, TOP))
        {
            return refused();
        }
        valid = true;
        return true;
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
        if (!begin(buf, offset, length))
        {
            return false;
        }
        clearBeyondTuples();
        final AttributeParser p = parser;
        final int[] t = top;
        AttributeParser.clear(t);
        boolean seenOrig = false;
        boolean seenReply = false;
        final AttributeIterator it = p.start(buf, start, end - start);
        while (it.next())
        {
            if (!p.accept(TOP, t))
            {
                return refused();
            }
            final int type = it.type();
            if (type == CTA_TUPLE_ORIG || type == CTA_TUPLE_REPLY)
            {
                if (!tuple(t[type], type == CTA_TUPLE_ORIG ? orig : reply))
                {
                    return refused();
                }
                seenOrig |= type == CTA_TUPLE_ORIG;
                seenReply |= type == CTA_TUPLE_REPLY;
                if (seenOrig && seenReply)
                {
                    valid = true;
                    return true;
                }
            }
        }
        if (!p.end())
        {
            return refused();
        }
        if (!seenOrig)
        {
            tuple(-1, orig);
        }
        if (!seenReply)
        {
            tuple(-1, reply);
        }
        valid = true;
        return true;
    }

    /**
     * Checks the headers, remembers where the attributes are, and forgets the last result.
     *
     * @return false when the message was refused
     */
    private boolean begin(final ByteBuffer buf, final int offset, final int length)
    {
        begin(buf, offset);
        view.wrap(buf);
        reset();
        final int len = NetlinkFraming.check(buf, offset, length);
        if (len < 0)
        {
            return fail(NetlinkFraming.describe(len), offset);
        }
        final int type = NetlinkFraming.type(buf, offset);
        if (type != CT_NEW && type != CT_DELETE)
        {
            return fail(ERR_NOT_CONNTRACK, offset);
        }
        if (len < Netlink.NLMSG_HDRLEN + NFGENMSG_LEN)
        {
            return fail(ERR_SHORT_NFGENMSG, offset + Netlink.NLMSG_HDRLEN);
        }
        start = offset + ATTRIBUTES_OFFSET;
        end = offset + len;
        return true;
    }

    private boolean tuple(final int payload, final CtTuple tuple)
    {
        final AttributeParser p = parser;
        final int[] t = tuple.tuple;
        return p.nestOrClear(payload, TUPLE, t)
            && p.nestOrClear(t[CTA_TUPLE_IP], TUPLE_IP, tuple.ip)
            && p.nestOrClear(t[CTA_TUPLE_PROTO], TUPLE_PROTO, tuple.proto);
    }

    /**
     * A fill refused something: what the kernel refuses first is what a depth-first walk of the whole message
     * meets first, which may lie in a nest walked after the fill's level.
     */
    private boolean refused()
    {
        final AttributeParser p = parser;
        p.findFirstError(buf, start, end - start, TOP);
        return fail(p.error(), p.errorOffset());
    }

    // struct nlmsghdr and struct nfgenmsg; 0 when the last wrap failed

    /**
     * @return nlmsg_type: {@code (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW} or {@code _DELETE}.
     */
    public int messageType()
    {
        return valid ? view.u16(offset + Netlink.NLMSG_TYPE_OFFSET) : 0;
    }

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
     * @return whether this is a reply to a request (a dump) rather than an event: NLM_F_MULTI.
     */
    public boolean isDump()
    {
        return (flags() & Netlink.NLM_F_MULTI) != 0;
    }

    /**
     * @return nfgen_family: AF_INET or AF_INET6 (the entry's layer 3), see {@link Nfnetlink#familyName(int)}.
     */
    public int l3family()
    {
        return valid ? view.u8(offset + Netlink.NLMSG_HDRLEN + NFGEN_FAMILY_OFFSET) : 0;
    }

    public int version()
    {
        return valid ? view.u8(offset + Netlink.NLMSG_HDRLEN + NFGEN_VERSION_OFFSET) : 0;
    }

    public int resId()
    {
        return valid ? view.u16be(offset + Netlink.NLMSG_HDRLEN + NFGEN_RES_ID_OFFSET) : 0;
    }

    // tuples

    /**
     * @param dir IP_CT_DIR_ORIGINAL or IP_CT_DIR_REPLY
     */
    public CtTuple tuple(final int dir)
    {
        return dir == IP_CT_DIR_ORIGINAL ? orig : dir == IP_CT_DIR_REPLY ? reply : badDirection(dir);
    }

    public boolean hasTuple(final int dir)
    {
        return tuple(dir).present();
    }

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
     * @return CTA_SECMARK (obsolete), or -1.
     */
    public long secmark()
    {
        return be32(top[CTA_SECMARK]);
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
     * @return CTA_PROTOINFO_TCP_WSCALE_ORIGINAL or _REPLY, or -1.
     */
    public int tcpWscale(final int dir)
    {
        return u8(tcp[checkDirection(dir) == IP_CT_DIR_ORIGINAL ? CTA_PROTOINFO_TCP_WSCALE_ORIGINAL
            : CTA_PROTOINFO_TCP_WSCALE_REPLY]);
    }

    /**
     * @return the flags byte of CTA_PROTOINFO_TCP_FLAGS_ORIGINAL or _REPLY ({@code IP_CT_TCP_FLAG_*}), or -1.
     */
    public int tcpFlags(final int dir)
    {
        return u8(tcp[checkDirection(dir) == IP_CT_DIR_ORIGINAL ? CTA_PROTOINFO_TCP_FLAGS_ORIGINAL
            : CTA_PROTOINFO_TCP_FLAGS_REPLY]);
    }

    /**
     * @return CTA_PROTOINFO_SCTP_STATE ({@code SCTP_CONNTRACK_*}), or -1.
     */
    public int sctpState()
    {
        return u8(sctp[CTA_PROTOINFO_SCTP_STATE]);
    }

    /**
     * @return CTA_PROTOINFO_SCTP_VTAG_ORIGINAL or _REPLY (u32), or -1.
     */
    public long sctpVtag(final int dir)
    {
        return be32(sctp[checkDirection(dir) == IP_CT_DIR_ORIGINAL ? CTA_PROTOINFO_SCTP_VTAG_ORIGINAL
            : CTA_PROTOINFO_SCTP_VTAG_REPLY]);
    }

    /**
     * @return CTA_PROTOINFO_DCCP_STATE ({@code CT_DCCP_*}), or -1.
     */
    public int dccpState()
    {
        return u8(dccp[CTA_PROTOINFO_DCCP_STATE]);
    }

    public int dccpRole()
    {
        return u8(dccp[CTA_PROTOINFO_DCCP_ROLE]);
    }

    /**
     * @return CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ, or -1.
     */
    public long dccpHandshakeSeq()
    {
        return be64(dccp[CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ]);
    }

    /**
     * @return whether CTA_COUNTERS_ORIG or _REPLY is present (nf_conntrack_acct=1; DESTROY and dumps).
     */
    public boolean hasCounters(final int dir)
    {
        return AttributeParser.filled(counters[checkDirection(dir)]);
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
        return AttributeParser.filled(timestamp);
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

    /**
     * @return CTA_TIMESTAMP_EVENT: ns since the epoch when the kernel raised this event, or -1.
     */
    public long eventTimestamp()
    {
        return be64(top[CTA_TIMESTAMP_EVENT]);
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
        final int labels = top[CTA_LABELS];
        return labels >= 0 ? parser.length(labels) : 0;
    }

    /**
     * @return whether connlabel {@code bit} is set: the bitmap read as host-order u32 words, as
     * libnetfilter_conntrack reads it. False when absent or out of range.
     */
    public boolean hasLabel(final int bit)
    {
        final int labels = top[CTA_LABELS];
        if (labels < 0 || bit < 0 || bit / 32 >= parser.length(labels) / 4)
        {
            return false;
        }
        return (view.i32(labels + 4 * (bit / 32)) & (1 << (bit % 32))) != 0;
    }

    /**
     * @return CTA_HELP / CTA_HELP_NAME ("ftp", "sip", ...), or null.
     */
    public String helperName()
    {
        return string(help[CTA_HELP_NAME]);
    }

    /**
     * @return CTA_SECCTX / CTA_SECCTX_NAME (an LSM security context), or null.
     */
    public String secctx()
    {
        return string(secctx[CTA_SECCTX_NAME]);
    }

    /**
     * @return whether CTA_SEQ_ADJ_ORIG or _REPLY is present (TCP sequence adjustment by a helper or NAT).
     */
    public boolean hasSeqAdj(final int dir)
    {
        return AttributeParser.filled(seqAdj[checkDirection(dir)]);
    }

    /**
     * @return CTA_SEQADJ_CORRECTION_POS of that direction (u32), or -1.
     */
    public long seqAdjCorrectionPos(final int dir)
    {
        return be32(seqAdj[checkDirection(dir)][CTA_SEQADJ_CORRECTION_POS]);
    }

    /**
     * @return CTA_SEQADJ_OFFSET_BEFORE of that direction (s32 on the wire, read as u32), or -1.
     */
    public long seqAdjOffsetBefore(final int dir)
    {
        return be32(seqAdj[checkDirection(dir)][CTA_SEQADJ_OFFSET_BEFORE]);
    }

    /**
     * @return CTA_SEQADJ_OFFSET_AFTER of that direction (u32), or -1.
     */
    public long seqAdjOffsetAfter(final int dir)
    {
        return be32(seqAdj[checkDirection(dir)][CTA_SEQADJ_OFFSET_AFTER]);
    }

    /**
     * @return whether CTA_NAT_SRC is present (a NAT binding in a request; the kernel's messages show NAT
     * through the reply tuple and {@link CtStatus#IPS_SRC_NAT} instead).
     */
    public boolean hasNatSrc()
    {
        return valid && top[CTA_NAT_SRC] >= 0;
    }

    public boolean hasNatDst()
    {
        return valid && top[CTA_NAT_DST] >= 0;
    }

    private String string(final int payload)
    {
        return payload >= 0 ? AttributeIterator.string(buf, payload, parser.length(payload)) : null;
    }

    private int u8(final int payload)
    {
        return payload >= 0 ? view.u8(payload) : -1;
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

    private static CtTuple badDirection(final int dir)
    {
        throw new IllegalArgumentException("dir=" + dir + " is not IP_CT_DIR_ORIGINAL (0) or IP_CT_DIR_REPLY (1)");
    }

    /**
     * Refuses the message: every getter answers as if every attribute were absent, never half an object.
     */
    private boolean fail(final String error, final int errorOffset)
    {
        AttributeParser.clear(top);
        orig.clear();
        reply.clear();
        clearBeyondTuples();
        return recordError(error, errorOffset);
    }

    private void clearBeyondTuples()
    {
        master.clear();
        AttributeParser.clear(protoinfo);
        AttributeParser.clear(tcp);
        AttributeParser.clear(sctp);
        AttributeParser.clear(dccp);
        AttributeParser.clear(counters[IP_CT_DIR_ORIGINAL]);
        AttributeParser.clear(counters[IP_CT_DIR_REPLY]);
        AttributeParser.clear(timestamp);
        AttributeParser.clear(seqAdj[IP_CT_DIR_ORIGINAL]);
        AttributeParser.clear(seqAdj[IP_CT_DIR_REPLY]);
        AttributeParser.clear(help);
        AttributeParser.clear(secctx);
    }
}
