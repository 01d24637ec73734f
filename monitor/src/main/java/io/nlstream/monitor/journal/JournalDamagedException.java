package io.nlstream.monitor.journal;

/** The journal is damaged so that nothing may be read before it is repaired; commands exit with their damage code. */
public final class JournalDamagedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    public JournalDamagedException(final String message)
    {
        super(message);
    }
}
