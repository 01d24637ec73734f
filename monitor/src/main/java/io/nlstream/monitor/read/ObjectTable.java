package io.nlstream.monitor.read;

import java.util.Arrays;

/**
 * The live objects of one kind in one namespace: identity hash -> journal index of the object's latest
 * record, in parallel primitive arrays (open addressing, linear probing, backward-shift deletion), so an
 * object costs a few longs, not a decoded event. What a reader prints is decoded from the journal when asked.
 *
 * <pre>
 * keys[slot]   64-bit identity hash (0: empty slot)            see {@link IdentityHash}
 * values[slot] journal index of the object's latest record
 * meta[slot]   check hash (high 32 bits) | flags (bits 16-31) | proto (bits 8-15) | family (bits 0-7)
 * aux[c][slot] per-kind columns (a content hash, an inode, ...), when the kind has them
 * </pre>
 *
 * Not thread safe.
 */
final class ObjectTable
{
    static final int MIN_CAPACITY = 16;

    private final int auxColumns;
    private long[] keys;
    private long[] values;
    private long[] meta;
    private long[][] aux;
    private int mask;
    private int size;
    private int resizeAt;

    ObjectTable(final int auxColumns)
    {
        this(auxColumns, MIN_CAPACITY);
    }

    ObjectTable(final int auxColumns, final int capacity)
    {
        this.auxColumns = auxColumns;
        allocate(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1));
    }

    private void allocate(final int capacity)
    {
        keys = new long[capacity];
        values = new long[capacity];
        meta = new long[capacity];
        aux = new long[auxColumns][capacity];
        mask = capacity - 1;
        resizeAt = (int)(capacity * 0.75);
    }

    static long meta(final int check, final int family, final int proto, final int flags)
    {
        return (long)check << 32 | (flags & 0xFFFFL) << 16 | (proto & 0xFFL) << 8 | (family & 0xFFL);
    }

    static int check(final long meta)
    {
        return (int)(meta >>> 32);
    }

    static int family(final long meta)
    {
        return (int)(meta & 0xFF);
    }

    static int proto(final long meta)
    {
        return (int)(meta >>> 8 & 0xFF);
    }

    static int flags(final long meta)
    {
        return (int)(meta >>> 16 & 0xFFFF);
    }

    int size()
    {
        return size;
    }

    int capacity()
    {
        return keys.length;
    }

    int auxColumns()
    {
        return auxColumns;
    }

    /** Heap bytes of the arrays. */
    long bytes()
    {
        return (long)keys.length * 8L * (3 + auxColumns);
    }

    /** @return the slot holding (key, check), or -1 */
    int find(final long key, final int check)
    {
        int slot = spread(key) & mask;
        long k;
        while ((k = keys[slot]) != 0)
        {
            if (k == key && check(meta[slot]) == check)
            {
                return slot;
            }
            slot = slot + 1 & mask;
        }
        return -1;
    }

    /**
     * @return the slot of (key, check), added (value 0, meta with the check only, aux 0) when absent; callers
     * tell the two apart with {@link #lastAdded()}
     */
    int findOrAdd(final long key, final int check)
    {
        int slot = spread(key) & mask;
        long k;
        while ((k = keys[slot]) != 0)
        {
            if (k == key && check(meta[slot]) == check)
            {
                added = false;
                return slot;
            }
            slot = slot + 1 & mask;
        }
        if (size >= resizeAt)
        {
            grow();
            return findOrAdd(key, check);
        }
        keys[slot] = key;
        values[slot] = 0;
        meta[slot] = (long)check << 32;
        for (int c = 0; c < auxColumns; c++)
        {
            aux[c][slot] = 0;
        }
        size++;
        added = true;
        return slot;
    }

    private boolean added;

    boolean lastAdded()
    {
        return added;
    }

    long key(final int slot)
    {
        return keys[slot];
    }

    long value(final int slot)
    {
        return values[slot];
    }

    void value(final int slot, final long value)
    {
        values[slot] = value;
    }

    long meta(final int slot)
    {
        return meta[slot];
    }

    void meta(final int slot, final long value)
    {
        meta[slot] = value;
    }

    int flagsAt(final int slot)
    {
        return flags(meta[slot]);
    }

    void flagsAt(final int slot, final int flags)
    {
        meta[slot] = meta[slot] & ~(0xFFFFL << 16) | (flags & 0xFFFFL) << 16;
    }

    long aux(final int column, final int slot)
    {
        return aux[column][slot];
    }

    void aux(final int column, final int slot, final long value)
    {
        aux[column][slot] = value;
    }

    /** Adds a record read from a snapshot (no such key may be present). */
    void putRaw(final long key, final long value, final long metaValue, final long[] auxValues)
    {
        final int slot = findOrAdd(key, check(metaValue));
        values[slot] = value;
        meta[slot] = metaValue;
        for (int c = 0; c < auxColumns; c++)
        {
            aux[c][slot] = auxValues[c];
        }
    }

    /** Whether the slot holds an object (for walking all slots from 0 to {@link #capacity()}). */
    boolean occupied(final int slot)
    {
        return keys[slot] != 0;
    }

    /** Removes the object in {@code slot}; later objects of its probe run move back (slots change). */
    void removeAt(final int slot)
    {
        int hole = slot;
        int next = hole + 1 & mask;
        long k;
        while ((k = keys[next]) != 0)
        {
            final int home = spread(k) & mask;
            // move the entry back into the hole unless its home lies cyclically in (hole, next]
            if (hole <= next ? home <= hole || home > next : home <= hole && home > next)
            {
                move(next, hole);
                hole = next;
            }
            next = next + 1 & mask;
        }
        keys[hole] = 0;
        size--;
    }

    /** Removes (key, check) if present; returns whether it was. */
    boolean remove(final long key, final int check)
    {
        final int slot = find(key, check);
        if (slot < 0)
        {
            return false;
        }
        removeAt(slot);
        return true;
    }

    void clear()
    {
        Arrays.fill(keys, 0);
        size = 0;
    }

    private void move(final int from, final int to)
    {
        keys[to] = keys[from];
        values[to] = values[from];
        meta[to] = meta[from];
        for (int c = 0; c < auxColumns; c++)
        {
            aux[c][to] = aux[c][from];
        }
    }

    private void grow()
    {
        final long[] oldKeys = keys;
        final long[] oldValues = values;
        final long[] oldMeta = meta;
        final long[][] oldAux = aux;
        allocate(oldKeys.length << 1);
        for (int i = 0; i < oldKeys.length; i++)
        {
            final long k = oldKeys[i];
            if (k != 0)
            {
                int slot = spread(k) & mask;
                while (keys[slot] != 0)
                {
                    slot = slot + 1 & mask;
                }
                keys[slot] = k;
                values[slot] = oldValues[i];
                meta[slot] = oldMeta[i];
                for (int c = 0; c < auxColumns; c++)
                {
                    aux[c][slot] = oldAux[c][i];
                }
            }
        }
    }

    /** The hash is already mixed; fold the high bits in for small tables. */
    private static int spread(final long key)
    {
        return (int)(key ^ key >>> 32);
    }
}
