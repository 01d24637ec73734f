package io.nlstream.monitor.testing;

import io.nlstream.netlink.testing.Await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test (named nlst-*, so bin/test can sweep any a killed run left) and
 * deleted on close, whatever happened in the test.
 */
public final class Netns implements AutoCloseable
{
    private final String name;
    private boolean closed;

    private Netns(final String name)
    {
        this.name = name;
    }

    public static Netns create(final String purpose)
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(canMakeNamespaces(), "skipped: making a network namespace needs root"
            + " (CAP_SYS_ADMIN and CAP_NET_ADMIN), which this test process lacks; bin/test runs the suite as root");
        final String name = "nlst-" + purpose + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        run("ip", "netns", "add", name);
        final Netns ns = new Netns(name);
        try
        {
            ns.exec("ip", "link", "set", "lo", "up");
        }
        catch (final RuntimeException e)
        {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Whether this process holds CAP_SYS_ADMIN (21) and CAP_NET_ADMIN (12) in its effective set, as {@code ip netns add} needs. */
    public static boolean canMakeNamespaces()
    {
        try
        {
            for (final String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")))
            {
                if (line.startsWith("CapEff:"))
                {
                    final long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return (caps & (1L << 21)) != 0 && (caps & (1L << 12)) != 0;
                }
            }
        }
        catch (final IOException e)
        {
            return false;
        }
        return false;
    }

    public String name()
    {
        return name;
    }

    /** Runs {@code ip -n NAME args...}; fails the test with ip's stderr on a non-zero exit. */
    public String ip(final String... args)
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(Arrays.asList(args));
        return run(cmd.toArray(new String[0]));
    }

    /**
     * Waits until no IPv6 address is under duplicate address detection (at most 15 s). Such an address (a link-local
     * one for a second or two after its link came up) is listed by {@code ip addr} as tentative but announced only
     * once detection ends, so a listing taken before then holds an address no monitor has been told of yet.
     */
    public void awaitNoTentativeAddresses() throws InterruptedException
    {
        final String[] tentative = {""};
        Await.until("no address in " + name + " to be tentative", Duration.ofSeconds(15), () ->
        {
            tentative[0] = ip("-6", "-j", "addr", "show", "tentative").trim();
            return tentative[0].equals("[]") || tentative[0].isEmpty();
        }, () -> tentative[0]);
    }

    /** Runs a command inside the namespace. */
    public String exec(final String... args)
    {
        return run(prefix(args));
    }

    /** Runs a command inside the namespace with {@code input} on its standard input. */
    public String execWithInput(final String input, final String... args)
    {
        return runWithInput(input, prefix(args));
    }

    /** The command line that runs {@code args} inside the namespace. */
    public String[] prefix(final String... args)
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(Arrays.asList(args));
        return cmd.toArray(new String[0]);
    }

    public static String run(final String... cmd)
    {
        return runWithInput(null, cmd);
    }

    private static String runWithInput(final String input, final String... cmd)
    {
        try
        {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            if (input != null)
            {
                p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            final byte[] out = p.getInputStream().readAllBytes();
            final byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0)
            {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + ": "
                    + new String(err, StandardCharsets.UTF_8).trim());
            }
            return new String(out, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e, e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return; // closed by the test itself (a namespace that ends mid-test), then by its try-with-resources
        }
        closed = true;
        try
        {
            run("ip", "netns", "del", name);
        }
        catch (final RuntimeException e)
        {
            System.err.println("could not delete test namespace " + name + ": " + e.getMessage());
        }
    }
}
