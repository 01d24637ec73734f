package io.nlstream.monitor.journal;

import io.nlstream.netlink.DirectoryLock;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Chronicle Queue journal: the source of truth. One process writes ({@link #openForWriting}); any
 * number read, also while it is being written ({@link #openForReading}).
 */
public final class Journal implements AutoCloseable
{
    public static final String LOCK_FILE = "nlstream.lock";
    private static final long READ_HEADER_TIMEOUT_MS = 1_000;
    /**
     * The same wait in a journal holding an old empty cycle file: Chronicle Queue waits that long on it wherever a
     * tailer passes it (every reader's start does when it is the first file: a dozen waits for one {@code state}),
     * and no writer is making it. (A running writer sets such a file aside when it starts.)
     */
    private static final long EMPTY_FILE_HEADER_TIMEOUT_MS = 10;

    static
    {
        // A host sidecar never phones home; set here too in case the launcher's -D was not passed.
        if (System.getProperty("chronicle.analytics.disable") == null)
        {
            System.setProperty("chronicle.analytics.disable", "true");
        }
        if (System.getProperty("chronicle.announcer.disable") == null)
        {
            System.setProperty("chronicle.announcer.disable", "true");
        }
    }

    /**
     * Lock files this process holds. Closing any descriptor of a locked file drops the process's lock on
     * Linux, so a second open in the same process must be refused before it opens the lock file at all.
     */
    private static final Set<Path> HELD_LOCKS = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final ChronicleQueue queue;
    /** Cycle files cut short, by cycle: {entries readable before the cut, the file's size}. Read up to there only. */
    private final java.util.Map<Integer, long[]> cut = new java.util.HashMap<>();
    private final Path lockPath;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final DirectoryLock dirLock;
    // null when reading, or when turned off (-Dnlstream.journal.pretouch=false, for comparison runs)
    private final JournalPretoucher pretoucher;
    private final AppendBell bell = new AppendBell();

    /** Set to false to turn off the pretouch thread (for measuring what it saves). */
    public static final String PRETOUCH_PROPERTY = "nlstream.journal.pretouch";

    private String configuredHost;
    private JournalIdentity identity;

    private Journal(final Path dir, final ChronicleQueue queue, final Path lockPath, final FileChannel lockChannel, final FileLock lock,
        final DirectoryLock dirLock)
    {
        this.dirLock = dirLock;
        this.dir = dir;
        this.pretoucher = lock != null && !"false".equals(System.getProperty(PRETOUCH_PROPERTY))
            ? startPretoucher(dir, bell) : null;
        this.lockPath = lockPath;
        this.queue = queue;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) the journal for the one writer, taking an exclusive lock so that two
     * monitors never interleave into one journal.
     */
    public static Journal openForWriting(final Path dir, final String rollCycle)
    {
        return open(dir, rollCycle, false, null, null);
    }

    /** As {@link #openForWriting(Path, String)}, on a clock of the caller's (tests that write several cycles). */
    static Journal openForWriting(final Path dir, final String rollCycle, final net.openhft.chronicle.core.time.TimeProvider clock)
    {
        return open(dir, rollCycle, false, null, clock);
    }

    /**
     * Repairs the journal in place (see {@link JournalRepair}): reads every cycle file through, rewrites each
     * damaged one with what is readable (keeping the damaged file aside) and sets empty ones aside. Takes the
     * journal's lock, so it refuses while a {@code run} writes it (a {@code run} repairs what it needs when it starts).
     *
     * @return what was repaired, one line per file (empty: nothing was damaged)
     */
    public static List<String> repair(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new JournalException("journal directory " + dir + " does not exist (or is not a directory)");
        }
        final List<String> done = new java.util.ArrayList<>();
        open(dir, "FAST_HOURLY", true, done, null).close();
        return done;
    }

    private static Journal open(final Path dir, final String rollCycle, final boolean repairAll, final List<String> repaired,
        final net.openhft.chronicle.core.time.TimeProvider clock)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot create journal directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir))
        {
            throw new JournalException("journal directory " + dir + " is not writable");
        }
        // never scatter journal files among someone else's
        notSomethingElse(dir);
        final Path lockPath = lockPath(dir);
        if (!HELD_LOCKS.add(lockPath))
        {
            throw new JournalException("journal " + dir + " is already open for writing in this process (lock " + lockPath + ")");
        }
        FileChannel channel = null;
        final FileLock lock;
        DirectoryLock dirLock = null;
        try
        {
            channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null)
            {
                throw new JournalException("journal " + dir + " is in use by another nlstream run (lock " + lockPath + ")");
            }
            // the lock file keeps older builds out; the directory's own flock, which deleting the lock file does not
            // defeat, keeps this build's runs apart
            dirLock = DirectoryLock.tryLock(dir);
            if (dirLock == null)
            {
                lock.release();
                throw new JournalException("journal " + dir + " is in use by another nlstream run (its directory is locked;"
                    + " the lock file " + lockPath + " was deleted or replaced under it)");
            }
        }
        catch (final IOException | JournalException | IllegalStateException e)
        {
            closeQuietly(channel);
            HELD_LOCKS.remove(lockPath);
            if (e instanceof JournalException)
            {
                throw (JournalException)e;
            }
            throw new JournalException("cannot lock journal " + lockPath + ": " + e, e);
        }
        try
        {
            final List<String> setAside = setAsideEmptyCycleFiles(dir);
            // a writer never appends behind damage, where no reader reaches: what the crash or copy left is rewritten first
            final List<String> rewritten = JournalRepair.repair(dir, rollCycle, repairAll);
            if (repaired != null)
            {
                repaired.addAll(setAside);
                repaired.addAll(rewritten);
            }
            final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir).rollCycle(rollCycle(rollCycle));
            final ChronicleQueue queue = (clock == null ? builder : builder.timeProvider(clock)).build();
            return new Journal(dir, queue, lockPath, channel, lock, dirLock);
        }
        catch (final JournalException e)
        {
            dirLock.close();
            closeQuietly(channel);
            HELD_LOCKS.remove(lockPath);
            throw e;
        }
        catch (final RuntimeException e)
        {
            dirLock.close();
            closeQuietly(channel);
            HELD_LOCKS.remove(lockPath);
            throw new JournalException("cannot open journal " + dir + " for writing: " + e + " (if a file of it is damaged, `nlstream repair"
                + " --journal " + dir + "` rewrites it, keeping it aside)", e);
        }
    }

    /**
     * Opens an existing journal read-only. A missing directory is an error (the user named the wrong
     * path); a directory with no entries yet is an empty journal.
     */
    public static Journal openForReading(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new JournalException("journal directory " + dir + " does not exist (or is not a directory)");
        }
        if (!Files.isReadable(dir))
        {
            throw new JournalException("journal directory " + dir + " is not readable");
        }
        notSomethingElse(dir);
        final java.util.Map<String, long[]> cutFiles = refuseUnreadableFiles(dir);
        try
        {
            final ChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir)
                .readOnly(true)
                // how long a reader waits for a file's header: a writer writes it within milliseconds of creating the file
                .timeoutMS(headerTimeoutMs(cutFiles))
                .build();
            final java.util.Map<Integer, long[]> cut = new java.util.HashMap<>();
            final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue q = (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)queue;
            if (!cutFiles.isEmpty())
            {
                for (final long c : cycles(q))
                {
                    final long[] found = cutFiles.get(cycleFileName(q.rollCycle(), (int)c));
                    if (found != null)
                    {
                        cut.put((int)c, found);
                    }
                }
            }
            final java.util.Map<String, String> unopenable = unopenableFiles(queue, cut.keySet());
            if (!unopenable.isEmpty())
            {
                queue.close();
                final List<String> found = new java.util.ArrayList<>();
                unopenable.forEach((file, why) -> found.add(file + " cannot be opened by Chronicle Queue (" + why + ")"));
                throw new JournalDamagedException("journal " + dir + " is damaged: " + String.join("; ", found) + ". Nothing was read."
                    + " `nlstream repair --journal " + dir + "` rewrites the readable entries in place, keeping each damaged file aside"
                    + " (stop `run` first; a `run` starting on the journal does the same)");
            }
            final Journal journal = new Journal(dir, queue, null, null, null, null);
            journal.cut.putAll(cut);
            return journal;
        }
        catch (final JournalDamagedException e)
        {
            throw e;
        }
        catch (final Exception e) // Chronicle throws checked ones unchecked (StreamCorruptedException)
        {
            throw new JournalDamagedException("journal " + dir + " is damaged: Chronicle Queue cannot open it (" + e + "). `nlstream repair"
                + " --journal " + dir + "` rewrites damaged files, keeping each aside");
        }
    }

    /** How long Chronicle Queue may wait for a file's header, given the files cut short or empty ({0, 0}) found at open. */
    static long headerTimeoutMs(final java.util.Map<String, long[]> cutFiles)
    {
        for (final long[] cut : cutFiles.values())
        {
            if (cut[1] == 0)
            {
                return EMPTY_FILE_HEADER_TIMEOUT_MS;
            }
        }
        return READ_HEADER_TIMEOUT_MS;
    }

    /**
     * The cycle files Chronicle Queue fails to open (a damaged header: it parses the header's typed fields, and any
     * damaged byte among them is an exception wherever a file is opened), by name, with what it said. Opening each
     * file's store reads its header and index: milliseconds a file.
     */
    static java.util.Map<String, String> unopenableFiles(final ChronicleQueue queue)
    {
        return unopenableFiles(queue, java.util.Set.of());
    }

    /** As {@link #unopenableFiles(ChronicleQueue)}, leaving out the cycles in {@code skip} (files cut short: not mapped past their cut). */
    static java.util.Map<String, String> unopenableFiles(final ChronicleQueue queue, final java.util.Set<Integer> skip)
    {
        final java.util.Map<String, String> bad = new java.util.TreeMap<>();
        final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue q = (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)queue;
        final java.util.NavigableSet<Long> cycles = cycles(q);
        if (cycles.isEmpty())
        {
            return bad;
        }
        final int first = cycles.first().intValue();
        for (final long cycle : cycles)
        {
            if (skip.contains((int)cycle))
            {
                continue;
            }
            try
            {
                final net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore store = q.storeForCycle((int)cycle, q.epoch(), false, null);
                if (store != null)
                {
                    q.closeStore(store);
                }
            }
            catch (final Exception | AssertionError e)
            {
                bad.put(cycleFileName(q.rollCycle(), (int)cycle), String.valueOf(e.getMessage()));
            }
        }
        if (bad.isEmpty())
        {
            // then each file's index, as counting its entries reads it (TimeIndex does, every reader after it): a damaged
            // position sends Chronicle past the file's end
            try (net.openhft.chronicle.queue.ExcerptTailer t = q.createTailer())
            {
                for (final long cycle : cycles)
                {
                    if (skip.contains((int)cycle))
                    {
                        continue;
                    }
                    final String problem = indexProblem(t, (int)cycle);
                    if (problem != null)
                    {
                        bad.put(cycleFileName(q.rollCycle(), (int)cycle), problem);
                    }
                }
            }
            catch (final Exception | AssertionError | InternalError e)
            {
                bad.put(cycleFileName(q.rollCycle(), first), String.valueOf(e));
            }
        }
        return bad;
    }

    /** What goes wrong counting a cycle file's entries through its index, or null. */
    private static String indexProblem(final net.openhft.chronicle.queue.ExcerptTailer tailer, final int cycle)
    {
        try
        {
            tailer.excerptsInCycle(cycle);
            // and as reading from a position does (snapshots, stored records): through index2index
            tailer.moveToIndex(((net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)tailer.queue()).rollCycle().toIndex(cycle, 0));
            return null;
        }
        catch (final Exception | AssertionError | InternalError e) // InternalError: a SIGBUS past the mapped file
        {
            return "its index cannot be read: " + e;
        }
    }

    /**
     * Which of the journal's cycle files look cut short by their size alone (a copy that stopped, a full disk,
     * {@code truncate}): a sentence naming them and their sizes, or saying that none looks cut. For the message
     * of a reader that faulted past the end of a mapped file.
     */
    public static String cutShortFiles(final Path dir)
    {
        final List<String> found = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4"))
        {
            for (final Path f : files)
            {
                final long size = Files.size(f);
                if (JournalRepair.cutShort(size))
                {
                    found.add(f + " is " + size + " bytes, not a whole number of Chronicle Queue's 64 MiB blocks: cut short");
                }
            }
        }
        catch (final IOException e)
        {
            return "its files cannot be listed: " + e;
        }
        found.sort(null);
        return found.isEmpty() ? "no file looks cut short by its size" : String.join("; ", found);
    }

    /**
     * Cycle files a reader must not open: one cut short (Chronicle Queue maps it whole, and a read past its end is a
     * SIGBUS that the JVM raises as an {@code InternalError} somewhere later, or reads zeros and stops there for
     * good) and an empty one (Chronicle waits on it, then stops there), except a newest made in the last seconds, which
     * the writer may be creating. Checking costs one directory listing and a small read a file.
     *
     * @throws JournalDamagedException naming each file and the repair
     */
    private static java.util.Map<String, long[]> refuseUnreadableFiles(final Path dir)
    {
        final java.util.Map<String, long[]> cut = new java.util.HashMap<>();
        final List<Path> files = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.cq4"))
        {
            list.forEach(files::add);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot list journal directory " + dir + ": " + e, e);
        }
        files.sort(null);
        final List<String> found = new java.util.ArrayList<>();
        for (int i = 0; i < files.size(); i++)
        {
            final Path f = files.get(i);
            final long size;
            try
            {
                size = Files.size(f);
            }
            catch (final IOException e)
            {
                continue; // gone since the listing (a retention run); the reader does without it
            }
            if (size == 0 && (i < files.size() - 1 || !justCreated(f)))
            {
                // nothing in it: readers pass it without opening it (Chronicle would wait a minute for its header)
                cut.put(f.getFileName().toString(), new long[] {0, 0});
            }
            else if (JournalRepair.cutShort(size))
            {
                // its readable part is read, through Chronicle, up to the last entry a plain scan finds whole (the scan
                // reads; it never maps): past that, a mapped read would be a SIGBUS
                final String header = openingProblem(f, true);
                final CycleFileScan scan = header == null ? scanQuietly(f) : null;
                final long before = scan == null ? 0 : firstDamage(scan);
                if (before <= 0)
                {
                    found.add(f.getFileName() + " is " + size + " bytes, cut short (Chronicle Queue's files are 16 MiB and whole 64 MiB blocks),"
                        + " with no entry readable before the cut");
                }
                else
                {
                    cut.put(f.getFileName().toString(), new long[] {before, size});
                }
            }
            else
            {
                final String header = openingProblem(f, false);
                if (header != null)
                {
                    found.add(f.getFileName() + " " + header);
                }
            }
        }
        if (!found.isEmpty())
        {
            throw new JournalDamagedException("journal " + dir + " is damaged: " + String.join("; ", found) + ". Nothing was read:"
                + " reading such a file would crash the reader or stop it there. `nlstream repair --journal " + dir + "` rewrites"
                + " the readable entries in place, keeping each damaged file aside (stop `run` first; a `run` starting on the"
                + " journal does the same)");
        }
        return cut;
    }

    private static CycleFileScan scanQuietly(final Path file)
    {
        try
        {
            return CycleFileScan.scan(file, JournalRepair.indexSpacing(file), null);
        }
        catch (final IOException e)
        {
            return null;
        }
    }

    /** How many entries of a scanned file can be read in order before its first damage (its readable prefix). */
    private static long firstDamage(final CycleFileScan scan)
    {
        for (final CycleFileScan.Damage d : scan.damage())
        {
            if (d.lost != 0)
            {
                return d.firstEntry; // (damage that costs no entry: an index pointing past the cut, which the reader never uses)
            }
        }
        return scan.nextNumber();
    }

    /**
     * Whether an empty newest file may be one the writer is creating (it sizes a new file within milliseconds): made
     * in the last 10 s. An older one is damage, which Chronicle Queue would wait on for a minute.
     */
    private static boolean justCreated(final Path file)
    {
        try
        {
            return System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis() < 10_000;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    private static String openingProblem(final Path file, final boolean cut)
    {
        try
        {
            return CycleFileScan.openingProblem(file, cut);
        }
        catch (final IOException e)
        {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    /**
     * A cycle file of 0 bytes (a crash between creating and sizing it, a copy that made the name only) holds
     * nothing, and Chronicle Queue waits on it (about 10 s, then renames it itself) before it writes: the writer,
     * holding the journal's lock, sets it aside at once as {@code NAME.empty-MILLIS}, saying so.
     */
    private static List<String> setAsideEmptyCycleFiles(final Path dir)
    {
        final List<String> done = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4"))
        {
            for (final Path f : files)
            {
                if (Files.size(f) == 0)
                {
                    final Path aside = f.resolveSibling(f.getFileName() + ".empty-" + System.currentTimeMillis());
                    Files.move(f, aside);
                    final String line = "journal " + dir + ": cycle file " + f.getFileName() + " was empty (0 bytes), moved aside to "
                        + aside.getFileName();
                    java.util.logging.Logger.getLogger(Journal.class.getName()).warning(line);
                    done.add(line);
                }
            }
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot check journal " + dir + " for empty cycle files: " + e, e);
        }
        return done;
    }

    /**
     * A directory with files but none of a journal's ({@code *.cq4} cycle files, {@code *.cq4t} metadata) is not
     * one: reading it as an empty journal would answer "nothing happened" about a wrong path.
     */
    private static void notSomethingElse(final Path dir)
    {
        int others = 0;
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir))
        {
            for (final Path entry : entries)
            {
                final String name = entry.getFileName().toString();
                if (name.endsWith(".cq4") || name.endsWith(".cq4t"))
                {
                    return;
                }
                if (!name.equals(LOCK_FILE))
                {
                    others++;
                }
            }
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot list journal directory " + dir + ": " + e, e);
        }
        if (others > 0)
        {
            throw new JournalException("journal directory " + dir + " is not an nlstream journal: it holds " + others
                + (others == 1 ? " entry" : " entries") + " and no journal files (*.cq4, metadata.cq4t)");
        }
    }

    /** The name of the cycle file of {@code cycle} under {@code rollCycle} ({@code 20261201-14F.cq4}: UTC, as Chronicle names it). */
    public static String cycleFileName(final net.openhft.chronicle.queue.RollCycle rollCycle, final int cycle)
    {
        final java.text.SimpleDateFormat f = new java.text.SimpleDateFormat(rollCycle.format());
        f.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
        return f.format(new java.util.Date((long)cycle * rollCycle.lengthInMillis())) + ".cq4";
    }

    public static RollCycles rollCycle(final String name)
    {
        try
        {
            return RollCycles.valueOf(name);
        }
        catch (final IllegalArgumentException e)
        {
            throw new JournalException("unknown roll cycle " + name);
        }
    }

    /**
     * The host id to record for a journal that has none yet, and to name the host of a journal written before
     * identities were recorded: {@code --host-id}, or null for /etc/machine-id. Set before the first
     * {@link #identity()}.
     */
    public Journal configuredHost(final String host)
    {
        this.configuredHost = host;
        return this;
    }

    /**
     * Who wrote this journal (host and journal id, see {@link JournalIdentity}); a journal opened for writing
     * records its identity the first time it is asked. Null only for a journal that records none and has no
     * entry yet (its identity is known from its first entry).
     */
    public synchronized JournalIdentity identity()
    {
        if (identity == null)
        {
            identity = lock != null ? JournalIdentity.establish(this, configuredHost) : JournalIdentity.of(this, configuredHost);
        }
        return identity;
    }

    public Path dir()
    {
        return dir;
    }

    /** Entries readable in a cycle file cut short (a reader stops there), or -1 for a whole file. */
    public long readableEntries(final int cycle)
    {
        final long[] c = cut.get(cycle);
        return c == null ? -1 : c[0];
    }

    /** The size of a cycle file cut short, or -1. */
    long cutSize(final int cycle)
    {
        final long[] c = cut.get(cycle);
        return c == null ? -1 : c[1];
    }

    boolean hasCutFiles()
    {
        return !cut.isEmpty();
    }

    /** The journal's last entry's index, not counting past the cut of a newest file cut short (Chronicle would map it). */
    public long lastIndex()
    {
        final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue q = (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)queue;
        if (cut.isEmpty())
        {
            return q.lastIndex();
        }
        // from the newest file back, past empty ones, to the last entry that can be read
        int cycle = q.lastCycle();
        while (cycle >= 0)
        {
            final long n = readableEntries(cycle);
            if (n > 0)
            {
                return q.rollCycle().toIndex(cycle, n - 1);
            }
            if (n < 0)
            {
                final long count = entriesIn(cycle);
                return count > 0 ? q.rollCycle().toIndex(cycle, count - 1) : -1;
            }
            try
            {
                cycle = q.nextCycle(cycle, net.openhft.chronicle.queue.TailerDirection.BACKWARD);
            }
            catch (final java.text.ParseException e)
            {
                return -1;
            }
        }
        return -1;
    }

    /** The entries of a cycle file: readable ones of a file cut short or empty, else Chronicle's count from its index. */
    long entriesIn(final int cycle)
    {
        final long readable = readableEntries(cycle);
        if (readable >= 0)
        {
            return readable;
        }
        try (net.openhft.chronicle.queue.ExcerptTailer t = queue.createTailer())
        {
            return t.excerptsInCycle(cycle);
        }
    }

    /**
     * The first cycle after {@code cycle} with a file a reader can open (passing empty ones), or -1; {@code onEmpty} is
     * told of each empty one passed.
     */
    int nextReadableCycle(final int cycle, final java.util.function.IntConsumer onEmpty)
    {
        final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue q = (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)queue;
        int c = cycle;
        while (true)
        {
            final int next;
            try
            {
                next = q.nextCycle(c, net.openhft.chronicle.queue.TailerDirection.FORWARD);
            }
            catch (final java.text.ParseException e)
            {
                return -1;
            }
            if (next <= c)
            {
                return -1;
            }
            if (readableEntries(next) != 0)
            {
                return next;
            }
            onEmpty.accept(next);
            c = next;
        }
    }

    public ChronicleQueue queue()
    {
        return queue;
    }

    /**
     * The index of the journal's first entry as its files have it (the start of its oldest cycle file), or -1 when
     * it has none.
     */
    public long firstIndex()
    {
        final java.util.NavigableSet<Long> cycles = cycles();
        return cycles.isEmpty() ? -1 : queue.rollCycle().toIndex(cycles.first().intValue(), 0);
    }

    /** The cycles of the journal's files, oldest first (see {@link #cycles(net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)}). */
    public java.util.NavigableSet<Long> cycles()
    {
        return cycles((net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)queue);
    }

    /**
     * The cycles of a queue's files, oldest first. Chronicle lists them from the first cycle its metadata
     * ({@code metadata.cq4t}) names, and fails when that file is gone: retention deletes the oldest files, then the
     * writer rewrites the metadata, and a reader may open in between (or after a writer that died in between). Then
     * the directory's own listing says.
     */
    static java.util.NavigableSet<Long> cycles(final net.openhft.chronicle.queue.impl.single.SingleChronicleQueue q)
    {
        final int first = q.firstCycle();
        final int last = q.lastCycle();
        if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE || first > last)
        {
            return new java.util.TreeSet<>();
        }
        try
        {
            return q.listCyclesBetween(first, last);
        }
        catch (final IllegalStateException gone)
        {
            final java.util.TreeSet<Long> cycles = new java.util.TreeSet<>();
            final net.openhft.chronicle.queue.RollCycle roll = q.rollCycle();
            final java.text.SimpleDateFormat format = new java.text.SimpleDateFormat(roll.format());
            format.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
            format.setLenient(false);
            final String[] names = q.file().list();
            for (final String name : names == null ? new String[0] : names)
            {
                if (!name.endsWith(".cq4"))
                {
                    continue;
                }
                try
                {
                    final int cycle = (int)(format.parse(name.substring(0, name.length() - 4)).getTime() / roll.lengthInMillis());
                    if (cycle <= last && cycleFileName(roll, cycle).equals(name))
                    {
                        cycles.add((long)cycle);
                    }
                }
                catch (final java.text.ParseException notACycle)
                {
                    // not one of the queue's files
                }
            }
            return cycles;
        }
    }

    /** The file that came before the journal's first one and is gone, as the first one names it. */
    public record Predecessor(int cycle, String file, long entries)
    {
    }

    /**
     * What the journal's first file says came before it, when that is gone: each writer journals, after its first entry
     * in a new file, which file came before and how many entries it held (a CYCLE_LINK annotation; none in the
     * journal's first file). Retention deletes the oldest files, and so can a person: the journal then lacks its start,
     * and a reader needs a base (a snapshot) for the state it keeps. Null when the first file is the journal's start,
     * or names no file with entries.
     */
    public Predecessor predecessor()
    {
        final net.openhft.chronicle.queue.RollCycle rollCycle = queue.rollCycle();
        try (JournalReader r = reader().toStart())
        {
            final JournalEntry e = new JournalEntry();
            int firstCycle = Integer.MIN_VALUE;
            // the first writer's link follows its first entry; the other writers' follow theirs, close behind
            for (int n = 0; n < 256 && r.next(e); n++)
            {
                final int cycle = rollCycle.toCycle(e.index());
                if (firstCycle == Integer.MIN_VALUE)
                {
                    firstCycle = cycle;
                }
                else if (cycle != firstCycle)
                {
                    return null;
                }
                if (e.origin() == CaptureHeader.ORIGIN_ANNOTATION && e.payloadLength() >= AnnotationRecord.CYCLE_LINK_LENGTH
                    && AnnotationRecord.type(e.buffer(), e.payloadOffset(), e.payloadLength()) == AnnotationRecord.TYPE_CYCLE_LINK)
                {
                    final int previous = e.buffer().getInt(e.payloadOffset() + AnnotationRecord.LINK_PREVIOUS_CYCLE_OFFSET);
                    final long entries = e.buffer().getLong(e.payloadOffset() + AnnotationRecord.LINK_PREVIOUS_ENTRIES_OFFSET);
                    return entries > 0 && previous < cycle ? new Predecessor(previous, cycleFileName(rollCycle, previous), entries) : null;
                }
            }
            return null;
        }
        catch (final JournalDamagedException e)
        {
            return null;
        }
    }

    /** Rung by this process's writers after each append; this process's readers doze on it. */
    public AppendBell bell()
    {
        return bell;
    }

    public JournalWriter writer()
    {
        return new JournalWriter(this, queue.createAppender(), pretoucher);
    }

    /**
     * The pretouch thread only makes appends faster: when it cannot start (no native libraries), the
     * journal works without it and says so once.
     */
    private static JournalPretoucher startPretoucher(final Path dir, final AppendBell bell)
    {
        try
        {
            return new JournalPretoucher(String.valueOf(dir.getFileName()), JournalPretoucher.DEFAULT_AHEAD_BYTES, bell);
        }
        catch (final RuntimeException | LinkageError e)
        {
            java.util.logging.Logger.getLogger(Journal.class.getName()).warning("journal " + dir
                + ": pretouch thread not started (" + e.getMessage() + "); appends will fault their pages in themselves");
            return null;
        }
    }

    /**
     * @return the thread that faults the journal's next pages in ahead of its writers, or null
     */
    public JournalPretoucher pretoucher()
    {
        return pretoucher;
    }

    public JournalReader reader()
    {
        try
        {
            return new JournalReader(this, queue.createTailer());
        }
        catch (final Exception | AssertionError e) // Chronicle throws checked ones unchecked (StreamCorruptedException)
        {
            // Chronicle Queue failed on a file as it opened the first (a header damaged past the checks at open)
            throw new JournalDamagedException("journal " + dir + " is damaged: Chronicle Queue cannot open its first file (" + e.getMessage()
                + "). `nlstream repair --journal " + dir + "` rewrites damaged files, keeping each aside");
        }
    }

    @Override
    public void close()
    {
        if (pretoucher != null)
        {
            pretoucher.close();
        }
        queue.close();
        if (lock != null)
        {
            try
            {
                lock.release();
            }
            catch (final IOException ignored)
            {
                // the channel close below releases it anyway
            }
        }
        closeQuietly(lockChannel);
        if (dirLock != null)
        {
            dirLock.close();
        }
        if (lockPath != null)
        {
            HELD_LOCKS.remove(lockPath);
        }
    }

    private static Path lockPath(final Path dir)
    {
        try
        {
            return dir.toRealPath().resolve(LOCK_FILE);
        }
        catch (final IOException e)
        {
            return dir.toAbsolutePath().normalize().resolve(LOCK_FILE);
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // nothing left to do with it
            }
        }
    }
}
