package io.nlstream.netlink;

import io.nlstream.netlink.rtnl.Rtnetlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.nlstream.netlink.NetlinkFraming.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NetlinkFramingTest
{
    static Stream<Arguments> headers()
    {
        return Stream.of(
            Arguments.of("empty buffer", new byte[0], ERR_SHORT_HEADER),
            Arguments.of("truncated header", new byte[] {
                0x10, 0x00, 0x00, 0x00, // nlmsg_len: 16
                0x10, 0x00,             // nlmsg_type: RTM_NEWLINK
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00,       // nlmsg_pid: one byte short of a header
            }, ERR_SHORT_HEADER),
            Arguments.of("nlmsg_len 0", new byte[] {
                0x00, 0x00, 0x00, 0x00, // nlmsg_len: 0, would loop forever
                0x10, 0x00,             // nlmsg_type
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
            }, ERR_LENGTH_TOO_SMALL),
            Arguments.of("nlmsg_len < 16", new byte[] {
                0x0c, 0x00, 0x00, 0x00, // nlmsg_len: 12, shorter than a header
                0x10, 0x00,             // nlmsg_type
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
            }, ERR_LENGTH_TOO_SMALL),
            Arguments.of("nlmsg_len past the buffer", new byte[] {
                0x14, 0x00, 0x00, 0x00, // nlmsg_len: 20, only 16 bytes follow
                0x10, 0x00,             // nlmsg_type
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
            }, ERR_LENGTH_PAST_END),
            Arguments.of("nlmsg_len with the top bit set", new byte[] {
                0x10, 0x00, 0x00, (byte)0x80, // nlmsg_len: 0x80000010, huge as a u32, not negative
                0x10, 0x00,                   // nlmsg_type
                0x00, 0x00,                   // nlmsg_flags
                0x00, 0x00, 0x00, 0x00,       // nlmsg_seq
                0x00, 0x00, 0x00, 0x00,       // nlmsg_pid
            }, ERR_LENGTH_PAST_END),
            Arguments.of("header only", new byte[] {
                0x10, 0x00, 0x00, 0x00, // nlmsg_len: 16
                0x03, 0x00,             // nlmsg_type: NLMSG_DONE
                0x02, 0x00,             // nlmsg_flags: NLM_F_MULTI
                0x01, 0x00, 0x00, 0x00, // nlmsg_seq: 1
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid: 0, the kernel
            }, 16),
            Arguments.of("unpadded length shorter than the buffer", new byte[] {
                0x11, 0x00, 0x00, 0x00, // nlmsg_len: 17
                0x10, 0x00,             // nlmsg_type
                0x00, 0x00,             // nlmsg_flags
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid
                0x07, 0x00, 0x00, 0x00, // one payload byte and padding
            }, 17));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void checksTheHeaderLikeMnlNlmsgOk(final String name, final byte[] bytes, final int expected)
    {
        final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertEquals(expected, check(buf, 0, bytes.length), describe(expected));
    }

    @Test
    void neverTrustsRemainingBeyondTheLimit()
    {
        final ByteBuffer buf = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        buf.putInt(0, 32);
        buf.limit(20);
        assertEquals(ERR_LENGTH_PAST_END, check(buf, 0, 32));
        assertEquals(ERR_SHORT_HEADER, check(buf, 8, 32));
        assertEquals(ERR_SHORT_HEADER, check(buf, 40, 32));
        assertEquals(ERR_SHORT_HEADER, check(buf, -1, 32));
    }

    @Test
    void describesEveryCode()
    {
        assertEquals(SHORT_HEADER, describe(ERR_SHORT_HEADER));
        assertEquals(LENGTH_TOO_SMALL, describe(ERR_LENGTH_TOO_SMALL));
        assertEquals(LENGTH_PAST_END, describe(ERR_LENGTH_PAST_END));
        assertEquals("ok", describe(16));
    }

    @Test
    void readsHeaderFieldsInHostOrderWhateverTheBufferOrder()
    {
        final byte[] bytes = {
            0x20, 0x00, 0x00, 0x00,             // nlmsg_len: 32
            0x14, 0x00,                         // nlmsg_type: RTM_NEWADDR
            0x02, 0x03,                         // nlmsg_flags: NLM_F_MULTI | NLM_F_DUMP
            0x78, 0x56, 0x34, 0x12,             // nlmsg_seq
            (byte)0xfe, (byte)0xff, (byte)0xff, (byte)0xff, // nlmsg_pid: -2
        };
        for (final ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN})
        {
            final ByteBuffer buf = ByteBuffer.wrap(bytes).order(order);
            assertEquals(32, length(buf, 0));
            assertEquals(Rtnetlink.RTM_NEWADDR, type(buf, 0));
            assertEquals(0x302, flags(buf, 0));
            assertEquals(0x12345678, seq(buf, 0));
            assertEquals(-2, pid(buf, 0));
            assertEquals(order, buf.order());
            assertEquals(0, buf.position());
        }
    }

    @Test
    void nextOffsetPadsButStopsAtTheEnd()
    {
        assertEquals(20, nextOffset(0, 17, 100));
        assertEquals(18, nextOffset(0, 17, 18));
        assertEquals(116, nextOffset(100, 16, 200));
        assertEquals(Integer.MAX_VALUE, nextOffset(16, Integer.MAX_VALUE - 16, Integer.MAX_VALUE));
    }

    @Test
    void walksACapturedDumpStream()
    {
        final ByteBuffer buf = Fixtures.buffer("getlink-dump.hex");
        final List<Integer> types = new ArrayList<>();
        int off = 0;
        while (off < buf.limit())
        {
            final int len = check(buf, off, buf.limit() - off);
            assertEquals(true, len > 0, () -> "framing: " + describe(len));
            types.add(type(buf, off));
            // a dump reply carries the requester's port id, not the kernel's 0
            assertEquals(pid(buf, 0), pid(buf, off));
            assertEquals(1, seq(buf, off), "seq of capture.py's request");
            off = nextOffset(off, len, buf.limit());
        }
        // lo, br0, veth1, veth0, veth3, veth2, then NLMSG_DONE
        assertEquals(7, types.size(), types::toString);
        for (int i = 0; i < 6; i++)
        {
            assertEquals(Rtnetlink.RTM_NEWLINK, types.get(i));
        }
        assertEquals(Netlink.NLMSG_DONE, types.get(6));
    }
}
