package io.nlstream.netlink.diag;

import io.nlstream.netlink.MessageBuilder;
import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.FixtureMessages.buffers;
import static io.nlstream.netlink.MessageBuilder.message;
import static io.nlstream.netlink.Netlink.NLA_F_NESTED;
import static io.nlstream.netlink.Netlink.NLM_F_MULTI;
import static io.nlstream.netlink.diag.InetDiag.*;
import static io.nlstream.netlink.diag.InetDiagDecoder.*;
import static io.nlstream.netlink.diag.SockDiag.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SOCK_DIAG_BY_FAMILY messages built a field at a time ({@link MessageBuilder}: lengths and padding counted, in
 * host order), each with the outcome InetDiagDecoder must give. struct inet_diag_msg ends at 88, where the
 * attributes start.
 */
class MalformedInetDiagMessagesTest
{
    private static final String OK = null;

    /** A dump reply's header (NLM_F_MULTI, seq 1), then struct inet_diag_msg's family, state, timer, retrans. */
    private static MessageBuilder reply(final int type, final int family, final int state)
    {
        return message(type).flags(NLM_F_MULTI).seq(1).u8(family).u8(state).u8(0).u8(0);
    }

    /**
     * struct inet_diag_msg of an established TCP connection 10.88.0.1:8080 -> 10.88.0.2:50000: the
     * inet_diag_sockid (sport, dport, src, dst, if, cookie 1:42), then expires 10000 ms, rqueue 200, wqueue,
     * uid 1000, inode 12345.
     */
    private static MessageBuilder inetDiagMsg(final int type, final int family)
    {
        return reply(type, family, TCP_ESTABLISHED)
            .be16(8080).be16(50000)
            .raw(10, 88, 0, 1).zeros(12)
            .raw(10, 88, 0, 2).zeros(12)
            .u32(0).u32(42).u32(1)
            .u32(10000).u32(200).u32(0).u32(1000).u32(12345);
    }

    private static MessageBuilder established()
    {
        return inetDiagMsg(SOCK_DIAG_BY_FAMILY, AF_INET);
    }

    private static final byte[] WITH_SHORT_INFO = established()
        .attrU8(INET_DIAG_PROTOCOL, IPPROTO_TCP)
        .attr(INET_DIAG_INFO, TCP_ESTABLISHED, 0, 2, 0, 0) // a tcp_info of 5 bytes: state, ca_state, retransmits, probes, backoff
        .attr(51, 0xff, 0xff, 0xff, 0xff)                   // unknown, skipped
        .bytes();

    static Stream<Arguments> messages()
    {
        return Stream.of(
            Arguments.of("nlmsg_len past the buffer", established().nlmsgLen(96).bytes(),
                NetlinkFraming.LENGTH_PAST_END, 0),

            Arguments.of("SOCK_DESTROY is not a reply", inetDiagMsg(SOCK_DESTROY, AF_INET).bytes(),
                ERR_NOT_SOCK_DIAG, 0),

            Arguments.of("short inet_diag_msg",
                // room for 24 of inet_diag_msg's 72 bytes: sport, dport, src; the rest missing
                reply(SOCK_DIAG_BY_FAMILY, AF_INET, TCP_LISTEN).be16(8080).be16(0).raw(10, 88, 0, 1).zeros(12).bytes(),
                ERR_SHORT_INET_DIAG_MSG, 16),

            Arguments.of("AF_UNIX reply: a unix_diag_msg, not inet", inetDiagMsg(SOCK_DIAG_BY_FAMILY, 1).bytes(), // AF_UNIX
                ERR_NOT_INET, 16),

            Arguments.of("INET_DIAG_CONG without NUL",
                established().attr(INET_DIAG_CONG, 'b', 'b', 'r').bytes(), // no NUL inside nla_len (the 0 after it is padding)
                ERR_NOT_NUL_STRING, 88),

            Arguments.of("INET_DIAG_SHUTDOWN of 4 bytes",
                established().attrU32(INET_DIAG_SHUTDOWN, 0).bytes(), // a u8 has nla_len 5
                ERR_NOT_U8, 88),

            Arguments.of("INET_DIAG_MARK of 2 bytes",
                established().attrU16(INET_DIAG_MARK, 1).bytes(), // a u32 needs nla_len 8
                ERR_NOT_U32, 88),

            Arguments.of("INET_DIAG_CGROUP_ID of 4 bytes",
                established().attrU32(INET_DIAG_CGROUP_ID, 1).bytes(), // a u64 needs nla_len 12
                ERR_NOT_U64, 88),

            Arguments.of("INET_DIAG_MEMINFO of 12 bytes",
                // struct inet_diag_meminfo is 16: idiag_rmem, idiag_wmem, idiag_fmem; idiag_tmem missing
                established().attr(INET_DIAG_MEMINFO, new byte[12]).bytes(),
                ERR_MEMINFO_LENGTH, 88),

            Arguments.of("INET_DIAG_SOCKOPT of 4 bytes",
                established().attrU32(INET_DIAG_SOCKOPT, 0).bytes(), // struct inet_diag_sockopt is 2
                ERR_SOCKOPT_LENGTH, 88),

            Arguments.of("INET_DIAG_ULP_INFO of 2 bytes",
                // nested, and no room for an attribute header inside
                established().attr(INET_DIAG_ULP_INFO | NLA_F_NESTED, 1, 0).bytes(),
                ERR_NOT_NESTED, 88),

            Arguments.of("attribute past the end of the message",
                // nla_len 12, INET_DIAG_INFO: 8 bytes left in the message
                established().attrHeader(12, INET_DIAG_INFO).raw(1, 0, 0, 0).bytes(),
                ERR_LENGTH_PAST_END, 88),

            Arguments.of("good INET_DIAG_SHUTDOWN, then nla_len 2: no half object",
                // the second attribute's nla_len 2 is shorter than its own header
                established().attrU8(INET_DIAG_SHUTDOWN, 0).attrHeader(2, INET_DIAG_CONG).bytes(),
                ERR_SHORT_ATTRIBUTE, 96),

            Arguments.of("ok: inet_diag_msg and no attributes", established().bytes(), OK, -1),

            Arguments.of("ok: a 5-byte tcp_info, an unknown attribute", WITH_SHORT_INFO, OK, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void inetDiagDecoder(final String name, final byte[] bytes, final String error, final int errorOffset)
    {
        for (final ByteBuffer buf : buffers(bytes))
        {
            final InetDiagDecoder diag = new InetDiagDecoder();
            assertEquals(error == null, diag.wrap(buf, 0, bytes.length), name);
            assertEquals(error, diag.error());
            assertEquals(errorOffset, diag.errorOffset());
            if (error != null)
            {
                assertNull(diag.src());
                assertEquals(0, diag.sport());
                assertEquals(-1, diag.shutdown());
                assertEquals(-1, diag.tcpiState());
            }
        }
    }

    @Test
    void okMessagesDecodeToTheirValues()
    {
        final byte[] plain = established().bytes();
        final InetDiagDecoder diag = new InetDiagDecoder();
        assertTrue(diag.wrap(ByteBuffer.wrap(plain), 0, plain.length), "a big-endian buffer reads the same");
        assertEquals("10.88.0.1", diag.src());
        assertEquals(8080, diag.sport());
        assertEquals("10.88.0.2", diag.dst());
        assertEquals(50000, diag.dport());
        assertEquals(0x1_0000_002aL, diag.cookie());
        assertEquals(200, diag.rqueue());
        assertEquals(1000, diag.uid());
        assertEquals(12345, diag.inode());
        assertEquals(-1, diag.protocol());
        assertEquals(-1, diag.tcpiState());

        assertTrue(diag.wrap(ByteBuffer.wrap(WITH_SHORT_INFO).order(ByteOrder.nativeOrder()), 0, WITH_SHORT_INFO.length));
        assertEquals(InetDiag.IPPROTO_TCP, diag.protocol());
        assertEquals(5, diag.tcpInfoLength());
        assertEquals(InetDiag.TCP_ESTABLISHED, diag.tcpiState());
        assertEquals(2, diag.tcpiRetransmits());
        assertEquals(-1, diag.tcpiRto(), "bytes 8..11, past a 5-byte tcp_info");
        assertEquals(-1, diag.tcpiRtt());
    }
}
