package io.nlstream.sinks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

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
 * <p>
 * {@link #compute(ByteBuffer, int, int, int, int, int, int, byte[], int)} reads the addresses where the
 * message holds them and writes the id's {@value #LENGTH} ASCII bytes into the caller's array, allocating
 * nothing; {@link #compute(byte[], byte[], int, int, int)} is the same hash returned as a String.
 */
public final class CommunityId
{
    public static final int DEFAULT_SEED = 0;

    /** Bytes in an id: "1:" and the base64 of a 20-byte SHA-1 (27 characters and one '='). */
    public static final int LENGTH = 30;

    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int IPPROTO_SCTP = 132;

    private static final int SHA1_LENGTH = 20;
    private static final int ADDRESSES_AT = 2;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] BASE64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private final int seed;
    private final MessageDigest sha1 = sha1();
    /** The hash input; the addresses are copied in as given and swapped in place when the flow needs it. */
    private final byte[] input = new byte[2 + 16 + 16 + 2 + 4];
    private final byte[] digest = new byte[SHA1_LENGTH];
    private final byte[] text = new byte[LENGTH];
    /** Recently computed ids, direct-mapped by their input (compared whole on a hit, so never a wrong one). */
    private static final int CACHE_SLOTS = 4096;
    private static final int CACHE_INPUT = 40;
    private final byte[] cacheInputs = new byte[CACHE_SLOTS * CACHE_INPUT];
    private final byte[] cacheIds = new byte[CACHE_SLOTS * LENGTH];
    private final int[] cachedLength = new int[CACHE_SLOTS];
    /**
     * Each slot's input hash: a miss (every event of a flow whose last event was thousands ago) is told by these 32
     * KiB, which stay in the cache, without touching the slot's input among the 160 KiB of them.
     */
    private final long[] cachedHash = new long[CACHE_SLOTS];

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
        System.arraycopy(saddr, 0, input, ADDRESSES_AT, saddr.length);
        System.arraycopy(daddr, 0, input, ADDRESSES_AT + saddr.length, saddr.length);
        final int length = hash(saddr.length, proto, sport, dport, text, 0);
        return new String(text, 0, length, StandardCharsets.US_ASCII);
    }

    /**
     * As {@link #compute(byte[], byte[], int, int, int)}, reading both addresses from {@code buf} (network
     * order, absolute gets: the buffer's position and order do not matter and are not changed) and writing
     * the id as {@value #LENGTH} ASCII bytes into {@code dst}; allocates nothing.
     *
     * @param saddrOffset   where the source address starts in {@code buf}
     * @param daddrOffset   where the destination address starts
     * @param addressLength 4 (IPv4) or 16 (IPv6), for both addresses
     * @param dst           room for {@link #LENGTH} bytes from {@code dstOffset}
     * @return {@link #LENGTH}, the bytes written
     * @throws IllegalArgumentException as {@link #v1(int, byte[], byte[], int, int, int)}, for an address
     *                                  length other than 4 or 16, and for addresses outside {@code buf}
     */
    public int compute(final ByteBuffer buf, final int saddrOffset, final int daddrOffset, final int addressLength,
        final int proto, final int sport, final int dport, final byte[] dst, final int dstOffset)
    {
        if (addressLength != 4 && addressLength != 16)
        {
            throw new IllegalArgumentException("Invalid value addressLength=" + addressLength
                + " for address: must be 4 (IPv4) or 16 (IPv6)");
        }
        if (saddrOffset < 0 || saddrOffset > buf.limit() - addressLength
            || daddrOffset < 0 || daddrOffset > buf.limit() - addressLength)
        {
            throw new IllegalArgumentException("Invalid value saddrOffset=" + saddrOffset + " daddrOffset=" + daddrOffset
                + " for address: outside the buffer (addressLength=" + addressLength + " limit=" + buf.limit() + ")");
        }
        checkProtoAndPorts(proto, sport, dport);
        buf.get(saddrOffset, input, ADDRESSES_AT, addressLength);
        buf.get(daddrOffset, input, ADDRESSES_AT + addressLength, addressLength);
        return hash(addressLength, proto, sport, dport, dst, dstOffset);
    }

    /**
     * The one hash behind both compute methods: the addresses are in {@link #input} as given, and checked.
     */
    private int hash(final int len, final int proto, final int sport, final int dport, final byte[] dst,
        final int dstOffset)
    {
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
        final boolean swap = !oneWay && !ordered(input, len, port1, port2);
        if (swap)
        {
            for (int i = ADDRESSES_AT; i < ADDRESSES_AT + len; i++)
            {
                final byte b = input[i];
                input[i] = input[i + len];
                input[i + len] = b;
            }
        }

        int at = putU16(input, 0, seed);
        at += 2 * len;
        input[at++] = (byte)proto;
        input[at++] = 0;
        if (port1 >= 0)
        {
            at = putU16(input, at, swap ? port2 : port1);
            at = putU16(input, at, swap ? port1 : port2);
        }
        // a flow's events (new, its updates, destroy) ask for the same id in turn: the last ids computed are
        // kept by their exact input, so only a flow's first event pays for the SHA-1
        final long inputHash = inputHash(input, at);
        final int slot = (int)(inputHash ^ inputHash >>> 32) & CACHE_SLOTS - 1;
        final int base = slot * CACHE_INPUT;
        if (cachedHash[slot] == inputHash && cachedLength[slot] == at && Arrays.equals(cacheInputs, base, base + at, input, 0, at))
        {
            System.arraycopy(cacheIds, slot * LENGTH, dst, dstOffset, LENGTH);
            return LENGTH;
        }
        sha1.reset();
        sha1.update(input, 0, at);
        try
        {
            sha1.digest(digest, 0, SHA1_LENGTH);
        }
        catch (final DigestException e)
        {
            // the array is exactly SHA-1's length: cannot happen
            throw new IllegalStateException(e);
        }
        dst[dstOffset] = '1';
        dst[dstOffset + 1] = ':';
        base64(digest, dst, dstOffset + 2);
        System.arraycopy(input, 0, cacheInputs, base, at);
        cachedLength[slot] = at;
        cachedHash[slot] = inputHash;
        System.arraycopy(dst, dstOffset, cacheIds, slot * LENGTH, LENGTH);
        return LENGTH;
    }

    /**
     * The input read as little-endian longs (the last one overlapping the one before when the length is not a
     * multiple of eight: every input is 12 bytes or more), each mixed in by a multiply and a shift: a few cycles,
     * where a byte at a time was a chain of 40 multiplies.
     */
    private static long inputHash(final byte[] in, final int length)
    {
        long h = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            h = mix(h, (long)LONGS.get(in, i));
        }
        if (i < length)
        {
            h = mix(h, (long)LONGS.get(in, length - Long.BYTES));
        }
        return h;
    }

    private static long mix(final long h, final long v)
    {
        final long x = (h ^ v) * 0x9E3779B97F4A7C15L;
        return x ^ x >>> 29;
    }

    /** Base64 (RFC 4648, padded) of the 20-byte digest: six full groups, then two bytes and one '='. */
    private static void base64(final byte[] src, final byte[] dst, final int at)
    {
        int p = at;
        int i = 0;
        for (; i + 3 <= SHA1_LENGTH; i += 3)
        {
            final int bits = (src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8 | src[i + 2] & 0xFF;
            dst[p++] = BASE64[bits >>> 18];
            dst[p++] = BASE64[bits >>> 12 & 0x3F];
            dst[p++] = BASE64[bits >>> 6 & 0x3F];
            dst[p++] = BASE64[bits & 0x3F];
        }
        final int bits = (src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8;
        dst[p++] = BASE64[bits >>> 18];
        dst[p++] = BASE64[bits >>> 12 & 0x3F];
        dst[p++] = BASE64[bits >>> 6 & 0x3F];
        dst[p] = '=';
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
     * Whether (saddr, port1) already sorts before (daddr, port2), the addresses as they sit in the hash input;
     * equal endpoints count as unordered, which swaps two identical halves.
     */
    private static boolean ordered(final byte[] input, final int len, final int port1, final int port2)
    {
        final int i = Arrays.mismatch(input, ADDRESSES_AT, ADDRESSES_AT + len, input, ADDRESSES_AT + len, ADDRESSES_AT + 2 * len);
        if (i >= 0)
        {
            return (input[ADDRESSES_AT + i] & 0xFF) < (input[ADDRESSES_AT + len + i] & 0xFF);
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
        checkProtoAndPorts(proto, sport, dport);
    }

    private static void checkProtoAndPorts(final int proto, final int sport, final int dport)
    {
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
