package io.nlstream.monitor.read;

import io.nlstream.sinks.Name;

import java.util.function.IntFunction;

/**
 * Names of small integer codes (protocols, states, families), encoded once, so the hot path writes a constant
 * instead of building a String per event. Codes outside the cached range are named on demand.
 */
final class Names
{
    private final Name[] cached;
    private final IntFunction<String> naming;

    Names(final int size, final IntFunction<String> naming)
    {
        this.naming = naming;
        this.cached = new Name[size];
        for (int i = 0; i < size; i++)
        {
            cached[i] = Name.of(naming.apply(i));
        }
    }

    Name of(final int code)
    {
        return code >= 0 && code < cached.length ? cached[code] : Name.of(naming.apply(code));
    }
}
