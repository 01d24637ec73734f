package io.nlstream.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which events a reader shows, from {@code --proto}, {@code --port}, {@code --ip}, {@code --in-netns},
 * {@code --ifname}, {@code --op}, {@code --pid} and {@code --comm} (config keys {@code filter.*}), parsed and
 * validated. The values of one filter are alternatives (OR); an event has to pass every filter that has values
 * (AND); a filter without values passes everything, so {@link #NONE} shows every event. Repeats are dropped,
 * the first one kept, after normalising ({@code tcp} and {@code 6} are one protocol). This class only holds the
 * filters; the monitor evaluates them, and says which of an event's fields each one looks at.
 *
 * @param protos     IP protocol numbers 0..255 (names given are resolved: {@code tcp} is 6)
 * @param portRanges ports 0..65535, as ranges; a single port is a range of one
 * @param ips        addresses as CIDRs; an address alone is a /32 or /128
 * @param netns      network namespaces as given: an inode number in decimal, or a name from {@code ip netns}
 *                   (only letters, digits, {@code . _ -}) for the monitor to resolve through {@code /run/netns};
 *                   a name of digits only is read as an inode
 * @param ifnames    interface names (exact; an address label such as {@code eth0:1} is a name here too)
 * @param ops        {@code new}, {@code del}, {@code update}, {@code destroy}, {@code overrun}
 * @param pids       process ids 1..{@value #PID_MAX}
 * @param comms      command names, as {@code /proc/PID/comm} has them (at most 15 bytes)
 */
public record FilterSpec(List<Integer> protos, List<PortRange> portRanges, List<Cidr> ips, List<String> netns,
    List<String> ifnames, List<String> ops, List<Integer> pids, List<String> comms)
{
    /** No filter: every event passes. */
    public static final FilterSpec NONE =
        new FilterSpec(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** The IP protocols {@code --proto} knows by name, with their numbers. */
    public static final Map<String, Integer> PROTOCOLS = protocols();

    /** The operations {@code --op} selects. */
    public static final List<String> OPS = List.of("new", "del", "update", "destroy", "overrun");

    /** The largest process id Linux hands out ({@code PID_MAX_LIMIT} on 64-bit). */
    public static final int PID_MAX = 4_194_304;

    /** The most bytes of an interface name ({@code IFNAMSIZ} less NUL) or a comm ({@code TASK_COMM_LEN} less NUL). */
    static final int NAME_MAX = 15;

    static final String PROTO_EXPECTED = "protocol names (" + String.join(", ", PROTOCOLS.keySet())
        + ") or numbers 0..255";
    static final String PORT_EXPECTED = "ports 0..65535 or ranges LO-HI such as 8000-8080";
    static final String IP_EXPECTED = "IPv4 or IPv6 addresses or CIDRs such as 10.0.0.0/8 or fd00::/8"
        + " (names are not looked up)";
    static final String NETNS_EXPECTED = "namespace inodes 1..4294967295 or names of A-Z a-z 0-9 . _ -"
        + " as ip netns lists them";
    static final String IFNAME_EXPECTED = "interface names of 1 to 15 bytes without / or white space, not . or ..";
    static final String PID_EXPECTED = "process ids 1.." + PID_MAX;
    static final String COMM_EXPECTED = "command names of 1 to 15 bytes";

    public FilterSpec
    {
        protos = distinct(protos);
        portRanges = distinct(portRanges);
        ips = distinct(ips);
        netns = distinct(netns);
        ifnames = distinct(ifnames);
        ops = distinct(ops);
        pids = distinct(pids);
        comms = distinct(comms);
    }

    /** @return whether no filter has values, so every event passes */
    public boolean isEmpty()
    {
        return protos.isEmpty() && portRanges.isEmpty() && ips.isEmpty() && netns.isEmpty() && ifnames.isEmpty()
            && ops.isEmpty() && pids.isEmpty() && comms.isEmpty();
    }

    private static <T> List<T> distinct(List<T> values)
    {
        return List.copyOf(values.stream().distinct().toList());
    }

    private static Map<String, Integer> protocols()
    {
        Map<String, Integer> protocols = new LinkedHashMap<>();
        protocols.put("tcp", 6);
        protocols.put("udp", 17);
        protocols.put("icmp", 1);
        protocols.put("icmpv6", 58);
        protocols.put("sctp", 132);
        protocols.put("dccp", 33);
        protocols.put("udplite", 136);
        protocols.put("gre", 47);
        protocols.put("esp", 50);
        protocols.put("ah", 51);
        return Collections.unmodifiableMap(protocols);
    }

    /**
     * An inclusive range of ports.
     *
     * @param lo the first port, 0..65535
     * @param hi the last port, lo..65535
     */
    public record PortRange(int lo, int hi)
    {
        public PortRange
        {
            if (lo < 0 || hi > 65535 || lo > hi)
            {
                throw new IllegalArgumentException("not a port range: " + lo + "-" + hi);
            }
        }

        /**
         * @param text a port, {@code 443}, or a range, {@code 8000-8080}
         * @throws IllegalArgumentException naming {@code text} and what is wrong with it
         */
        public static PortRange parse(String text)
        {
            int dash = text.indexOf('-');
            long lo = decimal(dash < 0 ? text : text.substring(0, dash));
            long hi = dash < 0 ? lo : decimal(text.substring(dash + 1));
            if (lo < 0 || hi < 0)
            {
                throw new IllegalArgumentException(text + " is not a port or range");
            }
            if (lo > 65535 || hi > 65535)
            {
                throw new IllegalArgumentException(text + " is out of range");
            }
            if (lo > hi)
            {
                throw new IllegalArgumentException(text + " has its low end above its high end");
            }
            return new PortRange((int)lo, (int)hi);
        }

        public boolean contains(int port)
        {
            return port >= lo && port <= hi;
        }

        /** {@code 443} or {@code 8000-8080}. */
        @Override
        public String toString()
        {
            return lo == hi ? Integer.toString(lo) : lo + "-" + hi;
        }
    }

    /**
     * An IPv4 or IPv6 network: the addresses whose first {@code prefixLength} bits are {@code address}'s. Host bits
     * given are cleared ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). Equal networks are equal records.
     *
     * @param address      4 or 16 bytes in network order, host bits zero; copied in and out
     * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
     */
    public record Cidr(byte[] address, int prefixLength)
    {
        public Cidr
        {
            if (address.length != 4 && address.length != 16)
            {
                throw new IllegalArgumentException("an IP address is 4 or 16 bytes, not " + address.length);
            }
            if (prefixLength < 0 || prefixLength > address.length * 8)
            {
                throw new IllegalArgumentException(
                    "prefix length " + prefixLength + " out of 0.." + address.length * 8);
            }
            address = address.clone();
            for (int bit = prefixLength; bit < address.length * 8; bit++)
            {
                address[bit / 8] &= (byte)~(0x80 >>> (bit % 8));
            }
        }

        /**
         * Reads an address literal with an optional prefix length, without ever looking a name up: {@code 10.1.2.3},
         * {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}, {@code ::ffff:10.0.0.0/104}. IPv4 is four decimal
         * numbers without leading zeros; IPv6 is RFC 4291 text (no zone such as {@code %eth0}, no brackets).
         *
         * @throws IllegalArgumentException naming {@code text} and what is wrong with it
         */
        public static Cidr parse(String text)
        {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            byte[] address = host.indexOf(':') >= 0 ? ipv6(host) : ipv4(host);
            long prefix = slash < 0 || address == null ? 0 : decimal(text.substring(slash + 1));
            if (address == null || prefix < 0 || slash >= 0 && text.length() - slash - 1 > 3)
            {
                throw new IllegalArgumentException(text + " is not an IP address or CIDR");
            }
            if (prefix > address.length * 8)
            {
                throw new IllegalArgumentException(text + " has a prefix length above " + address.length * 8);
            }
            return new Cidr(address, slash < 0 ? address.length * 8 : (int)prefix);
        }

        @Override
        public byte[] address()
        {
            return address.clone();
        }

        /**
         * Whether {@code addr} (4 or 16 bytes, network order) is in this network. Families meet through IPv4-mapped
         * IPv6 addresses ({@code ::ffff:a.b.c.d}), as a dual-stack socket reports its IPv4 peers:
         * <ul>
         *   <li>an IPv4-mapped 16-byte address is in an IPv4 network if its last 4 bytes are (and in an IPv6 network
         *       by its 16 bytes, as any IPv6 address);</li>
         *   <li>a 4-byte address is in an IPv6 network only if the network lies within {@code ::ffff:0:0/96} and
         *       holds {@code ::ffff:a.b.c.d}; so {@code ::ffff:10.0.0.0/104} holds 10.1.2.3, but {@code ::/0} holds
         *       no IPv4 address;</li>
         *   <li>any other IPv6 address is in no IPv4 network.</li>
         * </ul>
         *
         * @throws IllegalArgumentException if {@code addr} is not 4 or 16 bytes
         */
        public boolean contains(byte[] addr)
        {
            if (addr.length != 4 && addr.length != 16)
            {
                throw new IllegalArgumentException("an IP address is 4 or 16 bytes, not " + addr.length);
            }
            if (addr.length == address.length)
            {
                return samePrefix(addr, 0, address, 0, prefixLength);
            }
            if (addr.length == 16)
            {
                return isMapped(addr) && samePrefix(addr, 12, address, 0, prefixLength);
            }
            return prefixLength >= 96 && isMapped(address) && samePrefix(addr, 0, address, 12, prefixLength - 96);
        }

        /** Canonical text: {@code 10.0.0.0/8}, {@code fd00::/8}, {@code ::ffff:10.0.0.0/104} (RFC 5952). */
        @Override
        public String toString()
        {
            return (address.length == 4 ? dotted(address, 0) : ipv6Text(address)) + "/" + prefixLength;
        }

        @Override
        public boolean equals(Object o)
        {
            return o instanceof Cidr other && prefixLength == other.prefixLength
                && Arrays.equals(address, other.address);
        }

        @Override
        public int hashCode()
        {
            return 31 * Arrays.hashCode(address) + prefixLength;
        }

        private static boolean isMapped(byte[] address16)
        {
            for (int i = 0; i < 10; i++)
            {
                if (address16[i] != 0)
                {
                    return false;
                }
            }
            return address16[10] == (byte)0xff && address16[11] == (byte)0xff;
        }

        private static boolean samePrefix(byte[] a, int aFrom, byte[] b, int bFrom, int bits)
        {
            for (int i = 0; i < bits / 8; i++)
            {
                if (a[aFrom + i] != b[bFrom + i])
                {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (a[aFrom + bits / 8] & mask) == (b[bFrom + bits / 8] & mask);
        }

        /** @return the 4 bytes of a dotted quad without leading zeros, or null */
        private static byte[] ipv4(String text)
        {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4)
            {
                return null;
            }
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++)
            {
                long part = parts[i].length() > 3 || parts[i].length() > 1 && parts[i].charAt(0) == '0' ? -1
                    : decimal(parts[i]);
                if (part < 0 || part > 255)
                {
                    return null;
                }
                out[i] = (byte)part;
            }
            return out;
        }

        /** @return the 16 bytes of RFC 4291 text (hex groups, one {@code ::}, an optional dotted quad last), or null */
        private static byte[] ipv6(String text)
        {
            int gap = text.indexOf("::");
            if (gap >= 0 && text.indexOf("::", gap + 1) >= 0)
            {
                return null;
            }
            List<Integer> head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
            List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2), true);
            if (head == null || tail == null || (gap < 0 ? head.size() != 8 : head.size() + tail.size() > 7))
            {
                return null;
            }
            byte[] out = new byte[16];
            for (int i = 0; i < head.size(); i++)
            {
                out[2 * i] = (byte)(head.get(i) >>> 8);
                out[2 * i + 1] = (byte)(int)head.get(i);
            }
            for (int i = 0, at = 8 - tail.size(); i < tail.size(); i++, at++)
            {
                out[2 * at] = (byte)(tail.get(i) >>> 8);
                out[2 * at + 1] = (byte)(int)tail.get(i);
            }
            return out;
        }

        /** @return the 16-bit groups of colon-separated hex (a dotted quad last, if {@code last}), or null */
        private static List<Integer> groups(String text, boolean last)
        {
            List<Integer> groups = new ArrayList<>();
            if (text.isEmpty())
            {
                return groups;
            }
            String[] parts = text.split(":", -1);
            for (int i = 0; i < parts.length; i++)
            {
                String part = parts[i];
                if (last && i == parts.length - 1 && part.indexOf('.') >= 0)
                {
                    byte[] quad = ipv4(part);
                    if (quad == null)
                    {
                        return null;
                    }
                    groups.add((quad[0] & 0xff) << 8 | quad[1] & 0xff);
                    groups.add((quad[2] & 0xff) << 8 | quad[3] & 0xff);
                }
                else if (part.matches("[0-9A-Fa-f]{1,4}"))
                {
                    groups.add(Integer.parseInt(part, 16));
                }
                else
                {
                    return null;
                }
            }
            return groups;
        }

        private static String dotted(byte[] address, int from)
        {
            return (address[from] & 0xff) + "." + (address[from + 1] & 0xff) + "." + (address[from + 2] & 0xff) + "."
                + (address[from + 3] & 0xff);
        }

        private static String ipv6Text(byte[] address)
        {
            if (isMapped(address))
            {
                return "::ffff:" + dotted(address, 12);
            }
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++)
            {
                groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
            }
            int bestStart = -1;
            int bestLength = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
            for (int i = 0; i < 8;)
            {
                int j = i;
                while (j < 8 && groups[j] == 0)
                {
                    j++;
                }
                if (j - i > bestLength)
                {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = Math.max(j, i + 1);
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 8; i++)
            {
                if (i == bestStart)
                {
                    out.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (out.length() > 0 && out.charAt(out.length() - 1) != ':')
                {
                    out.append(':');
                }
                out.append(Integer.toHexString(groups[i]));
            }
            return out.toString();
        }
    }

    // Element checks for the filters' validators, and the parsing NlstreamConfig.filter() does with them.

    /** @return the protocol number of a name in {@link #PROTOCOLS} (any case) or of a number 0..255 */
    static int protocol(String text)
    {
        Integer named = PROTOCOLS.get(text.toLowerCase(Locale.ROOT));
        if (named != null)
        {
            return named;
        }
        long number = decimal(text);
        if (number < 0)
        {
            throw new IllegalArgumentException(text + " is not a protocol name or number");
        }
        if (number > 255)
        {
            throw new IllegalArgumentException(text + " is out of range");
        }
        return (int)number;
    }

    /** @return a namespace name as it is, or an inode without leading zeros */
    static String netns(String text)
    {
        long inode = decimal(text);
        if (inode >= 0 && (inode < 1 || inode > 0xffff_ffffL))
        {
            throw new IllegalArgumentException(text + " is out of range");
        }
        if (inode < 0 && (!text.matches("[A-Za-z0-9._-]{1,255}") || text.equals(".") || text.equals("..")))
        {
            throw new IllegalArgumentException(text + " is not a namespace inode or name");
        }
        return inode < 0 ? text : Long.toString(inode);
    }

    static void checkIfname(String text)
    {
        if (text.equals(".") || text.equals(".."))
        {
            throw new IllegalArgumentException(text + " is not an interface name");
        }
        if (text.indexOf('/') >= 0)
        {
            throw new IllegalArgumentException(text + " contains /");
        }
        if (text.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)))
        {
            throw new IllegalArgumentException(text + " contains white space or control characters");
        }
        checkLength(text);
    }

    static int pid(String text)
    {
        long pid = decimal(text);
        if (pid < 0)
        {
            throw new IllegalArgumentException(text + " is not a process id");
        }
        if (pid < 1 || pid > PID_MAX)
        {
            throw new IllegalArgumentException(text + " is out of range");
        }
        return (int)pid;
    }

    static void checkComm(String text)
    {
        checkLength(text);
    }

    private static void checkLength(String text)
    {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NAME_MAX)
        {
            throw new IllegalArgumentException(text + " is longer than " + NAME_MAX + " bytes");
        }
    }

    /** @return the value of decimal digits (at most {@link Long#MAX_VALUE}), or -1 if {@code text} is not digits */
    private static long decimal(String text)
    {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return -1;
        }
        String digits = text.replaceFirst("^0+(?=.)", "");
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
