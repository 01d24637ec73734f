package io.nlstream.config;

import java.util.List;

/**
 * Everything wrong with a configuration, one problem per line, so a user fixes them all in one go.
 * Value problems read {@code Invalid value X for configuration Y (--flag): reason}.
 */
public class ConfigException extends RuntimeException
{
    private final List<String> problems;

    public ConfigException(List<String> problems)
    {
        super(String.join("\n", problems));
        if (problems.isEmpty())
        {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem)
    {
        this(List.of(problem));
    }

    /** The problems, in the order they were found; each is a complete sentence without a trailing newline. */
    public List<String> problems()
    {
        return problems;
    }
}
