package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.ByteView;
import io.nlstream.netlink.InetAddresses;


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
    private boolean present;
    // whether CTA_TUPLE_IP / _PROTO was met since the fields were last cleared
    private boolean ipSeen;
    private boolean protoSeen;

    // payload offsets, -1 when absent
    private int v4Src;
    private int v4Dst;
    private int v6Src;
    private int v6Dst;
    private int protoNum;
    private int srcPort;
    private int dstPort;
    private int icmpId;
    private int icmpType;
    private int icmpCode;
    private int icmpv6Id;
    private int icmpv6Type;
    private int icmpv6Code;
    private int zone;

    CtTuple(final ByteView view)
    {
        this.view = view;
        reset();
    }

    /**
     * Back to absent; nothing to do when already absent (every field is -1 whenever present is false,
     * since the decoder records attributes only between {@link #start()} and the end of the nest).
     */
    void clear()
    {
        if (present)
        {
            reset();
        }
    }

    private void reset()
    {
        present = false;
        ipSeen = false;
        protoSeen = false;
        clearIp();
        clearProto();
        zone = -1;
    }

    /**
     * The tuple's nest begins: a second one in a message replaces the first as a whole.
     */
    void start()
    {
        clear();
        present = true;
    }

    /**
     * CTA_TUPLE_IP begins: a second one in the tuple replaces the first.
     */
    void beginIp()
    {
        if (ipSeen)
        {
            clearIp();
        }
        ipSeen = true;
    }

    /**
     * CTA_TUPLE_PROTO begins: a second one in the tuple replaces the first.
     */
    void beginProto()
    {
        if (protoSeen)
        {
            clearProto();
        }
        protoSeen = true;
    }

    private void clearIp()
    {
        v4Src = -1;
        v4Dst = -1;
        v6Src = -1;
        v6Dst = -1;
    }

    private void clearProto()
    {
        protoNum = -1;
        srcPort = -1;
        dstPort = -1;
        icmpId = -1;
        icmpType = -1;
        icmpCode = -1;
        icmpv6Id = -1;
        icmpv6Type = -1;
        icmpv6Code = -1;
    }

    // the decoder records each attribute after validating its size

    void setIp(final int type, final int payload)
    {
        switch (type)
        {
            case Ctnetlink.CTA_IP_V4_SRC:
                v4Src = payload;
                break;
            case Ctnetlink.CTA_IP_V4_DST:
                v4Dst = payload;
                break;
            case Ctnetlink.CTA_IP_V6_SRC:
                v6Src = payload;
                break;
            case Ctnetlink.CTA_IP_V6_DST:
                v6Dst = payload;
                break;
            default:
                break;
        }
    }

    void setProto(final int type, final int payload)
    {
        switch (type)
        {
            case Ctnetlink.CTA_PROTO_NUM:
                protoNum = payload;
                break;
            case Ctnetlink.CTA_PROTO_SRC_PORT:
                srcPort = payload;
                break;
            case Ctnetlink.CTA_PROTO_DST_PORT:
                dstPort = payload;
                break;
            case Ctnetlink.CTA_PROTO_ICMP_ID:
                icmpId = payload;
                break;
            case Ctnetlink.CTA_PROTO_ICMP_TYPE:
                icmpType = payload;
                break;
            case Ctnetlink.CTA_PROTO_ICMP_CODE:
                icmpCode = payload;
                break;
            case Ctnetlink.CTA_PROTO_ICMPV6_ID:
                icmpv6Id = payload;
                break;
            case Ctnetlink.CTA_PROTO_ICMPV6_TYPE:
                icmpv6Type = payload;
                break;
            case Ctnetlink.CTA_PROTO_ICMPV6_CODE:
                icmpv6Code = payload;
                break;
            default:
                break;
        }
    }

    void setZone(final int payload)
    {
        zone = payload;
    }

    /**
     * @return whether the message carried this tuple.
     */
    public boolean present()
    {
        return present;
    }

    /**
     * @return CTA_PROTO_NUM ({@code IPPROTO_*}, see {@link IpProto#name(int)}), or -1.
     */
    public int l4proto()
    {
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
        return v4Src >= 0 ? v4Src : v6Src;
    }

    /**
     * @return 4, 16, or 0 when absent.
     */
    public int srcLength()
    {
        return v4Src >= 0 ? 4 : v6Src >= 0 ? 16 : 0;
    }

    public int dstOffset()
    {
        return v4Dst >= 0 ? v4Dst : v6Dst;
    }

    public int dstLength()
    {
        return v4Dst >= 0 ? 4 : v6Dst >= 0 ? 16 : 0;
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
        return be16(srcPort);
    }

    public int dstPort()
    {
        return be16(dstPort);
    }

    /**
     * @return CTA_PROTO_ICMP_TYPE, else CTA_PROTO_ICMPV6_TYPE, else -1.
     */
    public int icmpType()
    {
        return icmpType >= 0 ? view.u8(icmpType) : icmpv6Type >= 0 ? view.u8(icmpv6Type) : -1;
    }

    /**
     * @return CTA_PROTO_ICMP_CODE, else CTA_PROTO_ICMPV6_CODE, else -1.
     */
    public int icmpCode()
    {
        return icmpCode >= 0 ? view.u8(icmpCode) : icmpv6Code >= 0 ? view.u8(icmpv6Code) : -1;
    }

    /**
     * @return CTA_PROTO_ICMP_ID, else CTA_PROTO_ICMPV6_ID (the echo identifier), else -1.
     */
    public int icmpId()
    {
        return icmpId >= 0 ? be16(icmpId) : be16(icmpv6Id);
    }

    /**
     * @return CTA_TUPLE_ZONE, or -1: present only when the zone applies to this direction alone; the
     * entry's zone is {@link CtDecoder#zone()}.
     */
    public int zone()
    {
        return be16(zone);
    }

    private int be16(final int payload)
    {
        return payload >= 0 ? view.u16be(payload) : -1;
    }
}
