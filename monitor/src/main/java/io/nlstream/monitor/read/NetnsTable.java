package io.nlstream.monitor.read;

import java.util.Arrays;
import java.util.function.ObjLongConsumer;

/**
 * What the captures' annotations say about namespaces, by inode: the names they had in the journal ({@code blue}
 * for {@code run --netns blue}, NETNS_NAME), the containers they belong to (NETNS_CONTAINER). An
 * open-addressing table of a few hundred entries at most (a host's namespaces), looked up per event without
 * boxing; the namespace asked for last is remembered, as events come in runs of one namespace.
 *
 * @param <V> what is known of a namespace
 */
final class NetnsTable<V>
{
    private long[] keys = new long[16];
    private Object[] values = new Object[16];
    private int size;
    private long lastKey = -1;
    private V lastValue;

    /** Records a value; a later one for the same inode replaces it (a namespace renamed, or the inode reused). */
    void put(final long netns, final V value)
    {
        if (netns == 0 || value == null)
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
        values[i] = value;
        lastKey = -1;
    }

    /** What is known of the namespace, or null when the journal says nothing of it. */
    @SuppressWarnings("unchecked")
    V get(final long netns)
    {
        if (netns == lastKey)
        {
            return lastValue;
        }
        V found = null;
        if (size > 0)
        {
            int i = slot(netns, keys.length);
            while (keys[i] != 0)
            {
                if (keys[i] == netns)
                {
                    found = (V)values[i];
                    break;
                }
                i = i + 1 & keys.length - 1;
            }
        }
        lastKey = netns;
        lastValue = found;
        return found;
    }

    int size()
    {
        return size;
    }

    @SuppressWarnings("unchecked")
    void forEach(final ObjLongConsumer<V> action)
    {
        for (int i = 0; i < keys.length; i++)
        {
            if (keys[i] != 0)
            {
                action.accept((V)values[i], keys[i]);
            }
        }
    }

    void clear()
    {
        Arrays.fill(keys, 0);
        Arrays.fill(values, null);
        size = 0;
        lastKey = -1;
        lastValue = null;
    }

    @SuppressWarnings("unchecked")
    private void grow()
    {
        final long[] oldKeys = keys;
        final Object[] oldValues = values;
        keys = new long[2 * oldKeys.length];
        values = new Object[2 * oldKeys.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldKeys[i] != 0)
            {
                put(oldKeys[i], (V)oldValues[i]);
            }
        }
    }

    private static int slot(final long key, final int capacity)
    {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int)(h ^ h >>> 32) & capacity - 1;
    }
}
