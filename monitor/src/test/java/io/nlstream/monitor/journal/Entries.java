package io.nlstream.monitor.journal;

/** Test access to reading an entry's bytes as the journal reader does, for tests outside this package. */
public final class Entries
{
    private Entries()
    {
    }

    /** Puts {@code bytes} in the entry as if read from the journal at {@code index}; returns what is wrong, or null. */
    public static String set(final JournalEntry entry, final long index, final byte[] bytes)
    {
        System.arraycopy(bytes, 0, entry.ensureCapacity(bytes.length), 0, bytes.length);
        return entry.set(index, bytes.length);
    }
}
