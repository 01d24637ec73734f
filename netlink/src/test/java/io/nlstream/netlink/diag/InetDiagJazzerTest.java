package io.nlstream.netlink.diag;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link InetDiagDecoder} against the reference parser of
 * {@link InetDiagDecoderMutationTest}: nothing thrown on any bytes, the same verdict, error, offset and values.
 * A normal test run replays the saved inputs; {@code JAZZER_FUZZ=1} fuzzes.
 */
class InetDiagJazzerTest
{
    private final InetDiagDecoder diag = new InetDiagDecoder();

    @FuzzTest(maxDuration = "20s")
    void agreesWithTheReference(final byte[] bytes)
    {
        final io.nlstream.netlink.ReferenceParsing.Parsed expected = InetDiagDecoderMutationTest.parse(bytes, bytes.length);
        final boolean ok = diag.wrap(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0, bytes.length);
        assertEquals(expected.error == null, ok, "accepted");
        assertEquals(expected.error, diag.error());
        assertEquals(expected.errorAt, diag.errorOffset() < 0 ? -1 : diag.errorOffset());
        assertEquals(expected.values, InetDiagDecoderMutationTest.describe(diag));
    }
}
