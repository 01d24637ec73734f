package io.nlstream.monitor.read;

import java.util.Arrays;

/**
 * The live objects of one kind in one namespace: identity hash -> journal index of the object's latest
 * record, in one primitive array (open addressing, linear probing, backward-shift deletion), so an object
 * costs a few longs, not a decoded event. What a reader prints is decoded from the journal when asked.
 *
 * <pre>
 * slot i occupies slots[i * stride .. i * stride + stride - 1]:
 *   +0 key    64-bit identity hash (0: empty slot)            see {@link IdentityHash}
 *   +1 value  journal index of the object's latest record
 *   +2 meta   check hash (high 32 bits) | flags (bits 16-31) | proto (bits 8-15) | family (bits 0-7)
 *   +3 ...    per-kind columns (a content hash, an inode, ...), when the kind has them
 * </pre>
 * One array of records rather than an array per field: a lookup and its neighbours in the probe run share a
 * cache line or two, which at a million objects is most of a lookup's cost. Not thread safe.
 */
final class ObjectTable
{
    static final int MIN_CAPACITY = 16;
    private static final int KEY = 0;
    private static final int VALUE = 1;
    private static final int META = 2;
    private static final int AUX = 3;

    private final int auxColumns;
    private final int stride;
    private long[] slots;
    private int mask;
    private int size;
    private int resizeAt;
    private boolean added;

    ObjectTable(final int auxColumns)
    {
        this(auxColumns, MIN_CAPACITY);
    }

    ObjectTable(final int auxColumns, final int capacity)
    {
        this.auxColumns = auxColumns;
        this.stride = AUX + auxColumns;
        allocate(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1));
    }

    private void allocate(final int capacity)
    {
        if ((long)capacity * stride > Integer.MAX_VALUE - 8)
        {
            throw new IllegalStateException("object table of " + capacity + " slots x " + stride + " longs: more than a Java array holds");
        }
        slots = new long[capacity * stride];
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
        return mask + 1;
    }

    int auxColumns()
    {
        return auxColumns;
    }

    /** Heap bytes of the array. */
    long bytes()
    {
        return (long)slots.length * 8L;
    }

    /** @return the slot holding (key, check), or -1 */
    int find(final long key, final int check)
    {
        final long[] s = slots;
        final int stride = this.stride;
        int slot = spread(key) & mask;
        long k;
        while ((k = s[slot * stride]) != 0)
        {
            if (k == key && check(s[slot * stride + META]) == check)
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
        final long[] s = slots;
        final int stride = this.stride;
        int slot = spread(key) & mask;
        long k;
        while ((k = s[slot * stride]) != 0)
        {
            if (k == key && check(s[slot * stride + META]) == check)
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
        final int at = slot * stride;
        s[at] = key;
        s[at + VALUE] = 0;
        s[at + META] = (long)check << 32;
        for (int c = 0; c < auxColumns; c++)
        {
            s[at + AUX + c] = 0;
        }
        size++;
        added = true;
        return slot;
    }

    boolean lastAdded()
    {
        return added;
    }

    long key(final int slot)
    {
        return slots[slot * stride];
    }

    long value(final int slot)
    {
        return slots[slot * stride + VALUE];
    }

    void value(final int slot, final long value)
    {
        slots[slot * stride + VALUE] = value;
    }

    long meta(final int slot)
    {
        return slots[slot * stride + META];
    }

    void meta(final int slot, final long value)
    {
        slots[slot * stride + META] = value;
    }

    int flagsAt(final int slot)
    {
        return flags(meta(slot));
    }

    void flagsAt(final int slot, final int flags)
    {
        final int at = slot * stride + META;
        slots[at] = slots[at] & ~(0xFFFFL << 16) | (flags & 0xFFFFL) << 16;
    }

    long aux(final int column, final int slot)
    {
        return slots[slot * stride + AUX + column];
    }

    void aux(final int column, final int slot, final long value)
    {
        slots[slot * stride + AUX + column] = value;
    }

    /** Adds a record read from a snapshot (no such key may be present). */
    void putRaw(final long key, final long value, final long metaValue, final long[] auxValues)
    {
        final int at = findOrAdd(key, check(metaValue)) * stride;
        slots[at + VALUE] = value;
        slots[at + META] = metaValue;
        for (int c = 0; c < auxColumns; c++)
        {
            slots[at + AUX + c] = auxValues[c];
        }
    }

    /** Whether the slot holds an object (for walking all slots from 0 to {@link #capacity()}). */
    boolean occupied(final int slot)
    {
        return slots[slot * stride] != 0;
    }

    /** Removes the object in {@code slot}; later objects of its probe run move back (slots change). */
    void removeAt(final int slot)
    {
        int hole = slot;
        int next = hole + 1 & mask;
        long k;
        while ((k = slots[next * stride]) != 0)
        {
            final int home = spread(k) & mask;
            // move the entry back into the hole unless its home lies cyclically in (hole, next]
            if (hole <= next ? home <= hole || home > next : home <= hole && home > next)
            {
                System.arraycopy(slots, next * stride, slots, hole * stride, stride);
                hole = next;
            }
            next = next + 1 & mask;
        }
        slots[hole * stride] = 0;
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
        java.util.Arrays.fill(slots, 0);
        size = 0;
    }

    private void grow()
    {
        final long[] old = slots;
        final int oldCapacity = mask + 1;
        allocate(oldCapacity << 1);
        for (int i = 0; i < oldCapacity; i++)
        {
            final long k = old[i * stride];
            if (k != 0)
            {
                int slot = spread(k) & mask;
                while (slots[slot * stride] != 0)
                {
                    slot = slot + 1 & mask;
                }
                System.arraycopy(old, i * stride, slots, slot * stride, stride);
            }
        }
    }

    /** The hash is already mixed; fold the high bits in for small tables. */
    private static int spread(final long key)
    {
        return (int)(key ^ key >>> 32);
    }
}
