package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.journal.JournalEntry;
import io.nlstream.monitor.journal.JournalReader;

import java.util.logging.Logger;

/**
 * Reads objects' latest records back from the journal by index, with a tailer of its own (the pipeline's
 * sequential tailer stays where it is). Forward jumps within a cycle are cheap; callers that read many sort
 * the indexes first.
 */
final class StoredRecords implements StatePolicy.RecordLoader, AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(StoredRecords.class.getName());

    private final Journal journal;
    private final JournalEntry entry = new JournalEntry();
    private final EventReader reader = new EventReader();
    private JournalReader tailer;
    private long lastIndex = Long.MIN_VALUE;

    StoredRecords(final Journal journal)
    {
        this.journal = journal;
    }

    /** Records loaded here carry their interfaces' names, as {@code names} knows them. */
    void devNames(final DevNames names)
    {
        reader.devNames(names);
    }

    /** Records loaded here name this host (JSON's {@code host}). */
    void host(final String host)
    {
        reader.host(host);
    }

    @Override
    public EventView load(final long index, final Kind kind, final long meta)
    {
        if (tailer == null)
        {
            tailer = journal.reader();
        }
        if (index != lastIndex + 1 || tailer.index() != index)
        {
            if (!tailer.moveToIndex(index))
            {
                LOG.warning("journal " + journal.dir() + " index " + index + ": an object's record is not in the journal any more");
                lastIndex = Long.MIN_VALUE;
                return null;
            }
        }
        if (!tailer.next(entry) || entry.index() != index)
        {
            LOG.warning("journal " + journal.dir() + " index " + index + ": an object's record cannot be read back");
            lastIndex = Long.MIN_VALUE;
            return null;
        }
        lastIndex = index;
        final EventView v = reader.decode(entry);
        if (v == null || v.kind() != kind)
        {
            LOG.warning("journal " + journal.dir() + " index " + index + ": an object's record is not a " + kind.text() + " any more");
            return null;
        }
        if (kind == Kind.SOCK)
        {
            // the protocol of a dumped socket is in its dump's request, long gone: the table kept it
            final int proto = ObjectTable.proto(meta);
            v.sock().protocol(proto == 0xFF ? -1 : proto);
        }
        return v;
    }

    /** Another thread reads on (see {@link JournalReader#handOver()}). */
    void handOver()
    {
        if (tailer != null)
        {
            tailer.handOver();
        }
    }

    @Override
    public void close()
    {
        if (tailer != null)
        {
            tailer.close();
        }
    }
}
