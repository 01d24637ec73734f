package io.nlstream.netlink.conntrack;

import io.nlstream.netlink.AttributeParser;
import io.nlstream.netlink.ByteView;
import io.nlstream.netlink.InetAddresses;

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
 * Allocation-free except for the String and byte[] getters. Not thread safe.
 */
public final class CtTuple
{
    private final ByteView view;
    // payload offsets by attribute type, -1 when absent: the tuple's nest, CTA_TUPLE_IP and CTA_TUPLE_PROTO
    final int[] tuple = CtDecoder.TUPLE.newTable();
    final int[] ip = CtDecoder.TUPLE_IP.newTable();
    final int[] proto = CtDecoder.TUPLE_PROTO.newTable();

    CtTuple(final ByteView view)
    {
        this.view = view;
    }

    /**
     * Back to absent.
     */
    void clear()
    {
        AttributeParser.clear(tuple);
        AttributeParser.clear(ip);
        AttributeParser.clear(proto);
    }

    /**
     * @return whether the message carried this tuple.
     */
    public boolean present()
    {
        return AttributeParser.filled(tuple);
    }

    /**
     * @return CTA_PROTO_NUM ({@code IPPROTO_*}, see {@link IpProto#name(int)}), or -1.
     */
    public int l4proto()
    {
        final int num = proto[CTA_PROTO_NUM];
        return num >= 0 ? view.u8(num) : -1;
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
        final int v4 = ip[CTA_IP_V4_SRC];
        return v4 >= 0 ? v4 : ip[CTA_IP_V6_SRC];
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
        final int v4 = ip[CTA_IP_V4_DST];
        return v4 >= 0 ? v4 : ip[CTA_IP_V6_DST];
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
     * @return a copy of the source address (4 or 16 bytes, network order), or null.
     */
    public byte[] srcBytes()
    {
        return copy(srcOffset(), srcLength());
    }

    public byte[] dstBytes()
    {
        return copy(dstOffset(), dstLength());
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
        return u8(proto[CTA_PROTO_ICMP_TYPE], proto[CTA_PROTO_ICMPV6_TYPE]);
    }

    /**
     * @return CTA_PROTO_ICMP_CODE, else CTA_PROTO_ICMPV6_CODE, else -1.
     */
    public int icmpCode()
    {
        return u8(proto[CTA_PROTO_ICMP_CODE], proto[CTA_PROTO_ICMPV6_CODE]);
    }

    /**
     * @return CTA_PROTO_ICMP_ID, else CTA_PROTO_ICMPV6_ID (the echo identifier), else -1.
     */
    public int icmpId()
    {
        final int v4 = proto[CTA_PROTO_ICMP_ID];
        return be16(v4 >= 0 ? v4 : proto[CTA_PROTO_ICMPV6_ID]);
    }

    /**
     * @return CTA_TUPLE_ZONE, or -1: present only when the zone applies to this direction alone; the
     * entry's zone is {@link CtDecoder#zone()}.
     */
    public int zone()
    {
        return be16(tuple[CTA_TUPLE_ZONE]);
    }

    private int u8(final int payload, final int otherwise)
    {
        return payload >= 0 ? view.u8(payload) : otherwise >= 0 ? view.u8(otherwise) : -1;
    }

    private int be16(final int payload)
    {
        return payload >= 0 ? view.u16be(payload) : -1;
    }

    private byte[] copy(final int payload, final int length)
    {
        if (payload < 0)
        {
            return null;
        }
        final byte[] out = new byte[length];
        for (int i = 0; i < length; i++)
        {
            out[i] = (byte)view.u8(payload + i);
        }
        return out;
    }
}
