package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.ByteView;
import io.nlstream.netlink.InetAddresses;
import io.nlstream.netlink.Nest;

import static io.nlstream.netlink.conntrack.Ctnetlink.*;


/**
 * One direction of a conntrack entry (CTA_TUPLE_ORIG, CTA_TUPLE_REPLY or CTA_TUPLE_MASTER) as
 * {@link CtDecoder} found it: a view owned and filled by the decoder, valid until its next wrap.
 *
 * <pre>
 *  CTA_TUPLE_ORIG (nested)
 *  +-- CTA_TUPLE_IP (nested)
 *  |     CTA_IP_V4_SRC, CTA_IP_V4_DST     4 bytes      or
 *  |     CTA_IP_V6_SRC, CTA_IP_V6_DST     16 bytes
 *  +-- CTA_TUPLE_PROTO (nested)
 *  |     CTA_PROTO_NUM                    u8 (IPPROTO_*)
 *  |     CTA_PROTO_SRC_PORT, _DST_PORT    be16   tcp, udp, udplite, sctp, dccp; gre keys
 *  |     CTA_PROTO_ICMP_ID                be16   icmp: id, type, code
 *  |     CTA_PROTO_ICMP_TYPE, _CODE       u8
 *  |     CTA_PROTO_ICMPV6_ID, _TYPE, _CODE       icmpv6: the same
 *  +-- CTA_TUPLE_ZONE                     be16, only for a zone that applies to one direction
 * </pre>
 *
 * The reply tuple is what the kernel expects back, after NAT: with DNAT its source is the new
 * destination. When a message carries both an IPv4 and an IPv6 attribute for an end (the kernel never
 * does), the IPv4 one is read; likewise ICMP before ICMPv6. Absent values read as -1 or null.
 * Allocation-free except for the String getters. Not thread safe.
 */
public final class CtTuple
{
    private final ByteView view;
    // payload offsets by type, -1 when absent, filled by the decoder's walk: CTA_TUPLE_*, CTA_IP_*, CTA_PROTO_*
    private final int[] tuple;
    private final int[] ip;
    private final int[] proto;

    CtTuple(final ByteView view, final Nest nest)
    {
        this.view = view;
        this.tuple = nest.at;
        this.ip = nest.nest(CTA_TUPLE_IP).at;
        this.proto = nest.nest(CTA_TUPLE_PROTO).at;
    }

    /**
     * @return whether the message carried this tuple.
     */
    public boolean present()
    {
        // entry 0 of a table is not an attribute's: the walk sets it to 0 when it fills the level
        return tuple[0] >= 0;
    }

    /**
     * @return CTA_PROTO_NUM ({@code IPPROTO_*}, see {@link IpProto#name(int)}), or -1.
     */
    public int l4proto()
    {
        final int protoNum = proto[CTA_PROTO_NUM];
        return protoNum >= 0 ? view.u8(protoNum) : -1;
    }

    public boolean hasSrc()
    {
        return srcOffset() >= 0;
    }

    public boolean hasDst()
    {
        return dstOffset() >= 0;
    }

    /**
     * @return the source address's index in the buffer, -1 when absent; {@link #srcLength()} bytes,
     * network order. For allocation-free readers.
     */
    public int srcOffset()
    {
        final int v4Src = ip[CTA_IP_V4_SRC];
        return v4Src >= 0 ? v4Src : ip[CTA_IP_V6_SRC];
    }

    /**
     * @return 4, 16, or 0 when absent.
     */
    public int srcLength()
    {
        return ip[CTA_IP_V4_SRC] >= 0 ? 4 : ip[CTA_IP_V6_SRC] >= 0 ? 16 : 0;
    }

    public int dstOffset()
    {
        final int v4Dst = ip[CTA_IP_V4_DST];
        return v4Dst >= 0 ? v4Dst : ip[CTA_IP_V6_DST];
    }

    public int dstLength()
    {
        return ip[CTA_IP_V4_DST] >= 0 ? 4 : ip[CTA_IP_V6_DST] >= 0 ? 16 : 0;
    }

    /**
     * @return the source address as text (dotted quad, or IPv6 as {@code inet_ntop} writes it), or null.
     */
    public String src()
    {
        return hasSrc() ? InetAddresses.format(view.buffer(), srcOffset(), srcLength()) : null;
    }

    public String dst()
    {
        return hasDst() ? InetAddresses.format(view.buffer(), dstOffset(), dstLength()) : null;
    }

    /**
     * @return CTA_PROTO_SRC_PORT, or -1 (ICMP and portless protocols).
     */
    public int srcPort()
    {
        return be16(proto[CTA_PROTO_SRC_PORT]);
    }

    public int dstPort()
    {
        return be16(proto[CTA_PROTO_DST_PORT]);
    }

    /**
     * @return CTA_PROTO_ICMP_TYPE, else CTA_PROTO_ICMPV6_TYPE, else -1.
     */
    public int icmpType()
    {
        return u8(CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMPV6_TYPE);
    }

    /**
     * @return CTA_PROTO_ICMP_CODE, else CTA_PROTO_ICMPV6_CODE, else -1.
     */
    public int icmpCode()
    {
        return u8(CTA_PROTO_ICMP_CODE, CTA_PROTO_ICMPV6_CODE);
    }

    /**
     * @return CTA_PROTO_ICMP_ID, else CTA_PROTO_ICMPV6_ID (the echo identifier), else -1.
     */
    public int icmpId()
    {
        final int icmpId = proto[CTA_PROTO_ICMP_ID];
        return be16(icmpId >= 0 ? icmpId : proto[CTA_PROTO_ICMPV6_ID]);
    }

    /**
     * @return CTA_TUPLE_ZONE, or -1: present only when the zone applies to this direction alone; the
     * entry's zone is {@link CtDecoder#zone()}.
     */
    public int zone()
    {
        return be16(tuple[CTA_TUPLE_ZONE]);
    }

    /** The ICMP attribute {@code v4}, else the ICMPv6 one {@code v6}, as u8, else -1. */
    private int u8(final int v4, final int v6)
    {
        final int payload = proto[v4] >= 0 ? proto[v4] : proto[v6];
        return payload >= 0 ? view.u8(payload) : -1;
    }

    private int be16(final int payload)
    {
        return payload >= 0 ? view.u16be(payload) : -1;
    }
}
