package io.nlstream.netlink.conntrack;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link CtDecoder} against the reference parser of {@link CtDecoderFuzzTest}:
 * on any bytes the decoder throws nothing, and it agrees with the reference on the verdict, the error and its
 * offset, and every getter's value. In a normal test run it replays its saved inputs (the captured messages and
 * what fuzzing found, {@code src/test/resources/.../CtDecoderJazzerTestInputs/}); {@code JAZZER_FUZZ=1} fuzzes
 * (bin/test does for a short while; bench/README.md has the long run).
 */
class CtDecoderJazzerTest
{
    private final CtDecoder ct = new CtDecoder();

    @FuzzTest(maxDuration = "20s")
    void agreesWithTheReference(final byte[] bytes)
    {
        final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        final CtDecoderFuzzTest.Reference ref = CtDecoderFuzzTest.Reference.parse(bytes);
        final boolean ok = ct.wrap(buf, 0, bytes.length);
        assertEquals(ref.error == null, ok, () -> "verdict; reference " + ref.error + ", decoder " + ct.error());
        if (ok)
        {
            assertEquals(ref.values(), CtDecoderFuzzTest.fast(ct, buf));
        }
        else
        {
            assertEquals(ref.error, ct.error());
            assertEquals(ref.errorOffset, ct.errorOffset());
        }
    }
}
