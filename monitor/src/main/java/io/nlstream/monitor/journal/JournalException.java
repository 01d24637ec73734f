package io.nlstream.monitor.journal;

/**
 * The journal cannot be opened, read or written; the message names the path and what went wrong.
 */
public class JournalException extends RuntimeException
{
    public JournalException(final String message)
    {
        super(message);
    }

    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
