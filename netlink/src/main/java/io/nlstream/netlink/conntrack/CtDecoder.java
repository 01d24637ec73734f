package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.AttributeIterator;
import io.nlstream.netlink.ByteView;
import io.nlstream.netlink.MessageDecoder;
import io.nlstream.netlink.Netlink;

import java.nio.ByteBuffer;

import static io.nlstream.netlink.AttributeIterator.*;
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
    public static final String ERR_IPV4_LENGTH = "IPv4 address attribute is not 4 bytes";
    public static final String ERR_IPV6_LENGTH = "IPv6 address attribute is not 16 bytes";
    public static final String ERR_TCP_FLAGS_LENGTH =
        "CTA_PROTOINFO_TCP_FLAGS_* payload is not struct nf_ct_tcp_flags (2 bytes)";

    private static final int ATTRIBUTES_OFFSET = Netlink.NLMSG_HDRLEN + Netlink.nlmsgAlign(NFGENMSG_LEN);
    private static final int CT_NEW = nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW);
    private static final int CT_DELETE = nlmsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE);

    // one iterator per depth: top level, a nest, a nest inside that
    private final AttributeIterator top = new AttributeIterator();
    private final AttributeIterator nest = new AttributeIterator();
    private final AttributeIterator inner = new AttributeIterator();

    // the wrapped buffer, read unchecked at offsets wrap has validated; shared with the tuples
    private final ByteView view = new ByteView();
    private final CtTuple orig = new CtTuple(view);
    private final CtTuple reply = new CtTuple(view);
    private final CtTuple master = new CtTuple(view);

    // payload offsets of the known attributes, -1 when absent; per direction indexed by IP_CT_DIR_*
    private int status;
    private int timeout;
    private int mark;
    private int use;
    private int id;
    private int zone;
    private int labels;
    private int labelsLength;
    private int tcpState;
    private int sctpState;
    private int dccpState;
    private final boolean[] counters = new boolean[2];
    private final int[] packets = new int[2];
    private final int[] bytes = new int[2];
    private boolean timestamp;
    private int timestampStart;
    private int timestampStop;
    private int helpName;
    private int helpNameLength;
    private final boolean[] seqAdj = new boolean[2];

    // Clearing every field costs as much as a small message's whole walk, so wrap clears the rarely sent
    // attributes only after a message that had one (rare), and a nest clears what an earlier copy of it
    // in the same message set (last one wins, as a whole) only when something is set.
    private boolean rare;
    /** {@link #wrapTuples}: stop once both tuples are read. */
    private boolean tuplesOnly;

    public CtDecoder()
    {
        rare = true;
        clear();
    }

    /**
     * @param offset where the {@code struct nlmsghdr} starts
     * @param length nlmsg_len as framed by the caller; the header's own nlmsg_len must not exceed it
     * @return true if the message is a well-formed conntrack message
     */
    public boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        tuplesOnly = false;
        return walk(buf, offset, length);
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
        tuplesOnly = true;
        return walk(buf, offset, length);
    }

    private boolean walk(final ByteBuffer buf, final int offset, final int length)
    {
        begin(buf, offset);
        view.wrap(buf);
        clear();

        final int len = frame(length, CT_NEW, CT_DELETE, ERR_NOT_CONNTRACK, NFGENMSG_LEN, ERR_SHORT_NFGENMSG);
        if (len < 0)
        {
            return false;
        }

        final int start = offset + ATTRIBUTES_OFFSET;
        final AttributeIterator it = top.reset(buf, start, offset + len - start);
        while (it.next())
        {
            final int payload = it.payloadOffset();
            switch (it.type())
            {
                case CTA_TUPLE_ORIG:
                    if (!tuple(it, orig))
                    {
                        return false;
                    }
                    if (tuplesOnly && reply.present())
                    {
                        valid = true;
                        return true;
                    }
                    break;
                case CTA_TUPLE_REPLY:
                    if (!tuple(it, reply))
                    {
                        return false;
                    }
                    if (tuplesOnly && orig.present())
                    {
                        valid = true;
                        return true;
                    }
                    break;
                case CTA_TUPLE_MASTER:
                    rare = true;
                    if (!tuple(it, master))
                    {
                        return false;
                    }
                    break;
                case CTA_STATUS:
                case CTA_TIMEOUT:
                case CTA_MARK:
                case CTA_USE:
                case CTA_ID:
                case CTA_SECMARK:
                case CTA_MARK_MASK:
                case CTA_STATUS_MASK:
                    if (!expect(it.isU32(), ERR_NOT_U32, it))
                    {
                        return false;
                    }
                    u32(it.type(), payload);
                    break;
                case CTA_ZONE:
                    if (!expect(it.isU16(), ERR_NOT_U16, it))
                    {
                        return false;
                    }
                    zone = payload;
                    break;
                case CTA_TIMESTAMP_EVENT:
                    if (!expect(it.isU64(), ERR_NOT_U64, it))
                    {
                        return false;
                    }
                    break;
                case CTA_LABELS:
                    // a bitmap whose size is the kernel's business (16 bytes today)
                    labels = payload;
                    labelsLength = it.payloadLength();
                    break;
                case CTA_PROTOINFO:
                    if (!protoinfo(it))
                    {
                        return false;
                    }
                    break;
                case CTA_COUNTERS_ORIG:
                case CTA_COUNTERS_REPLY:
                    if (!counters(it, it.type() == CTA_COUNTERS_ORIG ? IP_CT_DIR_ORIGINAL : IP_CT_DIR_REPLY))
                    {
                        return false;
                    }
                    break;
                case CTA_TIMESTAMP:
                    if (!timestamp(it))
                    {
                        return false;
                    }
                    break;
                case CTA_SEQ_ADJ_ORIG:
                case CTA_SEQ_ADJ_REPLY:
                    if (!seqAdj(it, it.type() == CTA_SEQ_ADJ_ORIG ? IP_CT_DIR_ORIGINAL : IP_CT_DIR_REPLY))
                    {
                        return false;
                    }
                    break;
                case CTA_HELP:
                    if (!help(it))
                    {
                        return false;
                    }
                    break;
                case CTA_SECCTX:
                    if (!secctx(it))
                    {
                        return false;
                    }
                    break;
                case CTA_NAT_SRC:
                case CTA_NAT_DST:
                    if (!nat(it))
                    {
                        return false;
                    }
                    break;
                case CTA_SYNPROXY:
                case CTA_FILTER:
                    // contents not read here, but every member is a be32
                    if (!allU32(it))
                    {
                        return false;
                    }
                    break;
                default:
                    // newer kernels add attributes; skipping them keeps this decoder working
                    break;
            }
        }
        if (it.malformed())
        {
            return fail(it.error(), it.errorOffset());
        }
        valid = true;
        return true;
    }

    private void u32(final int type, final int payload)
    {
        switch (type)
        {
            case CTA_STATUS:
                status = payload;
                break;
            case CTA_TIMEOUT:
                timeout = payload;
                break;
            case CTA_MARK:
                mark = payload;
                break;
            case CTA_USE:
                use = payload;
                break;
            case CTA_ID:
                id = payload;
                break;
            default:
                // CTA_SECMARK, and CTA_MARK_MASK, CTA_STATUS_MASK (request-only): checked, not kept (no reader)
                break;
        }
    }

    private boolean tuple(final AttributeIterator outer, final CtTuple tuple)
    {
        if (!expect(outer.isNested(), ERR_NOT_NESTED, outer))
        {
            return false;
        }
        tuple.start();
        final AttributeIterator it = nest.enter(outer);
        while (it.next())
        {
            switch (it.type())
            {
                case CTA_TUPLE_IP:
                    if (!expect(it.isNested(), ERR_NOT_NESTED, it) || !tupleIp(it, tuple))
                    {
                        return false;
                    }
                    break;
                case CTA_TUPLE_PROTO:
                    if (!expect(it.isNested(), ERR_NOT_NESTED, it) || !tupleProto(it, tuple))
                    {
                        return false;
                    }
                    break;
                case CTA_TUPLE_ZONE:
                    if (!expect(it.isU16(), ERR_NOT_U16, it))
                    {
                        return false;
                    }
                    tuple.setZone(it.payloadOffset());
                    break;
                default:
                    break;
            }
        }
        return end(it);
    }

    private boolean tupleIp(final AttributeIterator outer, final CtTuple tuple)
    {
        tuple.beginIp();
        final AttributeIterator it = inner.enter(outer);
        while (it.next())
        {
            switch (it.type())
            {
                case CTA_IP_V4_SRC:
                case CTA_IP_V4_DST:
                    if (!expect(it.payloadLength() == 4, ERR_IPV4_LENGTH, it))
                    {
                        return false;
                    }
                    tuple.setIp(it.type(), it.payloadOffset());
                    break;
                case CTA_IP_V6_SRC:
                case CTA_IP_V6_DST:
                    if (!expect(it.payloadLength() == 16, ERR_IPV6_LENGTH, it))
                    {
                        return false;
                    }
                    tuple.setIp(it.type(), it.payloadOffset());
                    break;
                default:
                    break;
            }
        }
        return end(it);
    }

    private boolean tupleProto(final AttributeIterator outer, final CtTuple tuple)
    {
        tuple.beginProto();
        final AttributeIterator it = inner.enter(outer);
        while (it.next())
        {
            switch (it.type())
            {
                case CTA_PROTO_NUM:
                case CTA_PROTO_ICMP_TYPE:
                case CTA_PROTO_ICMP_CODE:
                case CTA_PROTO_ICMPV6_TYPE:
                case CTA_PROTO_ICMPV6_CODE:
                    if (!expect(it.isU8(), ERR_NOT_U8, it))
                    {
                        return false;
                    }
                    tuple.setProto(it.type(), it.payloadOffset());
                    break;
                case CTA_PROTO_SRC_PORT:
                case CTA_PROTO_DST_PORT:
                case CTA_PROTO_ICMP_ID:
                case CTA_PROTO_ICMPV6_ID:
                    if (!expect(it.isU16(), ERR_NOT_U16, it))
                    {
                        return false;
                    }
                    tuple.setProto(it.type(), it.payloadOffset());
                    break;
                default:
                    break;
            }
        }
        return end(it);
    }

    private boolean protoinfo(final AttributeIterator outer)
    {
        if (!expect(outer.isNested(), ERR_NOT_NESTED, outer))
        {
            return false;
        }
        clearTcpIfSet();
        if (rare)
        {
            clearSctp();
            clearDccp();
        }
        final AttributeIterator it = nest.enter(outer);
        while (it.next())
        {
            final boolean ok;
            switch (it.type())
            {
                case CTA_PROTOINFO_TCP:
                    ok = expect(it.isNested(), ERR_NOT_NESTED, it) && tcp(it);
                    break;
                case CTA_PROTOINFO_SCTP:
                    ok = expect(it.isNested(), ERR_NOT_NESTED, it) && sctp(it);
                    break;
                case CTA_PROTOINFO_DCCP:
                    ok = expect(it.isNested(), ERR_NOT_NESTED, it) && dccp(it);
                    break;
                default:
                    ok = true;
                    break;
            }
            if (!ok)
            {
                return false;
            }
        }
        return end(it);
    }

    private boolean tcp(final AttributeIterator outer)
    {
        clearTcpIfSet();
        final AttributeIterator it = inner.enter(outer);
        while (it.next())
        {
            final int type = it.type();
            if (type == CTA_PROTOINFO_TCP_STATE || type == CTA_PROTOINFO_TCP_WSCALE_ORIGINAL
                || type == CTA_PROTOINFO_TCP_WSCALE_REPLY)
            {
                if (!expect(it.isU8(), ERR_NOT_U8, it))
                {
                    return false;
                }
                if (type == CTA_PROTOINFO_TCP_STATE)
                {
                    tcpState = it.payloadOffset();
                }
            }
            else if (type == CTA_PROTOINFO_TCP_FLAGS_ORIGINAL || type == CTA_PROTOINFO_TCP_FLAGS_REPLY)
            {
                if (!expect(it.payloadLength() == NF_CT_TCP_FLAGS_LEN, ERR_TCP_FLAGS_LENGTH, it))
                {
                    return false;
                }
            }
        }
        return end(it);
    }

    private boolean sctp(final AttributeIterator outer)
    {
        rare = true;
        clearSctp();
        final AttributeIterator it = inner.enter(outer);
        while (it.next())
        {
            switch (it.type())
            {
                case CTA_PROTOINFO_SCTP_STATE:
                    if (!expect(it.isU8(), ERR_NOT_U8, it))
                    {
                        return false;
                    }
                    sctpState = it.payloadOffset();
                    break;
                case CTA_PROTOINFO_SCTP_VTAG_ORIGINAL:
                case CTA_PROTOINFO_SCTP_VTAG_REPLY:
                    if (!expect(it.isU32(), ERR_NOT_U32, it))
                    {
                        return false;
                    }
                    break;
                default:
                    break;
            }
        }
        return end(it);
    }

    private boolean dccp(final AttributeIterator outer)
    {
        rare = true;
        clearDccp();
        final AttributeIterator it = inner.enter(outer);
        while (it.next())
        {
            switch (it.type())
            {
                case CTA_PROTOINFO_DCCP_STATE:
                case CTA_PROTOINFO_DCCP_ROLE:
                    if (!expect(it.isU8(), ERR_NOT_U8, it))
                    {
                        return false;
                    }
                    if (it.type() == CTA_PROTOINFO_DCCP_STATE)
                    {
                        dccpState = it.payloadOffset();
                    }
                    break;
                case CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ:
                    if (!expect(it.isU64(), ERR_NOT_U64, it))
                    {
                        return false;
                    }
                    break;
                default:
                    break;
            }
        }
        return end(it);
    }

    private boolean counters(final AttributeIterator outer, final int dir)
    {
        if (!expect(outer.isNested(), ERR_NOT_NESTED, outer))
        {
            return false;
        }
        counters[dir] = true;
        packets[dir] = -1;
        bytes[dir] = -1;
        final AttributeIterator it = nest.enter(outer);
        while (it.next())
        {
            switch (it.type())
            {
                case CTA_COUNTERS_PACKETS:
                case CTA_COUNTERS_BYTES:
                    if (!expect(it.isU64(), ERR_NOT_U64, it))
                    {
                        return false;
                    }
                    if (it.type() == CTA_COUNTERS_PACKETS)
                    {
                        packets[dir] = it.payloadOffset();
                    }
                    else
                    {
                        bytes[dir] = it.payloadOffset();
                    }
                    break;
                case CTA_COUNTERS32_PACKETS:
                case CTA_COUNTERS32_BYTES:
                    // not sent by any kernel this code meets; checked, not read
                    if (!expect(it.isU32(), ERR_NOT_U32, it))
                    {
                        return false;
                    }
                    break;
                default:
                    break;
            }
        }
        return end(it);
    }

    private boolean timestamp(final AttributeIterator outer)
    {
        if (!expect(outer.isNested(), ERR_NOT_NESTED, outer))
        {
            return false;
        }
        timestamp = true;
        timestampStart = -1;
        timestampStop = -1;
        final AttributeIterator it = nest.enter(outer);
        while (it.next())
        {
            if (it.type() == CTA_TIMESTAMP_START || it.type() == CTA_TIMESTAMP_STOP)
            {
                if (!expect(it.isU64(), ERR_NOT_U64, it))
                {
                    return false;
                }
                if (it.type() == CTA_TIMESTAMP_START)
                {
                    timestampStart = it.payloadOffset();
                }
                else
                {
                    timestampStop = it.payloadOffset();
                }
            }
        }
        return end(it);
    }

    private boolean seqAdj(final AttributeIterator outer, final int dir)
    {
        rare = true;
        if (!expect(outer.isNested(), ERR_NOT_NESTED, outer))
        {
            return false;
        }
        seqAdj[dir] = true;
        final AttributeIterator it = nest.enter(outer);
        while (it.next())
        {
            final int type = it.type();
            if (type == CTA_SEQADJ_CORRECTION_POS || type == CTA_SEQADJ_OFFSET_BEFORE || type == CTA_SEQADJ_OFFSET_AFTER)
            {
                if (!expect(it.isU32(), ERR_NOT_U32, it))
                {
                    return false;
                }
            }
        }
        return end(it);
    }

    private boolean help(final AttributeIterator outer)
    {
        rare = true;
        if (!expect(outer.isNested(), ERR_NOT_NESTED, outer))
        {
            return false;
        }
        helpName = -1;
        final AttributeIterator it = nest.enter(outer);
        while (it.next())
        {
            // CTA_HELP_INFO is the helper's own binary, any size
            if (it.type() == CTA_HELP_NAME)
            {
                if (!expect(it.isNulString(), ERR_NOT_NUL_STRING, it))
                {
                    return false;
                }
                helpName = it.payloadOffset();
                helpNameLength = it.payloadLength();
            }
        }
        return end(it);
    }

    private boolean secctx(final AttributeIterator outer)
    {
        rare = true;
        if (!expect(outer.isNested(), ERR_NOT_NESTED, outer))
        {
            return false;
        }
        final AttributeIterator it = nest.enter(outer);
        while (it.next())
        {
            if (it.type() == CTA_SECCTX_NAME && !expect(it.isNulString(), ERR_NOT_NUL_STRING, it))
            {
                return false;
            }
        }
        return end(it);
    }

    private boolean nat(final AttributeIterator outer)
    {
        rare = true;
        if (!expect(outer.isNested(), ERR_NOT_NESTED, outer))
        {
            return false;
        }
        final AttributeIterator it = nest.enter(outer);
        while (it.next())
        {
            final boolean ok;
            switch (it.type())
            {
                case CTA_NAT_V4_MINIP:
                case CTA_NAT_V4_MAXIP:
                    ok = expect(it.payloadLength() == 4, ERR_IPV4_LENGTH, it);
                    break;
                case CTA_NAT_V6_MINIP:
                case CTA_NAT_V6_MAXIP:
                    ok = expect(it.payloadLength() == 16, ERR_IPV6_LENGTH, it);
                    break;
                case CTA_NAT_PROTO:
                    ok = expect(it.isNested(), ERR_NOT_NESTED, it) && natProto(it);
                    break;
                default:
                    ok = true;
                    break;
            }
            if (!ok)
            {
                return false;
            }
        }
        return end(it);
    }

    private boolean natProto(final AttributeIterator outer)
    {
        final AttributeIterator it = inner.enter(outer);
        while (it.next())
        {
            if ((it.type() == CTA_PROTONAT_PORT_MIN || it.type() == CTA_PROTONAT_PORT_MAX)
                && !expect(it.isU16(), ERR_NOT_U16, it))
            {
                return false;
            }
        }
        return end(it);
    }

    /**
     * CTA_SYNPROXY and CTA_FILTER: every known member is a be32, numbered 1 to 3 at most.
     */
    private boolean allU32(final AttributeIterator outer)
    {
        if (!expect(outer.isNested(), ERR_NOT_NESTED, outer))
        {
            return false;
        }
        final int known = outer.type() == CTA_SYNPROXY ? CTA_SYNPROXY_TSOFF : CTA_FILTER_REPLY_FLAGS;
        final AttributeIterator it = nest.enter(outer);
        while (it.next())
        {
            if (it.type() >= 1 && it.type() <= known && !expect(it.isU32(), ERR_NOT_U32, it))
            {
                return false;
            }
        }
        return end(it);
    }

    private boolean expect(final boolean ok, final String error, final AttributeIterator it)
    {
        return ok || fail(error, it.attributeOffset());
    }

    private boolean end(final AttributeIterator it)
    {
        return !it.malformed() || fail(it.error(), it.errorOffset());
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
        return id >= 0;
    }

    /**
     * @return CTA_ID (u32), or -1.
     */
    public long id()
    {
        return be32(id);
    }

    public boolean hasStatus()
    {
        return status >= 0;
    }

    /**
     * @return CTA_STATUS ({@code IPS_*}, see {@link CtStatus#names(int)}), or -1.
     */
    public int status()
    {
        return status >= 0 ? view.i32be(status) : -1;
    }

    public boolean hasTimeout()
    {
        return timeout >= 0;
    }

    /**
     * @return CTA_TIMEOUT: seconds until the entry expires, or -1.
     */
    public long timeout()
    {
        return be32(timeout);
    }

    public boolean hasMark()
    {
        return mark >= 0;
    }

    /**
     * @return CTA_MARK (u32), or -1; events leave out a mark of 0.
     */
    public long mark()
    {
        return be32(mark);
    }

    /**
     * @return CTA_USE (reference count), or -1.
     */
    public long use()
    {
        return be32(use);
    }

    /**
     * @return CTA_ZONE, the entry's zone, or -1 (absent means zone 0).
     */
    public int zone()
    {
        return zone >= 0 ? view.u16be(zone) : -1;
    }

    /**
     * @return CTA_PROTOINFO_TCP_STATE ({@code TCP_CONNTRACK_*}, see {@link CtProtoInfo#tcpStateName(int)}), or -1.
     */
    public int tcpState()
    {
        return u8(tcpState);
    }

    /**
     * @return CTA_PROTOINFO_SCTP_STATE ({@code SCTP_CONNTRACK_*}), or -1.
     */
    public int sctpState()
    {
        return u8(sctpState);
    }

    /**
     * @return CTA_PROTOINFO_DCCP_STATE ({@code CT_DCCP_*}), or -1.
     */
    public int dccpState()
    {
        return u8(dccpState);
    }

    /**
     * @return whether CTA_COUNTERS_ORIG or _REPLY is present (nf_conntrack_acct=1; DESTROY and dumps).
     */
    public boolean hasCounters(final int dir)
    {
        return counters[checkDirection(dir)];
    }

    /**
     * @return CTA_COUNTERS_PACKETS of that direction (u64), or -1.
     */
    public long packets(final int dir)
    {
        return be64(packets[checkDirection(dir)]);
    }

    /**
     * @return CTA_COUNTERS_BYTES of that direction (u64, IP header included), or -1.
     */
    public long bytes(final int dir)
    {
        return be64(bytes[checkDirection(dir)]);
    }

    /**
     * @return whether CTA_TIMESTAMP is present (nf_conntrack_timestamp=1; DESTROY and dumps).
     */
    public boolean hasTimestamp()
    {
        return timestamp;
    }

    /**
     * @return CTA_TIMESTAMP_START: ns since the epoch when the entry was confirmed, or -1.
     */
    public long timestampStart()
    {
        return be64(timestampStart);
    }

    /**
     * @return CTA_TIMESTAMP_STOP: ns since the epoch when the entry died; -1 when absent or 0 (alive).
     */
    public long timestampStop()
    {
        final long stop = be64(timestampStop);
        return stop == 0 ? -1 : stop;
    }

    public boolean hasLabels()
    {
        return labels >= 0;
    }

    /**
     * @return where the CTA_LABELS bitmap starts, -1 when absent.
     */
    public int labelsOffset()
    {
        return labels;
    }

    /**
     * @return the CTA_LABELS bitmap's size in bytes (16 today), 0 when absent.
     */
    public int labelsLength()
    {
        return labels >= 0 ? labelsLength : 0;
    }

    /**
     * @return CTA_HELP / CTA_HELP_NAME ("ftp", "sip", ...), or null.
     */
    public String helperName()
    {
        return helpName >= 0 ? AttributeIterator.string(buf, helpName, helpNameLength) : null;
    }

    /**
     * @return whether CTA_SEQ_ADJ_ORIG or _REPLY is present (TCP sequence adjustment by a helper or NAT).
     */
    public boolean hasSeqAdj(final int dir)
    {
        return seqAdj[checkDirection(dir)];
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

    private static void badDirection(final int dir)
    {
        throw new IllegalArgumentException("dir=" + dir + " is not IP_CT_DIR_ORIGINAL (0) or IP_CT_DIR_REPLY (1)");
    }

    private boolean fail(final String error, final int errorOffset)
    {
        clear();
        return recordError(error, errorOffset);
    }

    private void clearTcp()
    {
        tcpState = -1;
    }

    private void clearSctp()
    {
        sctpState = -1;
    }

    private void clearDccp()
    {
        dccpState = -1;
    }

    private void clearTcpIfSet()
    {
        if (tcpState >= 0)
        {
            clearTcp();
        }
    }

    private void clear()
    {
        reset();
        orig.clear();
        reply.clear();
        status = -1;
        timeout = -1;
        mark = -1;
        use = -1;
        id = -1;
        zone = -1;
        labels = -1;
        labelsLength = 0;
        clearTcp();
        counters[IP_CT_DIR_ORIGINAL] = false;
        counters[IP_CT_DIR_REPLY] = false;
        packets[IP_CT_DIR_ORIGINAL] = -1;
        packets[IP_CT_DIR_REPLY] = -1;
        bytes[IP_CT_DIR_ORIGINAL] = -1;
        bytes[IP_CT_DIR_REPLY] = -1;
        timestamp = false;
        timestampStart = -1;
        timestampStop = -1;
        if (rare)
        {
            clearRare();
        }
    }

    private void clearRare()
    {
        rare = false;
        master.clear();
        clearSctp();
        clearDccp();
        for (int dir = 0; dir < 2; dir++)
        {
            seqAdj[dir] = false;
        }
        helpName = -1;
    }
}
