package io.nlstream.monitor.journal;

import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkFraming;
import io.nlstream.netlink.rtnl.IfAddr;
import io.nlstream.netlink.rtnl.IfLink;
import io.nlstream.netlink.rtnl.Rtnetlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Test helper: rtnetlink messages built field by field as the kernel lays them out (host byte order,
 * attributes padded to 4), and the captured fixtures of the netlink module
 * ({@code netlink/src/test/resources/fixtures}, see the README there), read through its test-jar's
 * {@link io.nlstream.netlink.Fixtures}.
 */
public final class RtnlMessages
{
    public static final int ARPHRD_ETHER = 1;
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;
    public static final int IF_OPER_UP = 6;
    public static final int ENOBUFS = 105;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;

    private final ByteBuffer buf = ByteBuffer.allocate(8192).order(ByteOrder.nativeOrder());
    private final List<Integer> nests = new ArrayList<>();

    private RtnlMessages(final int type, final int flags, final int seq, final int pid)
    {
        buf.putInt(0).putShort((short)type).putShort((short)flags).putInt(seq).putInt(pid);
    }

    /** Starts a message; the fixed family header and attributes follow; {@link #build} sets nlmsg_len. */
    public static RtnlMessages message(final int type, final int flags, final int seq, final int pid)
    {
        return new RtnlMessages(type, flags, seq, pid);
    }

    public RtnlMessages u8(final int v)
    {
        buf.put((byte)v);
        return this;
    }

    public RtnlMessages u16(final int v)
    {
        buf.putShort((short)v);
        return this;
    }

    public RtnlMessages u32(final int v)
    {
        buf.putInt(v);
        return this;
    }

    public RtnlMessages bytes(final byte[] v)
    {
        buf.put(v);
        return this;
    }

    public RtnlMessages attr(final int type, final byte[] payload)
    {
        buf.putShort((short)(Netlink.NLA_HDRLEN + payload.length)).putShort((short)type).put(payload);
        return pad();
    }

    public RtnlMessages attrU8(final int type, final int v)
    {
        return attr(type, new byte[] {(byte)v});
    }

    public RtnlMessages attrU32(final int type, final int v)
    {
        return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
    }

    public RtnlMessages attrString(final int type, final String s)
    {
        final byte[] text = s.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(text, text.length + 1));
    }

    public RtnlMessages beginNest(final int type)
    {
        nests.add(buf.position());
        buf.putShort((short)0).putShort((short)(type | Netlink.NLA_F_NESTED));
        return this;
    }

    public RtnlMessages endNest()
    {
        final int start = nests.remove(nests.size() - 1);
        buf.putShort(start, (short)(buf.position() - start));
        return this;
    }

    private RtnlMessages pad()
    {
        while ((buf.position() & (Netlink.NLA_ALIGNTO - 1)) != 0)
        {
            buf.put((byte)0);
        }
        return this;
    }

    public byte[] build()
    {
        pad();
        buf.putInt(Netlink.NLMSG_LENGTH_OFFSET, buf.position());
        return Arrays.copyOf(buf.array(), buf.position());
    }

    // ---- rtnetlink messages as the kernel sends them

    /** RTM_NEWLINK (AF_UNSPEC) for an Ethernet-like link that is up. */
    public static byte[] newLink(final int ifindex, final String ifname, final int mtu)
    {
        return link(Rtnetlink.RTM_NEWLINK, Rtnetlink.AF_UNSPEC, ifindex, ifname, mtu, 0);
    }

    public static byte[] delLink(final int ifindex, final String ifname)
    {
        return link(Rtnetlink.RTM_DELLINK, Rtnetlink.AF_UNSPEC, ifindex, ifname, 1500, 0);
    }

    /** A port leaving a bridge: PF_BRIDGE RTM_DELLINK, which does not delete the link itself. */
    public static byte[] bridgePortDelLink(final int ifindex, final String ifname, final int master)
    {
        return link(Rtnetlink.RTM_DELLINK, Rtnetlink.AF_BRIDGE, ifindex, ifname, 1500, master);
    }

    public static byte[] link(final int type, final int family, final int ifindex, final String ifname, final int mtu,
        final int master)
    {
        final RtnlMessages m = message(type, 0, 0, 0)
            .u8(family).u8(0).u16(ARPHRD_ETHER).u32(ifindex)
            .u32(IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_LOWER_UP).u32(0)
            .attrString(IfLink.IFLA_IFNAME, ifname)
            .attrU32(IfLink.IFLA_MTU, mtu)
            .attrU8(IfLink.IFLA_OPERSTATE, IF_OPER_UP)
            .attr(IfLink.IFLA_ADDRESS, new byte[] {2, 0, 0, 0, 0, (byte)ifindex});
        if (master != 0)
        {
            m.attrU32(IfLink.IFLA_MASTER, master);
        }
        return m.build();
    }

    public static byte[] newAddr4(final int ifindex, final String address, final int prefixlen)
    {
        return addr(Rtnetlink.RTM_NEWADDR, Rtnetlink.AF_INET, ifindex, ipv4(address), prefixlen, RT_SCOPE_UNIVERSE);
    }

    public static byte[] delAddr4(final int ifindex, final String address, final int prefixlen)
    {
        return addr(Rtnetlink.RTM_DELADDR, Rtnetlink.AF_INET, ifindex, ipv4(address), prefixlen, RT_SCOPE_UNIVERSE);
    }

    public static byte[] addr(final int type, final int family, final int ifindex, final byte[] address,
        final int prefixlen, final int scope)
    {
        final RtnlMessages m = message(type, 0, 0, 0)
            .u8(family).u8(prefixlen).u8(0).u8(scope).u32(ifindex)
            .attr(IfAddr.IFA_ADDRESS, address);
        if (family == Rtnetlink.AF_INET)
        {
            m.attr(IfAddr.IFA_LOCAL, address);
        }
        return m.build();
    }

    /** The request capture journals as a DUMP_BEGIN payload (see capture.DumpRequest). */
    public static byte[] dumpRequest(final int type, final int seq)
    {
        final int header = type == Rtnetlink.RTM_GETADDR ? Rtnetlink.IFADDRMSG_LEN : Rtnetlink.IFINFOMSG_LEN;
        final RtnlMessages m = message(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, seq, 4242);
        for (int i = 0; i < header; i++)
        {
            m.u8(0);
        }
        return m.build();
    }

    public static byte[] done(final int seq)
    {
        return message(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, seq, 0).u32(0).build();
    }

    /** NLMSG_ERROR: a negative errno, then the header of the request it answers. */
    public static byte[] error(final int seq, final int errno)
    {
        return message(Netlink.NLMSG_ERROR, 0, seq, 0).u32(-errno)
            .u32(Netlink.NLMSG_HDRLEN).u16(Rtnetlink.RTM_GETLINK).u16(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP)
            .u32(seq).u32(4242).build();
    }

    public static byte[] gapRecord(final long overruns, final int errno)
    {
        return ByteBuffer.allocate(GapRecord.LENGTH).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(GapRecord.OVERRUNS_OFFSET, overruns).putInt(GapRecord.ERRNO_OFFSET, errno).array();
    }

    public static byte[] ipv4(final String dotted)
    {
        final String[] parts = dotted.split("\\.");
        final byte[] out = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            out[i] = (byte)Integer.parseInt(parts[i]);
        }
        return out;
    }

    // ---- captured fixtures

    /** The bytes of a {@code .hex} fixture: '#' lines are comments, the rest hex pairs. */
    public static byte[] fixture(final String name)
    {
        return io.nlstream.netlink.Fixtures.bytes(name);
    }

    /** {@code ip-expected.txt}: key=value, split at the first '=' (IPv6 keys hold colons). */
    public static Map<String, String> ipExpected()
    {
        return io.nlstream.netlink.Fixtures.ipExpected();
    }

    /** A fixture's text lines. */
    public static List<String> fixtureLines(final String name)
    {
        return List.of(io.nlstream.netlink.Fixtures.text(name).split("\n"));
    }

    /** The messages of concatenated datagrams, each copied out on its own. */
    public static List<byte[]> messages(final byte[] datagrams)
    {
        final ByteBuffer b = ByteBuffer.wrap(datagrams).order(ByteOrder.nativeOrder());
        final List<byte[]> out = new ArrayList<>();
        int offset = 0;
        while (offset < datagrams.length)
        {
            final int len = NetlinkFraming.check(b, offset, datagrams.length - offset);
            if (len < 0)
            {
                throw new IllegalArgumentException("bad framing at offset=" + offset + ": " + NetlinkFraming.describe(len));
            }
            out.add(Arrays.copyOfRange(datagrams, offset, offset + len));
            offset = NetlinkFraming.nextOffset(offset, len, datagrams.length);
        }
        return out;
    }

    public static int type(final byte[] message)
    {
        return NetlinkFraming.type(ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()), 0);
    }
}
