package io.nlstream.netlink.diag;

import io.nlstream.netlink.NetlinkFraming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;

import static io.nlstream.netlink.AttributeIterator.*;
import static io.nlstream.netlink.FixtureMessages.b;
import static io.nlstream.netlink.FixtureMessages.buffers;
import static io.nlstream.netlink.diag.InetDiagDecoder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-written SOCK_DIAG_BY_FAMILY messages, each with the outcome InetDiagDecoder must give. Bytes
 * are little-endian. The 72 bytes of struct inet_diag_msg are written out once, {@link #MSG_V4};
 * each case is its header, that body (or a variant) and its attributes, which start at 88.
 */
class MalformedInetDiagMessagesTest
{
    private static final String OK = null;

    /** struct inet_diag_msg of an established IPv4 TCP connection. */
    private static final byte[] MSG_V4 = b(
        0x02,                   // idiag_family: AF_INET
        0x01,                   // idiag_state: TCP_ESTABLISHED
        0x00,                   // idiag_timer
        0x00,                   // idiag_retrans
        0x1f, 0x90,             // idiag_sport: 8080, big-endian
        0xc3, 0x50,             // idiag_dport: 50000
        0x0a, 0x58, 0x00, 0x01, // idiag_src[0]: 10.88.0.1
        0x00, 0x00, 0x00, 0x00, // idiag_src[1..3]: unused for AF_INET
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x0a, 0x58, 0x00, 0x02, // idiag_dst[0]: 10.88.0.2
        0x00, 0x00, 0x00, 0x00, // idiag_dst[1..3]
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, // idiag_if
        0x2a, 0x00, 0x00, 0x00, // idiag_cookie[0]: 42
        0x01, 0x00, 0x00, 0x00, // idiag_cookie[1]: 1
        0x10, 0x27, 0x00, 0x00, // idiag_expires: 10000 ms
        0xc8, 0x00, 0x00, 0x00, // idiag_rqueue: 200
        0x00, 0x00, 0x00, 0x00, // idiag_wqueue
        0xe8, 0x03, 0x00, 0x00, // idiag_uid: 1000
        0x39, 0x30, 0x00, 0x00);// idiag_inode: 12345

    private static byte[] join(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] header(final int nlmsgLen, final int type)
    {
        return b(
            nlmsgLen, 0x00, 0x00, 0x00, // nlmsg_len
            type, 0x00,                 // nlmsg_type
            0x02, 0x00,                 // nlmsg_flags: NLM_F_MULTI
            0x01, 0x00, 0x00, 0x00,     // nlmsg_seq
            0x00, 0x00, 0x00, 0x00);    // nlmsg_pid
    }

    private static byte[] family(final int family)
    {
        final byte[] body = MSG_V4.clone();
        body[0] = (byte)family;
        return body;
    }

    private static final byte[] WITH_SHORT_INFO = join(header(0x74, 20), MSG_V4, b(
        0x05, 0x00, 0x0a, 0x00, // nla_len 5, INET_DIAG_PROTOCOL
        0x06, 0x00, 0x00, 0x00, //   IPPROTO_TCP, padding
        0x09, 0x00, 0x02, 0x00, // nla_len 9, INET_DIAG_INFO: a tcp_info of 5 bytes
        0x01, 0x00, 0x02, 0x00, //   tcpi_state ESTABLISHED, ca_state, retransmits 2, probes
        0x00, 0x00, 0x00, 0x00, //   tcpi_backoff, padding
        0x08, 0x00, 0x33, 0x00, // nla_len 8, type 51: unknown, skipped
        0xff, 0xff, 0xff, 0xff));

    static Stream<Arguments> messages()
    {
        return Stream.of(
            Arguments.of("nlmsg_len past the buffer", join(header(0x60, 20), MSG_V4),
                NetlinkFraming.LENGTH_PAST_END, 0),

            Arguments.of("SOCK_DESTROY is not a reply", join(header(0x58, 21), MSG_V4),
                ERR_NOT_SOCK_DIAG, 0),

            Arguments.of("short inet_diag_msg", b(
                0x28, 0x00, 0x00, 0x00, // nlmsg_len: 40, room for 24 of inet_diag_msg's 72 bytes
                0x14, 0x00,             // nlmsg_type: SOCK_DIAG_BY_FAMILY
                0x02, 0x00,             // nlmsg_flags: NLM_F_MULTI
                0x01, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x02,                   // idiag_family: AF_INET
                0x0a,                   // idiag_state: TCP_LISTEN
                0x00,                   // idiag_timer
                0x00,                   // idiag_retrans
                0x1f, 0x90,             // idiag_sport: 8080
                0x00, 0x00,             // idiag_dport
                0x0a, 0x58, 0x00, 0x01, // idiag_src[0]
                0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00),// idiag_src[3]; the rest missing
                ERR_SHORT_INET_DIAG_MSG, 16),

            Arguments.of("AF_UNIX reply: a unix_diag_msg, not inet", join(header(0x58, 20), family(1)),
                ERR_NOT_INET, 16),

            Arguments.of("INET_DIAG_CONG without NUL", join(header(0x60, 20), MSG_V4, b(
                0x07, 0x00, 0x04, 0x00, // nla_len 7, INET_DIAG_CONG
                0x62, 0x62, 0x72, 0x00)),//  "bbr", no NUL inside nla_len (the 0 is padding)
                ERR_NOT_NUL_STRING, 88),

            Arguments.of("INET_DIAG_SHUTDOWN of 4 bytes", join(header(0x60, 20), MSG_V4, b(
                0x08, 0x00, 0x08, 0x00, // nla_len 8, INET_DIAG_SHUTDOWN: a u8 has nla_len 5
                0x00, 0x00, 0x00, 0x00)),
                ERR_NOT_U8, 88),

            Arguments.of("INET_DIAG_MARK of 2 bytes", join(header(0x60, 20), MSG_V4, b(
                0x06, 0x00, 0x0f, 0x00, // nla_len 6, INET_DIAG_MARK: a u32 needs 8
                0x01, 0x00, 0x00, 0x00)),
                ERR_NOT_U32, 88),

            Arguments.of("INET_DIAG_CGROUP_ID of 4 bytes", join(header(0x60, 20), MSG_V4, b(
                0x08, 0x00, 0x15, 0x00, // nla_len 8, INET_DIAG_CGROUP_ID: a u64 needs 12
                0x01, 0x00, 0x00, 0x00)),
                ERR_NOT_U64, 88),

            Arguments.of("INET_DIAG_MEMINFO of 12 bytes", join(header(0x68, 20), MSG_V4, b(
                0x10, 0x00, 0x01, 0x00, // nla_len 16, INET_DIAG_MEMINFO: struct inet_diag_meminfo is 16
                0x00, 0x00, 0x00, 0x00, //   idiag_rmem
                0x00, 0x00, 0x00, 0x00, //   idiag_wmem
                0x00, 0x00, 0x00, 0x00)),// idiag_fmem; idiag_tmem missing
                ERR_MEMINFO_LENGTH, 88),

            Arguments.of("INET_DIAG_SOCKOPT of 4 bytes", join(header(0x60, 20), MSG_V4, b(
                0x08, 0x00, 0x16, 0x00, // nla_len 8, INET_DIAG_SOCKOPT: struct inet_diag_sockopt is 2
                0x00, 0x00, 0x00, 0x00)),
                ERR_SOCKOPT_LENGTH, 88),

            Arguments.of("INET_DIAG_ULP_INFO of 2 bytes", join(header(0x60, 20), MSG_V4, b(
                0x06, 0x00, 0x13, 0x80, // nla_len 6, INET_DIAG_ULP_INFO | NLA_F_NESTED: no room for a header
                0x01, 0x00, 0x00, 0x00)),
                ERR_NOT_NESTED, 88),

            Arguments.of("attribute past the end of the message", join(header(0x60, 20), MSG_V4, b(
                0x0c, 0x00, 0x02, 0x00, // nla_len 12, INET_DIAG_INFO: 8 bytes left in the message
                0x01, 0x00, 0x00, 0x00)),
                ERR_LENGTH_PAST_END, 88),

            Arguments.of("good INET_DIAG_SHUTDOWN, then nla_len 2: no half object", join(header(0x64, 20), MSG_V4, b(
                0x05, 0x00, 0x08, 0x00, // nla_len 5, INET_DIAG_SHUTDOWN
                0x00, 0x00, 0x00, 0x00, //   0, padding
                0x02, 0x00, 0x04, 0x00)),// nla_len 2: shorter than its own header
                ERR_SHORT_ATTRIBUTE, 96),

            Arguments.of("ok: inet_diag_msg and no attributes", join(header(0x58, 20), MSG_V4), OK, -1),

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
        final byte[] plain = join(header(0x58, 20), MSG_V4);
        final InetDiagDecoder diag = new InetDiagDecoder();
        assertTrue(diag.wrap(ByteBuffer.wrap(plain), 0, plain.length), "a big-endian buffer reads the same");
        assertEquals("10.88.0.1", diag.src());
        assertEquals(8080, diag.sport());
        assertEquals("10.88.0.2", diag.dst());
        assertEquals(50000, diag.dport());
        assertEquals(0x1_0000_002aL, diag.cookie());
        assertEquals(10000, diag.expires());
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
