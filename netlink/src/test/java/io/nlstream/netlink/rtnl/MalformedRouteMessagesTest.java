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
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.FixtureMessages.buffers;
import static io.nlstream.netlink.MessageBuilder.attributes;
import static io.nlstream.netlink.MessageBuilder.message;
import static io.nlstream.netlink.rtnl.IfAddr.RT_SCOPE_UNIVERSE;
import static io.nlstream.netlink.rtnl.Neighbour.NUD_PERMANENT;
import static io.nlstream.netlink.rtnl.Route.*;
import static io.nlstream.netlink.rtnl.Rtnetlink.*;
import static io.nlstream.netlink.rtnl.RouteDecoder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route messages built a field at a time ({@link MessageBuilder}: lengths and padding counted, in host
 * order), each with the outcome RouteDecoder must give: false with the named error at the named offset, or
 * true. struct rtmsg ends at 28, where the attributes start.
 */
class MalformedRouteMessagesTest
{
    private static final String OK = null;

    /** struct rtmsg: family, dst_len, src_len 0, tos 0, table main, protocol, scope universe, unicast, flags 0. */
    private static MessageBuilder rtmsg(final int type, final int family, final int dstLen, final int protocol)
    {
        return message(type).u8(family).u8(dstLen).u8(0).u8(0).u8(RT_TABLE_MAIN).u8(protocol).u8(RT_SCOPE_UNIVERSE)
            .u8(RTN_UNICAST).u32(0);
    }

    /** A static IPv4 route to a /24. */
    private static MessageBuilder inet()
    {
        return rtmsg(RTM_NEWROUTE, AF_INET, 24, RTPROT_STATIC);
    }

    /** An IPv6 route the kernel added. */
    private static MessageBuilder inet6(final int dstLen)
    {
        return rtmsg(RTM_NEWROUTE, AF_INET6, dstLen, RTPROT_BOOT);
    }

    /** struct rtnexthop, rtnh_len as given (its attributes follow): flags, hops (the weight - 1), ifindex. */
    private static MessageBuilder rtnh(final MessageBuilder m, final int rtnhLen, final int flags, final int hops,
        final int ifindex)
    {
        return m.u16(rtnhLen).u8(flags).u8(hops).u32(ifindex);
    }

    /** struct rtvia: rtvia_family (u16), then the address. */
    private static byte[] rtvia(final int family, final int... address)
    {
        return attributes().u16(family).raw(address).attributeBytes();
    }

    private static final byte[] MPLS_ROUTE = rtmsg(RTM_NEWROUTE, AF_MPLS, 20, RTPROT_STATIC) // dst_len 20: one label
        .attrBe32(RTA_DST, 100 << 12 | 1 << 8) // an MPLS label entry, not an address: label 100, bottom of stack
        .attr(RTA_VIA, rtvia(AF_INET, 10, 88, 0, 2))
        .attrU32(RTA_OIF, 2)
        .bytes();

    private static final byte[] UNEVEN_MULTIPATH = inet()
        .nest(RTA_MULTIPATH, n ->
        {
            rtnh(n, RTNH_LEN, 0, 0, 3); // a nexthop with no attributes, weight 1
            rtnh(n, 16, RTNH_F_ONLINK, 2, 2).attr(RTA_GATEWAY, 10, 88, 0, 3); // weight 3
        })
        .bytes();

    static Stream<Arguments> messages()
    {
        return Stream.of(
            Arguments.of("truncated header",
                // nlmsg_len 28, cut short in nlmsg_pid: 15 bytes in all
                Arrays.copyOf(inet().bytes(), 15),
                NetlinkFraming.SHORT_HEADER, 0),

            Arguments.of("nlmsg_len past the buffer",
                inet().nlmsgLen(64).bytes(), // only 28 bytes given
                NetlinkFraming.LENGTH_PAST_END, 0),

            Arguments.of("not a route message",
                // an ndmsg
                message(RTM_NEWNEIGH).u8(AF_INET).u8(0).u16(0).u32(2).u16(NUD_PERMANENT).u8(0).u8(RTN_UNICAST).bytes(),
                ERR_NOT_ROUTE, 0),

            Arguments.of("short rtmsg",
                // room for 8 of rtmsg's 12 bytes: rtm_flags missing
                message(RTM_NEWROUTE).u8(AF_INET).u8(24).u8(0).u8(0).u8(RT_TABLE_MAIN).u8(RTPROT_STATIC)
                    .u8(RT_SCOPE_UNIVERSE).u8(RTN_UNICAST).bytes(),
                ERR_SHORT_RTMSG, 16),

            Arguments.of("RTA_OIF of 2 bytes",
                inet().attrU16(RTA_OIF, 2).bytes(), // a u32 needs nla_len 8
                ERR_NOT_U32, 28),

            Arguments.of("RTA_DST of 5 bytes for AF_INET",
                inet().attr(RTA_DST, 10, 88, 0, 0, 7).bytes(),
                ERR_ADDRESS_LENGTH, 28),

            Arguments.of("RTA_GATEWAY of 4 bytes for AF_INET6",
                inet6(64).attr(RTA_GATEWAY, 10, 88, 0, 2).bytes(), // an IPv4 address in an IPv6 route
                ERR_ADDRESS_LENGTH, 28),

            Arguments.of("attribute past the end of the message",
                // nla_len 16, RTA_OIF: 12 bytes left in the message
                inet().attrHeader(16, RTA_OIF).u32(2).zeros(4).bytes(),
                ERR_LENGTH_PAST_END, 28),

            Arguments.of("attribute nla_len 0",
                // a naive walker never advances
                inet().attrHeader(0, RTA_OIF).u32(2).bytes(),
                ERR_SHORT_ATTRIBUTE, 28),

            Arguments.of("trailing bytes after the last attribute",
                // 2 bytes after it: not even an attribute header
                inet().attrU32(RTA_OIF, 2).zeros(2).bytes(),
                ERR_TRAILING_BYTES, 36),

            Arguments.of("RTA_TABLE of 1 byte",
                inet().attrU8(RTA_TABLE, RT_TABLE_MAIN).bytes(), // a u32 needs nla_len 8
                ERR_NOT_U32, 28),

            Arguments.of("RTA_PREF of 4 bytes",
                inet6(48).attrU32(RTA_PREF, ICMPV6_ROUTER_PREF_HIGH).bytes(), // a u8 has nla_len 5
                ERR_NOT_U8, 28),

            Arguments.of("RTA_EXPIRES of 4 bytes",
                inet().attrU32(RTA_EXPIRES, 300).bytes(), // the kernel sends a u64
                ERR_NOT_U64, 28),

            Arguments.of("RTA_CACHEINFO of 16 bytes",
                // struct rta_cacheinfo is 32: clntref, lastuse, expires, error; used, id, ts, tsage missing
                inet6(48).attr(RTA_CACHEINFO, attributes().u32(0).u32(0).u32(30000).u32(0).attributeBytes()).bytes(),
                ERR_CACHEINFO_LENGTH, 28),

            Arguments.of("RTA_VIA of 1 byte",
                inet().attr(RTA_VIA, AF_INET6).bytes(), // half of rtvia_family
                ERR_VIA_LENGTH, 28),

            Arguments.of("RTA_VIA AF_INET6 with 4 address bytes",
                // AF_INET6 needs 16 address bytes
                inet().attr(RTA_VIA, rtvia(AF_INET6, 0xfd, 0x00, 0x00, 0x88)).bytes(),
                ERR_VIA_LENGTH, 28),

            Arguments.of("RTA_METRICS of 2 bytes",
                inet().attr(RTA_METRICS, 2, 0).bytes(), // no room for a nested header
                ERR_NOT_NESTED, 28),

            Arguments.of("RTA_MULTIPATH shorter than struct rtnexthop",
                // rtnh_len, flags, hops: half an rtnexthop
                inet().nest(RTA_MULTIPATH, n -> n.u16(RTNH_LEN).u8(0).u8(0)).bytes(),
                ERR_RTNH_TRAILING, 32),

            Arguments.of("rtnh_len shorter than struct rtnexthop",
                // rtnh_len 4, less than its own 8 bytes
                inet().nest(RTA_MULTIPATH, n -> rtnh(n, 4, 0, 0, 2)).bytes(),
                ERR_RTNH_LENGTH, 32),

            Arguments.of("rtnh_len past the end of RTA_MULTIPATH",
                // rtnh_len 16, 8 bytes of nexthops
                inet().nest(RTA_MULTIPATH, n -> rtnh(n, 16, 0, 0, 2)).bytes(),
                ERR_RTNH_PAST_END, 32),

            Arguments.of("RTA_GATEWAY of 5 bytes inside a nexthop",
                inet().nest(RTA_MULTIPATH, n -> rtnh(n, 20, 0, 0, 2).attr(RTA_GATEWAY, 10, 88, 0, 2, 7)).bytes(),
                ERR_ADDRESS_LENGTH, 40),

            Arguments.of("attribute past the end of its rtnexthop, not of the message",
                // rtnh_len 16: 8 bytes of attributes; RTA_GATEWAY's nla_len 12 runs 4 bytes past them, into RTA_OIF
                inet().nest(RTA_MULTIPATH, n -> rtnh(n, 16, 0, 0, 2).attrHeader(12, RTA_GATEWAY).raw(10, 88, 0, 2))
                    .attrU32(RTA_OIF, 2).bytes(),
                ERR_LENGTH_PAST_END, 40),

            Arguments.of("good RTA_DST, then a bad RTA_PRIORITY: no half object",
                inet().attr(RTA_DST, 192, 0, 2, 0).attrU16(RTA_PRIORITY, 100).bytes(), // a u32 needs nla_len 8
                ERR_NOT_U32, 36),

            Arguments.of("ok: RTM_DELROUTE, rtmsg and no attributes",
                rtmsg(RTM_DELROUTE, AF_INET, 0, RTPROT_BOOT).bytes(),
                OK, -1),

            Arguments.of("ok: unknown attribute skipped, last attribute unpadded",
                // type 0x3fff: unknown, any size; then RTA_PREF ends the message without padding
                inet6(48).attr(0x3fff, 1, 2, 3).attrHeader(5, RTA_PREF).u8(ICMPV6_ROUTER_PREF_HIGH).bytes(),
                OK, -1),

            Arguments.of("ok: MPLS route, label as RTA_DST, RTA_VIA inet", MPLS_ROUTE, OK, -1),

            Arguments.of("ok: a nexthop without attributes, then one with a gateway", UNEVEN_MULTIPATH, OK, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void routeDecoder(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        for (final ByteBuffer buf : buffers(bytes))
        {
            final RouteDecoder route = new RouteDecoder();
            assertEquals(error == null, route.wrap(buf, 0, bytes.length), name);
            assertEquals(error, route.error());
            assertEquals(errorOffset, route.errorOffset());
            if (error != null)
            {
                assertNull(route.dst());
                assertNull(route.dstCidr());
                assertEquals(-1, route.priority());
                assertEquals(0, route.nexthopCount());
            }
        }
    }

    @Test
    void okMessagesDecodeToTheirValues()
    {
        final RouteDecoder route = new RouteDecoder();
        assertTrue(route.wrap(ByteBuffer.wrap(MPLS_ROUTE).order(ByteOrder.nativeOrder()), 0, MPLS_ROUTE.length));
        assertEquals(Rtnetlink.AF_MPLS, route.family());
        assertEquals("00:06:41:00", route.dst(), "a label entry, not an IPv4 address");
        assertEquals("10.88.0.2", route.via());
        assertEquals(2, route.oif());

        assertTrue(route.wrap(ByteBuffer.wrap(UNEVEN_MULTIPATH).order(ByteOrder.nativeOrder()), 0,
            UNEVEN_MULTIPATH.length));
        assertEquals(2, route.nexthopCount());
        assertNull(route.nexthopGateway(0));
        assertEquals(3, route.nexthopIfindex(0));
        assertEquals(1, route.nexthopWeight(0));
        assertEquals("10.88.0.3", route.nexthopGateway(1));
        assertEquals(2, route.nexthopIfindex(1));
        assertEquals(3, route.nexthopWeight(1));
        assertFalse(route.hasGateway());
    }
}
