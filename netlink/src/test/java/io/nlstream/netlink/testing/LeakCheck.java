package io.nlstream.netlink.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fails a test class that leaves behind what it made (as Chronicle Queue's {@code QueueTestCommon} does): a network
 * namespace of the tests' ({@code /run/netns/nlst-*}), a file descriptor of a kind that only code under test opens
 * (a socket, netlink ones included, but not a Unix one; an epoll, eventfd, inotify or pipe; a file in the temporary
 * directory other than a jar), or a thread. What a class left is what was open after it and not before; the check
 * waits up to {@link #GRACE_MS} for what closes asynchronously (a producer's network thread, what an object nothing
 * references releases once collected) before it fails. Threads the JVM and the libraries keep for the process's
 * life, started at first use, are left out by name.
 *
 * <p>Registered for every test class of a module through {@code META-INF/services} and JUnit's extension
 * autodetection ({@code junit-platform.properties}); {@code -Dnlstream.leakcheck=false} turns it off.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback
{
    static final long GRACE_MS = 8_000;
    private static final Path NETNS = Path.of("/run/netns");
    private static final Path FDS = Path.of("/proc/self/fd");
    /** Threads started at first use that live as long as the process (a part of their name). */
    private static final List<String> PROCESS_THREADS = List.of(
        // the JDK's
        "process reaper", "ForkJoinPool.commonPool-worker-", "Common-Cleaner", "Attach Listener", "Signal Dispatcher",
        "Cleaner-", // (a library's static java.lang.ref.Cleaner)
        "FileSystemWatcher", "Keep-Alive-", "JFR ", "RMI ", "Notification Thread", "surefire-",
        // JUnit's @Timeout watcher
        "junit-jupiter-timeout-watcher",
        // Chronicle's singletons (disk space monitor, the cleaner of its thread locals, its resource releaser)
        "disk~space~checker", "queue-thread-local-cleaner", "background~resource~releaser", "ChronicleAnalytics",
        // Jazzer's; the Prometheus client's scheduler (a static executor)
        "jazzer", "prometheus-metrics-scheduler-",
        // jnr-ffi's reference queue, started with its first native library
        "jnr.ffi.util.ref.internal.Finalizer");
    private static final String ENABLED = "nlstream.leakcheck";

    record Snapshot(Set<String> namespaces, Map<String, String> fds, Map<Long, String> threads)
    {
    }

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LeakCheck.class);

    @Override
    public void beforeAll(final ExtensionContext context)
    {
        if (enabled())
        {
            context.getStore(STORE).put("before", snapshot());
        }
    }

    @Override
    public void afterAll(final ExtensionContext context)
    {
        final Snapshot before = context.getStore(STORE).get("before", Snapshot.class);
        if (before == null)
        {
            return;
        }
        final AtomicReference<List<String>> left = new AtomicReference<>();
        final AtomicInteger polls = new AtomicInteger();
        Await.until(context.getDisplayName() + " to have closed what it made after its last test", Duration.ofMillis(GRACE_MS), () ->
        {
            if (polls.getAndIncrement() % 10 == 1)
            {
                // what nothing references any more is not a leak: a JDK 17 HttpClient (it has no close) lets its
                // selector's epoll and thread go once collected
                System.gc();
            }
            left.set(left(before, snapshot()));
            return left.get().isEmpty();
        }, () -> "still there: " + String.join("; ", left.get()));
    }

    private static boolean enabled()
    {
        return !"false".equals(System.getProperty(ENABLED));
    }

    /** What is in {@code after} and was not in {@code before}, and counts as a leak. */
    static List<String> left(final Snapshot before, final Snapshot after)
    {
        final List<String> left = new ArrayList<>();
        for (final String ns : after.namespaces)
        {
            if (!before.namespaces.contains(ns))
            {
                left.add("network namespace " + ns + " (ip netns del " + ns + ")");
            }
        }
        after.fds.forEach((fd, target) ->
        {
            if (!target.equals(before.fds.get(fd)) && leakable(target))
            {
                final String kind = socketKind(target);
                // (a Unix socket: the JVM's attach listener and its client, which an agent such as Jazzer's opens)
                if (!kind.startsWith(" (unix"))
                {
                    left.add("file descriptor " + fd + " -> " + target + kind);
                }
            }
        });
        after.threads.forEach((id, name) ->
        {
            if (!before.threads.containsKey(id) && PROCESS_THREADS.stream().noneMatch(name::contains))
            {
                left.add("thread \"" + name + "\"");
            }
        });
        return left;
    }

    /** For a socket, its family and what the kernel's tables say of it (" (netlink protocol 4)"), else "". */
    private static String socketKind(final String target)
    {
        if (!target.startsWith("socket:["))
        {
            return "";
        }
        final String inode = target.substring("socket:[".length(), target.length() - 1);
        for (final String table : List.of("netlink", "unix", "tcp", "tcp6", "udp", "udp6", "raw", "raw6", "packet"))
        {
            try
            {
                for (final String line : Files.readAllLines(Path.of("/proc/self/net", table)))
                {
                    final String[] f = line.trim().split("\\s+");
                    for (final String field : f)
                    {
                        if (field.equals(inode))
                        {
                            return " (" + table + ": " + line.trim() + ")";
                        }
                    }
                }
            }
            catch (final IOException e)
            {
                // a table this kernel does not have
            }
        }
        return "";
    }

    /** Whether a descriptor's target is one only code under test opens (not a jar, a log, the JVM's own). */
    static boolean leakable(final String target)
    {
        return target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:[eventpoll]")
            || target.startsWith("anon_inode:[eventfd]") || target.startsWith("anon_inode:inotify")
            || target.startsWith(System.getProperty("java.io.tmpdir", "/tmp") + "/") && !target.endsWith(".jar");
    }

    static Snapshot snapshot()
    {
        final Set<String> namespaces = new TreeSet<>();
        if (Files.isDirectory(NETNS))
        {
            try (DirectoryStream<Path> list = Files.newDirectoryStream(NETNS, "nlst-*"))
            {
                list.forEach(p -> namespaces.add(p.getFileName().toString()));
            }
            catch (final IOException e)
            {
                throw new AssertionError("cannot list " + NETNS + ": " + e, e);
            }
        }
        final Map<String, String> fds = new TreeMap<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(FDS))
        {
            for (final Path fd : list)
            {
                try
                {
                    fds.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                }
                catch (final IOException e)
                {
                    // closed since the listing (the listing's own descriptor among them)
                }
            }
        }
        catch (final IOException e)
        {
            throw new AssertionError("cannot list " + FDS + ": " + e, e);
        }
        final Map<Long, String> threads = new TreeMap<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.isAlive())
            {
                threads.put(t.getId(), t.getName());
            }
        }
        return new Snapshot(namespaces, fds, threads);
    }
}
