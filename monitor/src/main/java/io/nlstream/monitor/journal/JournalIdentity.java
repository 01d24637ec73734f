package io.nlstream.monitor.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Who wrote a journal: the host's id and the journal's own id, recorded in {@value #FILE} beside the cycle files
 * when the journal is created, so that every event of every journal has an id no other journal shares
 * ({@code HOST:JOURNAL:SEQ}) and keeps it wherever the journal is read, copied or re-forwarded.
 *
 * <p>A journal written before ids were recorded has no file: its readers derive the journal id from its first
 * entry (its index and bytes, which never change) and take the host id as configured ({@code --host-id}, else
 * /etc/machine-id), as event ids were made before; the next {@code run} on it records what they derived.
 *
 * <pre>
 * nlstream.id (text, one name=value per line):
 *   host=HOST         the host id: --host-id, else /etc/machine-id, else the hostname
 *   journal=JOURNAL   16 lower-case hex digits: random at creation, or derived from the first entry
 *   created=MILLIS    when it was recorded (wall clock)
 *   derived=true      only when the id was derived from an existing journal's first entry
 * </pre>
 */
public final class JournalIdentity
{
    public static final String FILE = "nlstream.id";
    /** What an id may hold: it is one colon-separated part of an event id and of a Kafka transactional.id. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final String UNKNOWN_HOST = "unknown-host";

    private final String host;
    private final String journal;
    private final boolean recorded;

    private JournalIdentity(final String host, final String journal, final boolean recorded)
    {
        this.host = host;
        this.journal = journal;
        this.recorded = recorded;
    }

    /** The host id recorded for the journal (or, for a journal without a record, the configured one). */
    public String host()
    {
        return host;
    }

    /** The journal's id: 16 hex digits. */
    public String journal()
    {
        return journal;
    }

    /** Whether the identity was read from the journal's {@value #FILE} (else derived from its first entry). */
    public boolean recorded()
    {
        return recorded;
    }

    /** {@code HOST:JOURNAL}, what every event id of this journal begins with. */
    public String prefix()
    {
        return host + ":" + journal;
    }

    /** {@code HOST:JOURNAL:SEQ}, or {@code HOST:JOURNAL:SEQ:SUB} for the ends one dump implies. */
    public String eventId(final long seq, final int sub)
    {
        return sub > 0 ? prefix() + ":" + seq + ":" + sub : prefix() + ":" + seq;
    }

    @Override
    public String toString()
    {
        return "host " + host + ", journal " + journal + (recorded ? "" : " (derived from its first entry)");
    }

    /**
     * The host's id when nothing is recorded: configured, else /etc/machine-id (stable across reboots and
     * renames), else the kernel's hostname.
     */
    public static String configuredHost(final String configured)
    {
        if (configured != null && !configured.isBlank())
        {
            return configured.trim();
        }
        for (final String file : new String[] {"/etc/machine-id", "/proc/sys/kernel/hostname"})
        {
            try
            {
                final String id = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
                if (ID.matcher(id).matches())
                {
                    return id;
                }
            }
            catch (final IOException ignored)
            {
                // try the next
            }
        }
        return UNKNOWN_HOST;
    }

    /** Whether {@code host} can be a host id (an event id's first part): letters, digits, '.', '_', '-'. */
    public static boolean validHost(final String host)
    {
        return host != null && ID.matcher(host.trim()).matches();
    }

    /**
     * The identity of a journal opened for reading: recorded, else derived from its first entry.
     *
     * @param configuredHost --host-id, or null; used only when the journal records no host
     * @throws JournalException when the record exists but cannot be read
     */
    public static JournalIdentity of(final Journal journal, final String configuredHost)
    {
        final JournalIdentity recorded = read(journal.dir());
        return recorded != null ? recorded : derive(journal, configuredHost);
    }

    /**
     * The identity of a journal opened for writing: recorded, else recorded now (derived from its first entry
     * when it has entries, so that ids its readers gave before stay the same; new when it has none).
     */
    public static JournalIdentity establish(final Journal journal, final String configuredHost)
    {
        final JournalIdentity existing = read(journal.dir());
        if (existing != null)
        {
            return existing;
        }
        final JournalIdentity derived = derive(journal, configuredHost);
        final JournalIdentity made = derived != null ? derived : new JournalIdentity(configuredHost(configuredHost), random(), true);
        write(journal.dir(), made, derived != null);
        return new JournalIdentity(made.host, made.journal, true);
    }

    /** The record in {@code dir}, or null when there is none. */
    static JournalIdentity read(final Path dir)
    {
        final Path file = dir.resolve(FILE);
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException e)
        {
            return null;
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot read the journal's identity " + file + ": " + e, e);
        }
        String host = null;
        String journal = null;
        for (final String line : text.split("\n"))
        {
            final int eq = line.indexOf('=');
            if (eq > 0)
            {
                final String name = line.substring(0, eq).trim();
                final String value = line.substring(eq + 1).trim();
                if (name.equals("host"))
                {
                    host = value;
                }
                else if (name.equals("journal"))
                {
                    journal = value;
                }
            }
        }
        if (host == null || journal == null || !ID.matcher(host).matches() || !ID.matcher(journal).matches())
        {
            throw new JournalException("the journal's identity " + file + " is damaged (" + (host == null ? "no host=" : journal == null
                ? "no journal=" : "an id with other than letters, digits, '.', '_', '-'") + "): restore it from a copy, or delete it"
                + " to derive the journal's id from its first entry again (event ids change if it was not derived)");
        }
        return new JournalIdentity(host, journal, true);
    }

    /** Derived from the journal's first readable entry; null for a journal without one. */
    private static JournalIdentity derive(final Journal journal, final String configuredHost)
    {
        final JournalEntry entry = new JournalEntry();
        try (JournalReader reader = journal.reader())
        {
            if (!reader.toStart().next(entry))
            {
                return null;
            }
        }
        final MessageDigest sha;
        try
        {
            sha = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
        final ByteBuffer index = ByteBuffer.allocate(Long.BYTES).putLong(0, entry.index());
        sha.update(index);
        sha.update(entry.buffer().array(), 0, entry.length());
        return new JournalIdentity(configuredHost(configuredHost), hex(sha.digest()), false);
    }

    private static String random()
    {
        final byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return hex(bytes);
    }

    private static String hex(final byte[] digest)
    {
        final StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 8; i++)
        {
            sb.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
        }
        return sb.toString();
    }

    /** Written once, crash-safely: a temporary file, forced to disk, renamed. */
    private static void write(final Path dir, final JournalIdentity id, final boolean derived)
    {
        final Path file = dir.resolve(FILE);
        final Path tmp = dir.resolve(FILE + ".tmp");
        final String text = "host=" + id.host + "\njournal=" + id.journal + "\ncreated=" + System.currentTimeMillis() + "\n"
            + (derived ? "derived=true\n" : "");
        try
        {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try
            {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException e)
            {
                Files.move(tmp, file);
            }
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot record the journal's identity in " + file + ": " + e, e);
        }
    }
}
