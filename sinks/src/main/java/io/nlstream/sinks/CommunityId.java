package io.nlstream.sinks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 flow hashing (the Corelight community-id-spec), so that a flow seen here can be
 * joined with the same flow in Zeek, Suricata, Arkime or Elastic by one string.
 *
 * <pre>
 *  SHA-1 over, all in network order:
 *  +--------+------------------+------------------+-------+-----+--------+--------+
 *  | seed   | saddr            | daddr            | proto | 0   | sport  | dport  |
 *  | u16    | 4 or 16 bytes    | 4 or 16 bytes    | u8    | u8  | u16    | u16    |
 *  +--------+------------------+------------------+-------+-----+--------+--------+
 *                                                     ports only when the flow has them
 *  result: "1:" + base64(digest)
 * </pre>
 *
 * Both directions of a flow hash alike: the endpoints are swapped when needed so that the smaller
 * address comes first (bytes compared unsigned), the smaller port when the addresses are equal.
 * ICMP and ICMPv6 have no ports; as Zeek does, a type that has a counterpart (echo request and reply,
 * and the other request/reply pairs below) hashes as ports (type, counterpart) and is ordered like a
 * two-way flow, while any other type is one-way: ports (type, code), never swapped.
 * <p>
 * Monitors hash ports for TCP, UDP, SCTP, ICMP and ICMPv6 only ({@link #hasPorts(int)}); pass -1 for
 * both ports of any other protocol, even one conntrack tracks by port (UDP-Lite, DCCP), to get the
 * same id they do. An instance reuses its digest: not thread safe; the static methods are.
 */
public final class CommunityId
{
    public static final int DEFAULT_SEED = 0;

    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int IPPROTO_SCTP = 132;

    private final int seed;
    private final MessageDigest sha1 = sha1();
    private final byte[] input = new byte[2 + 16 + 16 + 2 + 4];

    public CommunityId()
    {
        this(DEFAULT_SEED);
    }

    /**
     * @param seed 0 to 65535; sites that share ids agree on one (0 unless configured otherwise)
     */
    public CommunityId(final int seed)
    {
        if (seed < 0 || seed > 0xFFFF)
        {
            throw new IllegalArgumentException("Invalid value " + seed + " for seed: must be 0 to 65535");
        }
        this.seed = seed;
    }

    /**
     * The id with the default seed 0; see {@link #v1(int, byte[], byte[], int, int, int)}.
     */
    public static String v1(final byte[] saddr, final byte[] daddr, final int proto, final int sport, final int dport)
    {
        return new CommunityId(DEFAULT_SEED).compute(saddr, daddr, proto, sport, dport);
    }

    /**
     * @param saddr the source address in network order, 4 or 16 bytes
     * @param daddr the destination address, as long as saddr
     * @param proto the IP protocol number
     * @param sport the source port; for ICMP and ICMPv6 the type; -1 for a protocol without ports
     * @param dport the destination port; for ICMP and ICMPv6 the code; -1 for a protocol without ports
     * @return "1:" and the base64 of the SHA-1
     * @throws IllegalArgumentException for addresses of other lengths or unequal families, a protocol or
     *                                  port out of range, one port given without the other, or no ports for
     *                                  one of the {@link #hasPorts(int)} protocols
     */
    public static String v1(final int seed, final byte[] saddr, final byte[] daddr, final int proto, final int sport,
        final int dport)
    {
        return new CommunityId(seed).compute(saddr, daddr, proto, sport, dport);
    }

    /**
     * @return whether Community ID hashes ports for this protocol: TCP, UDP, SCTP, and ICMP / ICMPv6
     * (type and code mapped to ports).
     */
    public static boolean hasPorts(final int proto)
    {
        return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP || proto == IPPROTO_ICMP
            || proto == IPPROTO_ICMPV6;
    }

    /**
     * As {@link #v1(int, byte[], byte[], int, int, int)}, with this instance's seed and digest.
     */
    public String compute(final byte[] saddr, final byte[] daddr, final int proto, final int sport, final int dport)
    {
        check(saddr, daddr, proto, sport, dport);
        int port1 = sport;
        int port2 = dport;
        boolean oneWay = false;
        if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
        {
            final int counterpart = proto == IPPROTO_ICMP ? icmpCounterpart(sport) : icmpv6Counterpart(sport);
            if (counterpart >= 0)
            {
                port2 = counterpart;
            }
            else
            {
                oneWay = true;
            }
        }
        final boolean swap = !oneWay && !ordered(saddr, daddr, port1, port2);

        final int len = saddr.length;
        int at = 0;
        at = putU16(input, at, seed);
        System.arraycopy(swap ? daddr : saddr, 0, input, at, len);
        at += len;
        System.arraycopy(swap ? saddr : daddr, 0, input, at, len);
        at += len;
        input[at++] = (byte)proto;
        input[at++] = 0;
        if (port1 >= 0)
        {
            at = putU16(input, at, swap ? port2 : port1);
            at = putU16(input, at, swap ? port1 : port2);
        }
        sha1.reset();
        sha1.update(input, 0, at);
        return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
    }

    /**
     * ICMP types with a request/reply counterpart (Zeek's {@code ICMP4_counterpart}), else -1.
     */
    static int icmpCounterpart(final int type)
    {
        switch (type)
        {
            case 8: // echo request
                return 0;
            case 0: // echo reply
                return 8;
            case 13: // timestamp
                return 14;
            case 14:
                return 13;
            case 15: // information request
                return 16;
            case 16:
                return 15;
            case 10: // router solicitation
                return 9;
            case 9: // router advertisement
                return 10;
            case 17: // address mask request
                return 18;
            case 18:
                return 17;
            default:
                return -1;
        }
    }

    /**
     * ICMPv6 types with a request/reply counterpart (Zeek's {@code ICMP6_counterpart}), else -1.
     */
    static int icmpv6Counterpart(final int type)
    {
        switch (type)
        {
            case 128: // echo request
                return 129;
            case 129: // echo reply
                return 128;
            case 130: // multicast listener query
                return 131;
            case 131: // multicast listener report
                return 130;
            case 133: // router solicitation
                return 134;
            case 134: // router advertisement
                return 133;
            case 135: // neighbor solicitation
                return 136;
            case 136: // neighbor advertisement
                return 135;
            case 139: // node information query ("who are you")
                return 140;
            case 140:
                return 139;
            case 144: // home agent address discovery request
                return 145;
            case 145:
                return 144;
            default:
                return -1;
        }
    }

    /**
     * Whether (saddr, port1) already sorts before (daddr, port2); equal endpoints count as unordered, which
     * swaps two identical halves.
     */
    private static boolean ordered(final byte[] saddr, final byte[] daddr, final int port1, final int port2)
    {
        for (int i = 0; i < saddr.length; i++)
        {
            final int a = saddr[i] & 0xFF;
            final int b = daddr[i] & 0xFF;
            if (a != b)
            {
                return a < b;
            }
        }
        return port1 < port2;
    }

    private static void check(final byte[] saddr, final byte[] daddr, final int proto, final int sport,
        final int dport)
    {
        if (saddr == null || daddr == null)
        {
            throw new IllegalArgumentException("Invalid value null for address: need both addresses");
        }
        if (saddr.length != 4 && saddr.length != 16 || daddr.length != saddr.length)
        {
            throw new IllegalArgumentException("Invalid value saddr.length=" + saddr.length + " daddr.length="
                + daddr.length + " for address: must both be 4 (IPv4) or both 16 (IPv6)");
        }
        if (proto < 0 || proto > 0xFF)
        {
            throw new IllegalArgumentException("Invalid value " + proto + " for proto: must be 0 to 255");
        }
        if ((sport < 0) != (dport < 0))
        {
            throw new IllegalArgumentException("Invalid value sport=" + sport + " dport=" + dport
                + " for ports: both or neither (-1)");
        }
        if (sport < -1 || dport < -1 || sport > 0xFFFF || dport > 0xFFFF)
        {
            throw new IllegalArgumentException("Invalid value sport=" + sport + " dport=" + dport
                + " for ports: must be 0 to 65535, or -1 for none");
        }
        if (sport < 0 && hasPorts(proto))
        {
            throw new IllegalArgumentException("Invalid value -1 for ports: protocol " + proto
                + " needs them (ICMP: type and code)");
        }
        if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) && (sport > 0xFF || dport > 0xFF))
        {
            throw new IllegalArgumentException("Invalid value type=" + sport + " code=" + dport
                + " for ICMP: must be 0 to 255");
        }
    }

    private static int putU16(final byte[] out, final int at, final int value)
    {
        out[at] = (byte)(value >>> 8);
        out[at + 1] = (byte)value;
        return at + 2;
    }

    private static MessageDigest sha1()
    {
        try
        {
            return MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException e)
        {
            // every Java platform must provide SHA-1 (java.security.MessageDigest's contract)
            throw new IllegalStateException(e);
        }
    }
}
