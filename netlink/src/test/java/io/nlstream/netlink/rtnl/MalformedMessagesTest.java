package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.MessageBuilder;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.FixtureMessages.buffers;
import static io.nlstream.netlink.MessageBuilder.attributes;
import static io.nlstream.netlink.MessageBuilder.message;
import static io.nlstream.netlink.Netlink.NLA_F_NESTED;
import static io.nlstream.netlink.Netlink.NLMSG_ERROR;
import static io.nlstream.netlink.Netlink.NLM_F_REQUEST;
import static io.nlstream.netlink.rtnl.IfAddr.*;
import static io.nlstream.netlink.rtnl.IfLink.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Link and address messages built a field at a time ({@link MessageBuilder}: lengths and padding counted, in
 * host order), each with the outcome the decoder must give: false with the named error at the named offset,
 * or true. struct ifinfomsg ends at 32 and struct ifaddrmsg at 24, where the attributes start.
 */
class MalformedMessagesTest
{
    private static final String OK = null;

    /** linux/socket.h: a family whose addresses are of any length (an MCTP endpoint id is one byte). */
    private static final int AF_MCTP = 45;

    /** struct ifinfomsg: family, pad, type, index, flags, change (flags and change 0). */
    private static MessageBuilder ifinfomsg(final int type, final int ifiType, final int index)
    {
        return message(type).u8(AF_UNSPEC).u8(0).u16(ifiType).u32(index).u32(0).u32(0);
    }

    /** RTM_NEWLINK of an Ethernet device, ifindex 2. */
    private static MessageBuilder link()
    {
        return ifinfomsg(RTM_NEWLINK, ARPHRD_ETHER, 2);
    }

    /** struct ifaddrmsg: family, prefixlen, flags, scope, index. */
    private static MessageBuilder ifaddrmsg(final int type, final int family, final int prefixlen, final int flags,
        final int scope, final int index)
    {
        return message(type).u8(family).u8(prefixlen).u8(flags).u8(scope).u32(index);
    }

    /** RTM_NEWADDR of a permanent address on ifindex 2. */
    private static MessageBuilder addr(final int family, final int prefixlen, final int scope)
    {
        return ifaddrmsg(RTM_NEWADDR, family, prefixlen, IFA_F_PERMANENT, scope, 2);
    }

    /** An empty IFLA_LINKINFO, and IFLA_ADDRESS an InfiniBand hardware address (20 bytes). */
    private static final byte[] INFINIBAND_LINK = ifinfomsg(RTM_NEWLINK, ARPHRD_INFINIBAND, 2)
        .attr(IFLA_LINKINFO | NLA_F_NESTED)
        .attr(IFLA_ADDRESS, 0x80, 0x00, 0x00, 0x48, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xc9, 0x03,
            0x00, 0x0a, 0xbc, 0xde)
        .bytes();

    /** IFA_LOCAL a one-byte MCTP endpoint id. */
    private static final byte[] MCTP_ADDR = ifaddrmsg(RTM_DELADDR, AF_MCTP, 0, 0, 0, 2)
        .attrU8(IFA_LOCAL, 8)
        .bytes();

    /** 2001:db8::1/64; ifa_flags holds IFA_F_PERMANENT, the low byte only, IFA_FLAGS all of them (0x200 is above the u8). */
    private static final byte[] IFA_FLAGS_ADDR = addr(AF_INET6, 64, RT_SCOPE_UNIVERSE)
        .attr(IFA_ADDRESS, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01)
        .attrU32(IFA_FLAGS, IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE)
        .bytes();

    static Stream<Arguments> linkMessages()
    {
        return Stream.of(
            Arguments.of("truncated header",
                // nlmsg_len 32, but the buffer ends inside nlmsg_pid: 15 bytes in all
                Arrays.copyOf(message(RTM_NEWLINK).nlmsgLen(32).bytes(), 15),
                NetlinkFraming.SHORT_HEADER, 0),

            Arguments.of("nlmsg_len past the buffer",
                link().nlmsgLen(64).bytes(), // only 32 bytes given
                NetlinkFraming.LENGTH_PAST_END, 0),

            Arguments.of("nlmsg_len < 16", message(RTM_NEWLINK).nlmsgLen(12).bytes(), NetlinkFraming.LENGTH_TOO_SMALL, 0),

            Arguments.of("not a link message",
                // an ifaddrmsg, then zeros to the 16 bytes of an ifinfomsg
                ifaddrmsg(RTM_NEWADDR, AF_INET, 24, IFA_F_PERMANENT, RT_SCOPE_UNIVERSE, 2).zeros(8).bytes(),
                LinkDecoder.ERR_NOT_LINK, 0),

            Arguments.of("NLMSG_ERROR is not a link message",
                // error -19 (ENODEV), then the request's header
                message(NLMSG_ERROR).seq(1).u32(-19).raw(message(RTM_GETLINK).flags(NLM_F_REQUEST).seq(1).bytes()).bytes(),
                LinkDecoder.ERR_NOT_LINK, 0),

            Arguments.of("short ifinfomsg",
                // room for 8 of ifinfomsg's 16 bytes: ifi_flags and ifi_change missing
                message(RTM_NEWLINK).u8(AF_UNSPEC).u8(0).u16(ARPHRD_ETHER).u32(2).bytes(),
                LinkDecoder.ERR_SHORT_IFINFOMSG, 16),

            Arguments.of("attribute nla_len 0",
                link().attrHeader(0, IFLA_MTU).u32(1500).bytes(), // a naive walker never advances
                ERR_SHORT_ATTRIBUTE, 32),

            Arguments.of("attribute nla_len < 4",
                link().attrHeader(3, IFLA_MTU).u32(1500).bytes(), // shorter than its own header
                ERR_SHORT_ATTRIBUTE, 32),

            Arguments.of("attribute nla_len past end of message",
                // nla_len 12, 8 bytes left in the message; the last 4 are in the buffer, past nlmsg_len
                link().attrHeader(12, IFLA_IFNAME).raw('e', 't', 'h', '0').zeros(4).nlmsgLen(40).bytes(),
                ERR_LENGTH_PAST_END, 32),

            Arguments.of("trailing bytes after the last attribute",
                link().attrU32(IFLA_MTU, 1500).zeros(2).bytes(), // 2 bytes: not even an attribute header
                ERR_TRAILING_BYTES, 40),

            Arguments.of("IFLA_MTU of 2 bytes",
                link().attrU16(IFLA_MTU, 1500).bytes(), // a u32 needs nla_len 8
                ERR_NOT_U32, 32),

            Arguments.of("IFLA_MTU of 8 bytes",
                link().attrU64(IFLA_MTU, 1500).bytes(), // exactly 4 bytes, as mnl_attr_validate
                ERR_NOT_U32, 32),

            Arguments.of("IFLA_IFNAME without NUL",
                link().attr(IFLA_IFNAME, 'e', 't', 'h', '0').bytes(),
                ERR_NOT_NUL_STRING, 32),

            Arguments.of("empty IFLA_IFNAME",
                link().attr(IFLA_IFNAME).bytes(), // no payload, not even the NUL
                ERR_NOT_NUL_STRING, 32),

            Arguments.of("IFLA_OPERSTATE of 4 bytes",
                link().attrU32(IFLA_OPERSTATE, IF_OPER_UP).bytes(), // a u8 has nla_len 5
                ERR_NOT_U8, 32),

            Arguments.of("IFLA_LINK_NETNSID of 1 byte",
                link().attrU8(IFLA_LINK_NETNSID, 1).bytes(), // an s32 needs nla_len 8
                ERR_NOT_U32, 32),

            Arguments.of("nested IFLA_LINKINFO of 2 bytes",
                link().attr(IFLA_LINKINFO, 0x01, 0x00).bytes(), // no room for an attribute header inside
                ERR_NOT_NESTED, 32),

            Arguments.of("IFLA_INFO_KIND without NUL inside IFLA_LINKINFO",
                link().nest(IFLA_LINKINFO, n -> n.attr(IFLA_INFO_KIND, 'v', 'e', 't', 'h', 'v', 'e', 't', 'h')).bytes(),
                ERR_NOT_NUL_STRING, 36),

            Arguments.of("inner attribute past the end of IFLA_LINKINFO",
                // the nest ends at 44; IFLA_INFO_KIND's nla_len 13 runs past the nest ("ge\0" outside it), not the message
                link().attrHeader(12, IFLA_LINKINFO).attrHeader(13, IFLA_INFO_KIND).raw('b', 'r', 'i', 'd', 'g', 'e', 0, 0)
                    .attrHeader(8, IFLA_MTU).bytes(),
                ERR_LENGTH_PAST_END, 36),

            Arguments.of("good IFLA_IFNAME, then a bad IFLA_MTU: no half object",
                link().attrString(IFLA_IFNAME, "eth0").attrU8(IFLA_MTU, 0xdc).bytes(), // IFLA_MTU of 1 byte
                ERR_NOT_U32, 44),

            Arguments.of("ok: header and ifinfomsg, no attributes",
                ifinfomsg(RTM_DELLINK, ARPHRD_ETHER, 2).bytes(),
                OK, -1),

            Arguments.of("ok: unknown attribute skipped, last attribute unpadded",
                // type 0x3fff: unknown, any size; the message ends at IFLA_OPERSTATE's last byte, without padding
                link().attr(0x3fff, 0x01, 0x02, 0x03).attrHeader(5, IFLA_OPERSTATE).u8(IF_OPER_UP).bytes(),
                OK, -1),

            Arguments.of("ok: empty IFLA_LINKINFO, 20-byte IFLA_ADDRESS", INFINIBAND_LINK, OK, -1));
    }

    static Stream<Arguments> addrMessages()
    {
        return Stream.of(
            Arguments.of("short ifaddrmsg",
                // room for 4 of ifaddrmsg's 8 bytes: ifa_index missing
                message(RTM_NEWADDR).u8(AF_INET).u8(24).u8(IFA_F_PERMANENT).u8(RT_SCOPE_UNIVERSE).bytes(),
                AddrDecoder.ERR_SHORT_IFADDRMSG, 16),

            Arguments.of("not an address message",
                ifaddrmsg(RTM_NEWLINK, AF_INET, 24, IFA_F_PERMANENT, RT_SCOPE_UNIVERSE, 2).bytes(),
                AddrDecoder.ERR_NOT_ADDR, 0),

            Arguments.of("IFA_ADDRESS of 5 bytes for AF_INET",
                addr(AF_INET, 24, RT_SCOPE_UNIVERSE).attr(IFA_ADDRESS, 192, 0, 2, 1, 7).bytes(), // 192.0.2.1 and one more
                AddrDecoder.ERR_ADDRESS_LENGTH, 24),

            Arguments.of("IFA_LOCAL of 4 bytes for AF_INET6",
                addr(AF_INET6, 64, RT_SCOPE_UNIVERSE).attr(IFA_LOCAL, 192, 0, 2, 1).bytes(), // an IPv4 address in an IPv6 message
                AddrDecoder.ERR_ADDRESS_LENGTH, 24),

            Arguments.of("IFA_CACHEINFO of 12 bytes",
                // struct ifa_cacheinfo is 16: ifa_prefered, ifa_valid, cstamp; tstamp missing
                addr(AF_INET, 24, RT_SCOPE_UNIVERSE)
                    .attr(IFA_CACHEINFO, attributes().u32(INFINITY_LIFE_TIME).u32(INFINITY_LIFE_TIME).u32(256).attributeBytes())
                    .bytes(),
                AddrDecoder.ERR_CACHEINFO_LENGTH, 24),

            Arguments.of("IFA_FLAGS of 1 byte",
                addr(AF_INET, 24, RT_SCOPE_UNIVERSE).attrU8(IFA_FLAGS, IFA_F_PERMANENT).bytes(), // a u32 needs nla_len 8
                ERR_NOT_U32, 24),

            Arguments.of("IFA_LABEL without NUL",
                addr(AF_INET, 24, RT_SCOPE_UNIVERSE).attr(IFA_LABEL, 'e', 't', 'h', '0').bytes(),
                ERR_NOT_NUL_STRING, 24),

            Arguments.of("IFA_PROTO of 4 bytes",
                addr(AF_INET6, 64, RT_SCOPE_LINK).attrU32(IFA_PROTO, IFAPROT_KERNEL_LL).bytes(), // a u8 has nla_len 5
                ERR_NOT_U8, 24),

            Arguments.of("ok: another family, address of any length", MCTP_ADDR, OK, -1),

            Arguments.of("ok: IFA_FLAGS overrides ifa_flags", IFA_FLAGS_ADDR, OK, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkMessages")
    void linkDecoder(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        for (final ByteBuffer buf : buffers(bytes))
        {
            final LinkDecoder link = new LinkDecoder();
            assertEquals(error == null, link.wrap(buf, 0, bytes.length), name);
            assertEquals(error, link.error());
            assertEquals(errorOffset, link.errorOffset());
            if (error != null)
            {
                assertFalse(link.hasIfname());
                assertEquals(-1, link.mtu());
                assertNull(link.linkKind());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addrMessages")
    void addrDecoder(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        for (final ByteBuffer buf : buffers(bytes))
        {
            final AddrDecoder addr = new AddrDecoder();
            assertEquals(error == null, addr.wrap(buf, 0, bytes.length), name);
            assertEquals(error, addr.error());
            assertEquals(errorOffset, addr.errorOffset());
            if (error != null)
            {
                assertNull(addr.primaryAddress());
                assertNull(addr.label());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkMessages")
    void framingAgreesWithTheDecoders(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        final int len = NetlinkFraming.check(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0, bytes.length);
        final boolean framingError = error != null && Set.of(
            NetlinkFraming.SHORT_HEADER, NetlinkFraming.LENGTH_TOO_SMALL, NetlinkFraming.LENGTH_PAST_END).contains(error);
        assertEquals(framingError, len < 0, NetlinkFraming.describe(len));
    }

    @Test
    void okMessagesDecodeToTheirValues()
    {
        final LinkDecoder link = new LinkDecoder();
        assertTrue(link.wrap(ByteBuffer.wrap(INFINIBAND_LINK), 0, INFINIBAND_LINK.length));
        assertEquals("80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:bc:de", link.address());
        assertNull(link.linkKind(), "empty IFLA_LINKINFO");
        assertEquals(IfLink.ARPHRD_INFINIBAND, link.deviceType());

        final AddrDecoder addr = new AddrDecoder();
        assertTrue(addr.wrap(ByteBuffer.wrap(MCTP_ADDR), 0, MCTP_ADDR.length));
        assertEquals("08", addr.primaryAddress());
        assertTrue(addr.isDelete());

        assertTrue(addr.wrap(ByteBuffer.wrap(IFA_FLAGS_ADDR), 0, IFA_FLAGS_ADDR.length));
        assertEquals("2001:db8::1", addr.primaryAddress());
        assertEquals(IfAddr.IFA_F_PERMANENT | IfAddr.IFA_F_NOPREFIXROUTE, addr.flags());
        assertEquals(List.of("noprefixroute"), AddrFlags.names(addr.family(), addr.flags()));
    }
}
