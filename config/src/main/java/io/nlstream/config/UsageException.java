package io.nlstream.config;

import java.util.List;

/**
 * A {@link ConfigException} where at least one problem is in the command line itself (an unknown option, a
 * missing value, a bad flag value, an unreadable {@code --config} file), so the caller should point at the
 * usage text, e.g. exit with status 2 and suggest {@code nlstream CMD --help}.
 */
public class UsageException extends ConfigException
{
    public UsageException(List<String> problems)
    {
        super(problems);
    }
}
