package io.nlstream.netlink.internal;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Loads the native libraries once. A missing libmnl is the one install step an operator can get wrong,
 * so the error says which package provides it.
 */
public final class Native
{
    private static volatile Native instance;

    public final LibMnl mnl;
    public final LibC libc;
    public final Runtime runtime;

    private Native(final LibMnl mnl, final LibC libc)
    {
        this.mnl = mnl;
        this.libc = libc;
        this.runtime = Runtime.getRuntime(mnl);
    }

    public static Native get()
    {
        Native n = instance;
        if (n == null)
        {
            synchronized (Native.class)
            {
                n = instance;
                if (n == null)
                {
                    final LibMnl mnl;
                    try
                    {
                        mnl = LibraryLoader.create(LibMnl.class).failImmediately().load("mnl");
                    }
                    catch (final LinkageError | RuntimeException e)
                    {
                        throw new IllegalStateException(
                            "cannot load libmnl (libmnl.so.0): install the Debian package libmnl0 (" + e.getMessage() + ")", e);
                    }
                    final LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
                    n = new Native(mnl, libc);
                    instance = n;
                }
            }
        }
        return n;
    }
}
