package io.nlstream.monitor.read;

import java.util.Arrays;
import java.util.function.ObjLongConsumer;

/**
 * The names namespaces had in the journal ({@code blue} for {@code run --netns blue}), from the captures'
 * NETNS_NAME annotations, by inode: an open-addressing table of a few hundred entries at most (a host's
 * namespaces), looked up per event without boxing; the namespace asked for last is remembered, as events
 * come in runs of one namespace.
 */
final class NetnsNames
{
    private long[] keys = new long[16];
    private String[] names = new String[16];
    private int size;
    private long lastKey = -1;
    private String lastName;

    /** Records a name; a later one for the same inode replaces it (a namespace renamed, or the inode reused). */
    void put(final long netns, final String name)
    {
        if (netns == 0 || name == null)
        {
            return;
        }
        if (2 * (size + 1) > keys.length)
        {
            grow();
        }
        int i = slot(netns, keys.length);
        while (keys[i] != 0 && keys[i] != netns)
        {
            i = i + 1 & keys.length - 1;
        }
        if (keys[i] == 0)
        {
            size++;
        }
        keys[i] = netns;
        names[i] = name;
        lastKey = -1;
    }

    /** The namespace's name, or null when the journal gives it none. */
    String name(final long netns)
    {
        if (netns == lastKey)
        {
            return lastName;
        }
        String found = null;
        if (size > 0)
        {
            int i = slot(netns, keys.length);
            while (keys[i] != 0)
            {
                if (keys[i] == netns)
                {
                    found = names[i];
                    break;
                }
                i = i + 1 & keys.length - 1;
            }
        }
        lastKey = netns;
        lastName = found;
        return found;
    }

    int size()
    {
        return size;
    }

    void forEach(final ObjLongConsumer<String> action)
    {
        for (int i = 0; i < keys.length; i++)
        {
            if (keys[i] != 0)
            {
                action.accept(names[i], keys[i]);
            }
        }
    }

    void clear()
    {
        Arrays.fill(keys, 0);
        Arrays.fill(names, null);
        size = 0;
        lastKey = -1;
        lastName = null;
    }

    private void grow()
    {
        final long[] oldKeys = keys;
        final String[] oldNames = names;
        keys = new long[2 * oldKeys.length];
        names = new String[2 * oldKeys.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldKeys[i] != 0)
            {
                put(oldKeys[i], oldNames[i]);
            }
        }
    }

    private static int slot(final long key, final int capacity)
    {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int)(h ^ h >>> 32) & capacity - 1;
    }
}
