package io.nlstream.netlink;

import io.nlstream.netlink.internal.LibC;
import io.nlstream.netlink.internal.Native;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Wall-clock time in nanoseconds since the epoch from clock_gettime(CLOCK_REALTIME), without allocation
 * (Instant.now() allocates). One instance per thread.
 */
public final class RealtimeClock
{
    private final Native nat = Native.get();
    private final ByteBuffer timespec = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final Pointer pointer = Pointer.wrap(nat.runtime, timespec);

    public long nanos()
    {
        nat.libc.clock_gettime(LibC.CLOCK_REALTIME, pointer);
        return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
    }
}
