package io.nlstream.monitor.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal's identity (issue 12): recorded when a writer first asks for it, the same for every reader after; for a
 * journal written before identities were recorded, derived from its first entry, the same every time, and then
 * recorded as derived by the next writer.
 */
class JournalIdentityTest
{
    @TempDir
    Path tmp;

    @Test
    void aNewJournalRecordsItsHostAndARandomIdThatEveryReaderThenSees()
    {
        final Path a = tmp.resolve("a");
        final Path b = tmp.resolve("b");
        final JournalIdentity idA;
        final JournalIdentity idB;
        try (Journal journal = Journal.openForWriting(a, TestJournal.ROLL_CYCLE).configuredHost("node-1"))
        {
            idA = journal.identity();
        }
        try (Journal journal = Journal.openForWriting(b, TestJournal.ROLL_CYCLE).configuredHost("node-1"))
        {
            idB = journal.identity();
        }
        assertEquals("node-1", idA.host());
        assertTrue(idA.journal().matches("[0-9a-f]{16}"), idA.journal());
        assertTrue(idA.recorded());
        assertTrue(Files.exists(a.resolve(JournalIdentity.FILE)));
        assertNotEquals(idA.journal(), idB.journal(), "two journals of one host never share an id");
        try (Journal journal = Journal.openForReading(a).configuredHost("another-name"))
        {
            final JournalIdentity read = journal.identity();
            assertEquals("node-1", read.host(), "the recorded host wins over the configured one");
            assertEquals(idA.journal(), read.journal());
            assertEquals("node-1:" + idA.journal() + ":42", read.eventId(42, 0));
            assertEquals("node-1:" + idA.journal() + ":42:3", read.eventId(42, 3));
        }
        try (Journal journal = Journal.openForWriting(a, TestJournal.ROLL_CYCLE).configuredHost("node-2"))
        {
            assertEquals(idA.journal(), journal.identity().journal(), "a later run keeps the journal's identity");
            assertEquals("node-1", journal.identity().host());
        }
    }

    @Test
    void aJournalWrittenBeforeIdsDerivesOneFromItsFirstEntryAndTheNextWriterRecordsIt() throws Exception
    {
        final Path old = tmp.resolve("old");
        final Path copy = tmp.resolve("copy");
        TestJournal.oneEvent(old);
        TestJournal.oneEvent(copy);
        // as a journal of an earlier build: no record
        Files.deleteIfExists(old.resolve(JournalIdentity.FILE));
        Files.deleteIfExists(copy.resolve(JournalIdentity.FILE));
        final JournalIdentity first;
        try (Journal journal = Journal.openForReading(old).configuredHost("node-1"))
        {
            first = journal.identity();
        }
        assertFalse(first.recorded());
        assertEquals("node-1", first.host(), "the configured host, as event ids were made before");
        assertTrue(first.journal().matches("[0-9a-f]{16}"), first.journal());
        assertFalse(Files.exists(old.resolve(JournalIdentity.FILE)), "a reader writes nothing");
        try (Journal journal = Journal.openForReading(old).configuredHost("node-1"))
        {
            assertEquals(first.journal(), journal.identity().journal(), "derived the same every time");
        }
        try (Journal journal = Journal.openForReading(copy).configuredHost("node-1"))
        {
            // same bytes at a different index (a journal written at another time) would differ; the same journal copied
            // elsewhere gives the same id
            assertEquals(first.journal().equals(journal.identity().journal()), sameFirstEntry(old, copy));
        }
        try (Journal journal = Journal.openForWriting(old, TestJournal.ROLL_CYCLE).configuredHost("node-1"))
        {
            assertEquals(first.journal(), journal.identity().journal(), "the next run records what readers derived");
        }
        assertTrue(Files.readString(old.resolve(JournalIdentity.FILE)).contains("derived=true"));
        try (Journal journal = Journal.openForReading(old).configuredHost("node-9"))
        {
            assertEquals("node-1", journal.identity().host(), "recorded now: the configured host no longer matters");
            assertEquals(first.journal(), journal.identity().journal());
        }
    }

    @Test
    void anEmptyJournalWithoutARecordHasNoIdentityYet() throws Exception
    {
        final Path dir = tmp.resolve("empty");
        Journal.openForWriting(dir, TestJournal.ROLL_CYCLE).close();
        try (Journal journal = Journal.openForReading(dir))
        {
            assertNull(journal.identity());
        }
    }

    @Test
    void aDamagedRecordIsNamedNotGuessedAround() throws Exception
    {
        final Path dir = TestJournal.oneEvent(tmp.resolve("j"));
        Files.writeString(dir.resolve(JournalIdentity.FILE), "host=node-1\n");
        try (Journal journal = Journal.openForReading(dir))
        {
            final JournalException e = assertThrows(JournalException.class, journal::identity);
            assertTrue(e.getMessage().contains(dir.resolve(JournalIdentity.FILE).toString()) && e.getMessage().contains("no journal="),
                e.getMessage());
        }
        Files.writeString(dir.resolve(JournalIdentity.FILE), "host=a:b\njournal=0123456789abcdef\n");
        try (Journal journal = Journal.openForReading(dir))
        {
            assertTrue(assertThrows(JournalException.class, journal::identity).getMessage().contains("damaged"));
        }
    }

    @Test
    void hostIdsAreOnePartOfAnEventId()
    {
        assertTrue(JournalIdentity.validHost("node-1.example_2"));
        assertFalse(JournalIdentity.validHost("a:b"));
        assertFalse(JournalIdentity.validHost(""));
        assertFalse(JournalIdentity.validHost("x".repeat(129)));
        assertTrue(JournalIdentity.validHost(JournalIdentity.configuredHost(null)), "machine-id or hostname is one too");
    }

    private static boolean sameFirstEntry(final Path a, final Path b)
    {
        final JournalEntry ea = new JournalEntry();
        final JournalEntry eb = new JournalEntry();
        try (Journal ja = Journal.openForReading(a); Journal jb = Journal.openForReading(b);
             JournalReader ra = ja.reader(); JournalReader rb = jb.reader())
        {
            ra.toStart().next(ea);
            rb.toStart().next(eb);
            return ea.index() == eb.index() && java.util.Arrays.equals(java.util.Arrays.copyOf(ea.buffer().array(), ea.length()),
                java.util.Arrays.copyOf(eb.buffer().array(), eb.length()));
        }
    }
}
