package io.nlstream.monitor.read;

/**
 * Sorts two parallel long arrays by the first, in place (ascending; ties in any order): a journal walk over
 * objects in index order reads the journal forward.
 */
final class LongPairSort
{
    private LongPairSort()
    {
    }

    static void sort(final long[] keys, final long[] values, final int length)
    {
        quicksort(keys, values, 0, length - 1);
    }

    private static void quicksort(final long[] a, final long[] b, final int from, final int to)
    {
        int lo = from;
        int hi = to;
        while (hi - lo > 16)
        {
            final long pivot = median(a[lo], a[lo + hi >>> 1], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }
                while (a[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    swap(a, b, i++, j--);
                }
            }
            // recurse into the smaller half, loop on the larger: stack depth stays logarithmic
            if (j - lo < hi - i)
            {
                quicksort(a, b, lo, j);
                lo = i;
            }
            else
            {
                quicksort(a, b, i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++)
        {
            for (int j = i; j > lo && a[j - 1] > a[j]; j--)
            {
                swap(a, b, j, j - 1);
            }
        }
    }

    private static long median(final long x, final long y, final long z)
    {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }

    private static void swap(final long[] a, final long[] b, final int i, final int j)
    {
        final long t = a[i];
        a[i] = a[j];
        a[j] = t;
        final long u = b[i];
        b[i] = b[j];
        b[j] = u;
    }
}
