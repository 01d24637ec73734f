package io.nlstream.monitor.read;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The primitive object table against a HashMap doing the same: random adds, updates and removals, with keys
 * chosen to collide (long probe runs, wrap-around at the end of the array, backward-shift deletion), and a
 * table that grows from its smallest size.
 */
class ObjectTableTest
{
    private record Key(long key, int check)
    {
    }

    @Test
    void behavesAsAMapUnderRandomOperations()
    {
        for (final long seed : new long[] {1, 2, 3, 42, 1234567})
        {
            run(new Random(seed), 200_000, 5_000, false);
        }
    }

    @Test
    void collidingKeysAndWrapAround()
    {
        // keys whose spread() lands on few slots, so runs are long and cross the array's end
        for (final long seed : new long[] {7, 8, 9})
        {
            run(new Random(seed), 100_000, 300, true);
        }
    }

    @Test
    void sameKeyDifferentCheckAreTwoObjects()
    {
        final ObjectTable t = new ObjectTable(1);
        final int a = t.findOrAdd(99, 1);
        t.value(a, 10);
        final int b = t.findOrAdd(99, 2);
        t.value(b, 20);
        assertEquals(2, t.size());
        assertEquals(10, t.value(t.find(99, 1)));
        assertEquals(20, t.value(t.find(99, 2)));
        assertTrue(t.remove(99, 1));
        assertEquals(-1, t.find(99, 1));
        assertEquals(20, t.value(t.find(99, 2)));
    }

    @Test
    void metaPacksItsFields()
    {
        final long meta = ObjectTable.meta(0xCAFEBABE, 10, 17, 0x8001);
        assertEquals(0xCAFEBABE, ObjectTable.check(meta));
        assertEquals(10, ObjectTable.family(meta));
        assertEquals(17, ObjectTable.proto(meta));
        assertEquals(0x8001, ObjectTable.flags(meta));
        assertEquals(ObjectTable.meta(-1, 255, 255, 0xFFFF), -1L);
    }

    @Test
    void aMillionObjectsFitTheBudget()
    {
        // the target: at most 64 bytes of heap per live object (conn tables have no aux columns)
        final ObjectTable t = new ObjectTable(0);
        final Random r = new Random(5);
        for (int i = 0; i < 1_000_000; i++)
        {
            long k = r.nextLong();
            k = k == 0 ? 1 : k;
            t.value(t.findOrAdd(k, r.nextInt()), i);
        }
        assertEquals(1_000_000, t.size());
        assertTrue(t.bytes() / t.size() <= 64, t.bytes() / t.size() + " bytes per object");
    }

    private static void run(final Random r, final int operations, final int keySpace, final boolean colliding)
    {
        final ObjectTable t = new ObjectTable(2);
        final Map<Key, long[]> model = new HashMap<>();
        final long[] keys = new long[keySpace];
        for (int i = 0; i < keySpace; i++)
        {
            // colliding: the same low bits of (key ^ key >>> 32) for many keys
            long k = colliding ? ((long)r.nextInt(64) << 32 | r.nextInt(64) << 20) ^ ((long)r.nextInt(64) << 32) : r.nextLong();
            keys[i] = k == 0 ? 1 : k;
        }
        for (int op = 0; op < operations; op++)
        {
            final Key k = new Key(keys[r.nextInt(keySpace)], r.nextInt(3));
            switch (r.nextInt(4))
            {
                case 0:
                case 1:
                {
                    final int slot = t.findOrAdd(k.key(), k.check());
                    assertEquals(!model.containsKey(k), t.lastAdded());
                    final long v = r.nextLong();
                    t.value(slot, v);
                    t.aux(0, slot, v + 1);
                    t.aux(1, slot, v + 2);
                    model.put(k, new long[] {v, v + 1, v + 2});
                    break;
                }
                case 2:
                    assertEquals(model.remove(k) != null, t.remove(k.key(), k.check()));
                    break;
                default:
                {
                    final int slot = t.find(k.key(), k.check());
                    final long[] v = model.get(k);
                    if (v == null)
                    {
                        assertEquals(-1, slot);
                    }
                    else
                    {
                        assertEquals(v[0], t.value(slot));
                        assertEquals(v[1], t.aux(0, slot));
                        assertEquals(v[2], t.aux(1, slot));
                    }
                }
            }
            assertEquals(model.size(), t.size());
        }
        int seen = 0;
        for (int slot = 0; slot < t.capacity(); slot++)
        {
            if (t.occupied(slot))
            {
                seen++;
                final long[] v = model.get(new Key(t.key(slot), ObjectTable.check(t.meta(slot))));
                assertEquals(v[0], t.value(slot));
            }
        }
        assertEquals(model.size(), seen);
        for (final Key k : model.keySet())
        {
            assertFalse(t.find(k.key(), k.check()) < 0, k.toString());
        }
    }
}
