package io.nlstream.bench.ab;

import io.nlstream.bench.Fixtures;

import java.nio.ByteBuffer;

/**
 * One operation of a JMH decoder benchmark, for {@link Interleaved}: {@link #once} wraps the fixture and reads the
 * benchmark's getters, {@link #run} repeats it. Each build's class loader defines one subclass, so the call is
 * monomorphic there and inlined as the benchmark's would be.
 */
public abstract class Work
{
    protected final ByteBuffer buf;
    protected final int length;

    protected Work(final String fixture)
    {
        buf = Fixtures.direct(fixture);
        length = buf.capacity();
    }

    /** @return the getters' values summed, so that none is dead code */
    public final long run(final int n)
    {
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += once();
        }
        return sum;
    }

    /** Wraps the fixture (throwing when it does not decode) and sums the getters the benchmark reads. */
    protected abstract long once();

    protected static IllegalStateException refused(final String fixture, final String error)
    {
        return new IllegalStateException("fixture=" + fixture + " does not decode: " + error);
    }
}
