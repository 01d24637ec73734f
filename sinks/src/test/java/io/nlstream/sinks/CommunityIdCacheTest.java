package io.nlstream.sinks;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ids an instance keeps for repeated flows are never another flow's: one long-lived instance, asked for
 * many flows in random order and again (hits, misses, slots taken over by other flows), gives what a fresh
 * instance computes for each.
 */
class CommunityIdCacheTest
{
    @Test
    void keptIdsAreAlwaysTheFlowsOwn()
    {
        final Random random = new Random(9);
        final int flows = 3_000;
        final ByteBuffer buf = ByteBuffer.allocate(flows * 32);
        final int[] lengths = new int[flows];
        final int[] protos = new int[flows];
        final int[] sports = new int[flows];
        final int[] dports = new int[flows];
        for (int i = 0; i < flows; i++)
        {
            lengths[i] = random.nextBoolean() ? 4 : 16;
            for (int j = 0; j < 32; j++)
            {
                // few distinct bytes: many flows differ in one byte only
                buf.put(i * 32 + j, (byte)random.nextInt(3));
            }
            protos[i] = random.nextBoolean() ? 6 : 17;
            sports[i] = random.nextInt(4);
            dports[i] = random.nextInt(4);
        }
        final String[] expected = new String[flows];
        final byte[] b = new byte[CommunityId.LENGTH];
        for (int i = 0; i < flows; i++)
        {
            new CommunityId().compute(buf, i * 32, i * 32 + 16, lengths[i], protos[i], sports[i], dports[i], b, 0);
            expected[i] = new String(b);
        }
        final CommunityId kept = new CommunityId();
        final byte[] a = new byte[CommunityId.LENGTH];
        for (int round = 0; round < 200_000; round++)
        {
            final int i = random.nextInt(flows) % (round < 100_000 ? 300 : flows);
            kept.compute(buf, i * 32, i * 32 + 16, lengths[i], protos[i], sports[i], dports[i], a, 0);
            assertEquals(expected[i], new String(a), "flow " + i + " in round " + round);
        }
    }
}
