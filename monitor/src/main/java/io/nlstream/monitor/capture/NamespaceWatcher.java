package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.ContainerIdentity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@code run --netns all}: finds the host's network namespaces and tells the capture of each source
 * ({@link NamespacesCaptureAgent}) which to watch. A namespace is found through what holds it: an nsfs mount
 * (/run/netns/NAME as {@code ip netns add} makes, a container runtime's own directory), read from
 * /proc/self/mountinfo, or a process in it (/proc/PID/ns/net); deduplicated by inode. The namespace nlstream runs
 * in is always watched. One no scan finds twice in a row has ended (nothing holds it but nlstream's own sockets):
 * its sockets close and readers end its objects.
 *
 * <p>Mounts are read when an inotify watch (the JDK's {@link WatchService}) on a directory where namespaces are
 * named ({@code /run/netns}, Docker's) tells of a change there, for that scan and the next (a name is created an
 * instant before its mount), and when the kernel marks mountinfo as changed (any mount or unmount; where it cannot
 * be polled, once in {@value #MOUNT_SCAN_EVERY} scans instead), for mounts elsewhere: the
 * kernel writes every mount's line for each read of mountinfo, which at four reads a second was most of an idle
 * host's watching. Between scans the thread sleeps on that mark: a mount (a namespace named) starts a scan at once,
 * so the interval need only be short enough for processes. Processes are looked at every scan when /proc/loadavg says
 * one was made or ended since (else once in {@value #PROCESS_LOOK_EVERY} scans), a known one's link read again once in
 * {@value #REREAD_SCANS} looks.
 */
public final class NamespaceWatcher implements Agent
{
    /** What is told of namespaces found and ended (each source's {@link NamespacesCaptureAgent}). */
    public interface Listener
    {
        /**
         * Start capturing namespace {@code inode}, opened by {@code path} (null: the one nlstream runs in), which
         * belongs to {@code container} (found once here, for every source, off the capture threads).
         */
        void watch(long inode, Path path, int rcvbuf, ContainerIdentity container);

        /** Stop capturing namespace {@code inode}; {@code ended}: it is gone. */
        void unwatch(long inode, boolean ended);
    }

    private static final Logger LOG = Logger.getLogger(NamespaceWatcher.class.getName());
    /** Scans that must miss a namespace before it counts as ended (a process between exec and exit can hide it once). */
    static final int MISSES_TO_END = 2;
    /** A known process's namespace is read again once in this many scans (each scan reads a share of them). */
    static final int REREAD_SCANS = 4;
    /** Processes are looked at once in this many scans. */
    static final int PROCESS_SCAN_EVERY = 1;
    /** The shortest time between two scans when mounts keep changing (a runtime mounting volumes). */
    static final long MIN_SCAN_GAP_NANOS = 50_000_000L;
    /** Processes are looked at once in this many process scans even when /proc/loadavg says none was made or ended. */
    static final int PROCESS_LOOK_EVERY = 8;
    /**
     * Where mountinfo cannot be polled for changes, mounts are read once in this many scans when no watched directory
     * changed (2 s at the default interval).
     */
    static final int MOUNT_SCAN_EVERY = 4;
    /** Where {@code ip netns add} and container runtimes name namespaces; watched while they exist. */
    static final List<Path> NETNS_DIRS = List.of(Path.of("/run/netns"), Path.of("/var/run/netns"), Path.of("/run/docker/netns"),
        Path.of("/var/run/docker/netns"));

    private final List<? extends Listener> captures;
    private final long intervalNanos;
    private final int hostRcvbuf;
    private final int podRcvbuf;
    private final Path proc;
    private final Set<Long> fixed;
    private final java.util.concurrent.ConcurrentLinkedQueue<Long> failed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Watched namespaces: inode to scans in a row that missed it. */
    private final Map<Long, Integer> watched = new HashMap<>();
    private long self;
    private long nextScanNanos;
    private volatile int count;
    private volatile boolean scanned;
    /** Each process's namespace as last read: pid to inode. */
    private Map<Integer, Long> pidNetns = new HashMap<>();
    private long scans;
    private long discoveries;
    private final int processScanEvery;
    private final int mountScanEvery;
    private final List<Path> netnsDirs;
    /** The inotify watch of {@link #netnsDirs}; null when the platform has none (mounts are then read at every scan). */
    private WatchService dirWatch;
    private final Map<Path, WatchKey> dirKeys = new HashMap<>();
    /** Namespaces held by processes as last looked at: inode to the first process's link (mounts' paths win over it). */
    private Map<Long, Path> processNetns = new HashMap<>();
    /** Namespaces held by mounts as last read: inode to mount point. */
    private Map<Long, Path> mountNetns = new HashMap<>();
    /** Scans that still read mounts because a watched directory changed. */
    private int mountReadsDue;
    /** The last scan missed a watched namespace once (the next must look again to end it). */
    private boolean missing;
    /** The kernel's mark on mountinfo, or null (mounts are then read every {@link #mountScanEvery} scans). */
    private volatile io.nlstream.netlink.MountChanges mountChanges;
    private long lastScanNanos;
    private final Path loadavg;
    /** {@link #tasks()} at the last look at processes. */
    private String lastTasks;
    private int processScansSkipped;
    /** Processes the last look found first: read again at the next. */
    private final Set<Integer> young = new HashSet<>();

    /**
     * @param captures   the sources' capture agents, told of each namespace
     * @param hostRcvbuf receive buffer in the namespace nlstream runs in
     * @param podRcvbuf  receive buffer in every other
     */
    public NamespaceWatcher(final List<? extends Listener> captures, final long intervalNanos, final int hostRcvbuf,
        final int podRcvbuf)
    {
        this(captures, intervalNanos, hostRcvbuf, podRcvbuf, Path.of("/proc"), PROCESS_SCAN_EVERY, MOUNT_SCAN_EVERY, NETNS_DIRS);
    }

    /** A watcher that reads mounts at every scan and watches no directory. */
    NamespaceWatcher(final List<? extends Listener> captures, final long intervalNanos, final int hostRcvbuf,
        final int podRcvbuf, final Path proc, final int processScanEvery)
    {
        this(captures, intervalNanos, hostRcvbuf, podRcvbuf, proc, processScanEvery, 1, List.of());
    }

    NamespaceWatcher(final List<? extends Listener> captures, final long intervalNanos, final int hostRcvbuf,
        final int podRcvbuf, final Path proc, final int processScanEvery, final int mountScanEvery, final List<Path> netnsDirs)
    {
        this.processScanEvery = processScanEvery;
        this.mountScanEvery = mountScanEvery;
        this.netnsDirs = netnsDirs;
        this.captures = captures;
        this.intervalNanos = intervalNanos;
        this.hostRcvbuf = hostRcvbuf;
        this.podRcvbuf = podRcvbuf;
        this.proc = proc;
        this.loadavg = proc.resolve("loadavg");
        this.fixed = new HashSet<>();
    }

    @Override
    public String roleName()
    {
        return "netns-watch";
    }

    @Override
    public void onStart()
    {
        self = NetnsIdentity.of(proc.resolve("self/ns/net"));
        fixed.add(self);
        watched.put(self, 0);
        for (final Listener c : captures)
        {
            c.watch(self, null, hostRcvbuf, ContainerIdentity.NONE);
        }
        count = 1;
        if (!netnsDirs.isEmpty())
        {
            try
            {
                dirWatch = proc.getFileSystem().newWatchService();
            }
            catch (final IOException | UnsupportedOperationException e)
            {
                LOG.warning(() -> "cannot watch " + netnsDirs + " for named namespaces (" + e + "): mounts are read at every scan");
            }
        }
        try
        {
            mountChanges = io.nlstream.netlink.MountChanges.open(proc.resolve("self/mountinfo").toString());
        }
        catch (final RuntimeException | LinkageError e)
        {
            // a /proc that cannot be polled (a test's directory of files): mounts are read on a timer
            LOG.fine(() -> "cannot poll " + proc.resolve("self/mountinfo") + " for changes (" + e + "): reading it every "
                + mountScanEvery + " scans");
        }
        LOG.info(() -> "watching every network namespace (this one is " + self + ")");
    }

    @Override
    public void onClose()
    {
        if (mountChanges != null)
        {
            mountChanges.close();
            mountChanges = null;
        }
        if (dirWatch != null)
        {
            try
            {
                dirWatch.close();
            }
            catch (final IOException e)
            {
                LOG.fine(() -> "closing the watch of " + netnsDirs + ": " + e);
            }
            dirWatch = null;
        }
    }

    @Override
    public int doWork()
    {
        long now = System.nanoTime();
        if (now < nextScanNanos)
        {
            // until the next scan or a mount (a namespace named), in one sleep (a stop wakes it): every wake is a
            // context switch, which costs a VM's idle host more than the scan does
            final io.nlstream.netlink.MountChanges mounts = mountChanges;
            if (mounts == null)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(nextScanNanos - now);
                return 0;
            }
            if (!mounts.await((int)Math.max(1, (nextScanNanos - now + 999_999) / 1_000_000)))
            {
                return 0; // the interval is over, or a stop: the next doWork decides
            }
            now = System.nanoTime();
            if (now - lastScanNanos < MIN_SCAN_GAP_NANOS)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(MIN_SCAN_GAP_NANOS - (now - lastScanNanos));
                now = System.nanoTime();
            }
        }
        nextScanNanos = now + intervalNanos;
        lastScanNanos = now;
        return scan();
    }

    /** Ends the wait for the next scan (a stop). Any thread. */
    @Override
    public void wake()
    {
        final io.nlstream.netlink.MountChanges mounts = mountChanges;
        if (mounts != null)
        {
            mounts.wake();
        }
    }

    /**
     * A source could not open namespace {@code inode} by the path it was given (any thread): the next scan forgets
     * it and finds it again, by another path (its mount, another process) if it is still there.
     */
    public void openFailed(final long inode)
    {
        failed.add(inode);
    }

    /** One scan: starts what is new, ends what is gone. Returns the changes. */
    int scan()
    {
        Long retry;
        boolean retried = false;
        while ((retry = failed.poll()) != null)
        {
            retried = true;
            if (!fixed.contains(retry))
            {
                watched.remove(retry);
            }
        }
        final Map<Long, Path> found = discover();
        if (found == null && !retried && !missing)
        {
            // nothing read anew, nothing missed last time: this scan would find what the last one did
            scanned = true;
            return 0;
        }
        final Map<Long, Path> now = found != null ? found : known();
        int changes = 0;
        for (final Map.Entry<Long, Path> e : now.entrySet())
        {
            final Integer misses = watched.put(e.getKey(), 0);
            if (misses == null)
            {
                changes++;
                final long inode = e.getKey();
                final Path path = e.getValue();
                final ContainerIdentity container = NetnsIdentity.container(proc, inode);
                LOG.info(() -> "network namespace " + inode + " found (" + path + ")"
                    + (container.isEmpty() ? "" : ", container " + container.containerId() + " pod " + container.podUid()) + ": capturing it");
                for (final Listener c : captures)
                {
                    c.watch(inode, path, podRcvbuf, container);
                }
            }
        }
        missing = false;
        for (final java.util.Iterator<Map.Entry<Long, Integer>> it = watched.entrySet().iterator(); it.hasNext();)
        {
            final Map.Entry<Long, Integer> e = it.next();
            if (now.containsKey(e.getKey()) || fixed.contains(e.getKey()))
            {
                continue;
            }
            final int misses = e.getValue() + 1;
            if (misses < MISSES_TO_END)
            {
                e.setValue(misses);
                missing = true;
                continue;
            }
            it.remove();
            changes++;
            final long inode = e.getKey();
            LOG.info(() -> "network namespace " + inode + " ended: its objects end");
            for (final Listener c : captures)
            {
                c.unwatch(inode, true);
            }
        }
        count = watched.size();
        scanned = true;
        return changes;
    }

    /**
     * Every network namespace held by a mount or a process, but this one: inode to a path that opens it; null when
     * neither the mounts nor the processes were read anew (what the last reads found still holds: {@link #known}).
     */
    Map<Long, Path> discover()
    {
        boolean read = false;
        // the mount table is read when the kernel says it changed (or a watched directory did), else on a timer
        final boolean mountsChanged = mountChanges != null && mountChanges.changed();
        if (dirsChanged() | mountsChanged || (mountChanges == null || discoveries == 0) && discoveries % mountScanEvery == 0)
        {
            mountNetns = mounts();
            read = true;
        }
        // processes every other scan (the costlier half: a directory of every process), and then only when one was
        // made or ended since (or to read the newest again, or once in a while for a setns); the namespaces they held
        // at the last look count meanwhile
        if (discoveries++ % processScanEvery == 0 && processesDue())
        {
            processes();
            read = true;
        }
        return read ? known() : null;
    }

    /** The namespaces the last reads of mounts and processes found, but this one. */
    private Map<Long, Path> known()
    {
        final Map<Long, Path> found = new HashMap<>(mountNetns);
        for (final Map.Entry<Long, Path> e : processNetns.entrySet())
        {
            found.putIfAbsent(e.getKey(), e.getValue());
        }
        found.remove(self);
        return found;
    }

    /**
     * Whether a watched directory changed since the last scan (a namespace named or deleted there), or has just
     * appeared (its watch is new: what it holds was not seen): then this scan and the next read mounts. Always true
     * without a watch.
     */
    private boolean dirsChanged()
    {
        if (dirWatch == null)
        {
            return true;
        }
        for (final Path dir : netnsDirs)
        {
            final WatchKey key = dirKeys.get(dir);
            if (key != null && key.isValid() || !Files.isDirectory(dir))
            {
                continue;
            }
            try
            {
                dirKeys.put(dir, dir.register(dirWatch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE));
                mountReadsDue = 2;
            }
            catch (final IOException e)
            {
                LOG.fine(() -> "cannot watch " + dir + ": " + e);
            }
        }
        WatchKey key;
        while ((key = dirWatch.poll()) != null)
        {
            key.pollEvents();
            key.reset();
            mountReadsDue = 2;
        }
        if (mountReadsDue > 0)
        {
            mountReadsDue--;
            return true;
        }
        return false;
    }

    /** nsfs mounts of network namespaces: /proc/self/mountinfo's root field is {@code net:[INODE]}. */
    private Map<Long, Path> mounts()
    {
        final Map<Long, Path> found = new HashMap<>();
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(proc.resolve("self/mountinfo"), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            return found;
        }
        for (final String line : lines)
        {
            if (line.indexOf(" net:[") < 0)
            {
                continue; // most lines: no need to split them
            }
            final long inode = mountedNetns(line);
            if (inode > 0)
            {
                final String[] f = line.split(" ", 6);
                found.putIfAbsent(inode, Path.of(unescape(f[4])));
            }
        }
        return found;
    }

    /**
     * The inode of the network namespace a mountinfo line mounts, or 0: {@code ID PARENT MAJ:MIN ROOT MOUNTPOINT ...
     * - nsfs ...} with ROOT {@code net:[INODE]}.
     */
    static long mountedNetns(final String line)
    {
        final String[] f = line.split(" ", 6);
        if (f.length < 6 || !f[3].startsWith("net:[") || !f[3].endsWith("]"))
        {
            return 0;
        }
        final int dash = line.indexOf(" - ");
        if (dash < 0 || !line.startsWith("nsfs ", dash + 3))
        {
            return 0;
        }
        try
        {
            return Long.parseLong(f[3], 5, f[3].length() - 1, 10);
        }
        catch (final NumberFormatException e)
        {
            return 0;
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    static String unescape(final String field)
    {
        if (field.indexOf('\\') < 0)
        {
            return field;
        }
        final StringBuilder s = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++)
        {
            final char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()
                && isOctal(field.charAt(i + 1)) && isOctal(field.charAt(i + 2)) && isOctal(field.charAt(i + 3)))
            {
                s.append((char)Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            }
            else
            {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static boolean isOctal(final char c)
    {
        return c >= '0' && c <= '7';
    }

    /**
     * Whether processes must be looked at: the kernel's count of tasks or the last pid it gave out (/proc/loadavg)
     * changed since the last look (a process or thread made or ended), processes first seen then are to be read again
     * (one found between its fork and its {@code unshare} shows in its own namespace the next time), or
     * {@value #PROCESS_LOOK_EVERY} process scans went by without a look (a {@code setns} changes neither). An idle
     * host's watching is then one small read, not a directory of every process.
     */
    private boolean processesDue()
    {
        final String tasks = tasks();
        if (tasks != null && tasks.equals(lastTasks) && young.isEmpty() && ++processScansSkipped < PROCESS_LOOK_EVERY)
        {
            return false;
        }
        lastTasks = tasks;
        processScansSkipped = 0;
        return true;
    }

    /**
     * {@code TASKS LAST_PID} from /proc/loadavg ({@code 0.20 0.18 0.12 1/80 11206}: after the slash), or null when it
     * cannot be read (processes are then looked at every time).
     */
    private String tasks()
    {
        try
        {
            final String text = Files.readString(loadavg, StandardCharsets.US_ASCII);
            final int slash = text.indexOf('/');
            return slash < 0 ? null : text.substring(slash + 1).trim();
        }
        catch (final IOException e)
        {
            return null;
        }
    }

    /**
     * Namespaces of processes, by /proc/PID/ns/net, into {@link #processNetns}; the first process found names the
     * path. A process seen before keeps the namespace it had (one system call per new process, not per process),
     * but each is read again every {@value #REREAD_SCANS} scans: one that moved (unshare, setns) is seen in its new
     * namespace by then.
     */
    private void processes()
    {
        scans++;
        final Map<Integer, Long> now = new HashMap<>(Math.max(16, pidNetns.size() * 2));
        final Set<Integer> seen = new HashSet<>();
        final Map<Long, Path> held = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> NetnsIdentity.pid(p.getFileName().toString()) > 0))
        {
            for (final Path dir : pids)
            {
                final int pid = Integer.parseInt(dir.getFileName().toString());
                final Long known = pidNetns.get(pid);
                final long inode;
                if (known != null && (pid + scans) % REREAD_SCANS != 0 && !young.contains(pid))
                {
                    inode = known;
                }
                else
                {
                    inode = NetnsIdentity.netnsOf(dir.resolve("ns/net")); // -1: gone since the listing, or not ours to read
                }
                if (known == null && inode > 0)
                {
                    seen.add(pid);
                }
                // one not ours to read (another user namespace's init) is remembered as such: read again with the others
                now.put(pid, inode);
                if (inode > 0)
                {
                    if (!held.containsKey(inode))
                    {
                        held.put(inode, dir.resolve("ns/net"));
                    }
                }
            }
        }
        catch (final IOException | NumberFormatException e)
        {
            LOG.fine(() -> "cannot list " + proc + ": " + e);
        }
        pidNetns = now;
        processNetns = held;
        young.clear();
        young.addAll(seen);
    }

    /** {@code net:[4026531840]} to its inode, or 0. */
    static long inodeOfLink(final String target)
    {
        return Math.max(0, NetnsIdentity.inodeInLink(target));
    }

    /** Namespaces watched now, this one included. */
    public int watchedCount()
    {
        return count;
    }

    /** Whether the first scan is done (readiness: every namespace there at start is known). */
    public boolean scanned()
    {
        return scanned;
    }
}
