package io.nlstream.netlink.rtnl;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing (Jazzer) of the rtnetlink decoders, each against the reference parser its mutation
 * test has: on any bytes a decoder throws nothing and agrees with its reference on the verdict, the error, its
 * offset and every getter. A normal test run replays the saved inputs ({@code RtnlDecodersJazzerTestInputs/}: the
 * captured fixtures and what fuzzing kept); {@code JAZZER_FUZZ=1} fuzzes.
 */
class RtnlDecodersJazzerTest
{
    private final LinkDecoder link = new LinkDecoder();
    private final AddrDecoder addr = new AddrDecoder();
    private final RouteDecoder route = new RouteDecoder();
    private final NeighDecoder neigh = new NeighDecoder();

    private static ByteBuffer buffer(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    @FuzzTest(maxDuration = "20s")
    void linkAndAddr(final byte[] bytes)
    {
        final ByteBuffer buf = buffer(bytes);
        link.wrap(buf, 0, bytes.length);
        assertEquals(ReferenceDecoders.link(bytes, 0, bytes.length), ReferenceDecoders.linkGetters(link));
        addr.wrap(buf, 0, bytes.length);
        assertEquals(ReferenceDecoders.addr(bytes, 0, bytes.length), ReferenceDecoders.addrGetters(addr));
    }

    @FuzzTest(maxDuration = "20s")
    void route(final byte[] bytes)
    {
        final io.nlstream.netlink.ReferenceParsing.Parsed expected = RouteDecoderMutationTest.parse(bytes, bytes.length);
        final boolean ok = route.wrap(buffer(bytes), 0, bytes.length);
        assertEquals(expected.error == null, ok, "accepted");
        assertEquals(expected.error, route.error());
        assertEquals(expected.errorAt, route.errorOffset() < 0 ? -1 : route.errorOffset());
        assertEquals(expected.values, RouteDecoderMutationTest.describe(route, 0));
    }

    @FuzzTest(maxDuration = "20s")
    void neigh(final byte[] bytes)
    {
        final io.nlstream.netlink.ReferenceParsing.Parsed expected = NeighDecoderMutationTest.parse(bytes, bytes.length);
        final boolean ok = neigh.wrap(buffer(bytes), 0, bytes.length);
        assertEquals(expected.error == null, ok, "accepted");
        assertEquals(expected.error, neigh.error());
        assertEquals(expected.errorAt, neigh.errorOffset() < 0 ? -1 : neigh.errorOffset());
        assertEquals(expected.values, NeighDecoderMutationTest.describe(neigh));
    }
}
