package io.nlstream.netlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Disk use as du counts it: a sparse file (as Chronicle Queue's cycle files are) takes what was written, not its length. */
class DiskUsageTest
{
    @TempDir
    Path tmp;

    @Test
    void aSparseFileTakesWhatWasWritten() throws Exception
    {
        assertTrue(DiskUsage.exact(), "stat(2) from glibc on " + System.getProperty("os.arch"));
        final Path sparse = tmp.resolve("sparse");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw"))
        {
            f.setLength(64L << 20);
            f.seek(1 << 20);
            f.write(new byte[4096]);
        }
        assertEquals(64L << 20, Files.size(sparse));
        final long used = DiskUsage.bytes(sparse);
        assertTrue(used >= 4096 && used < 1L << 20, "a 64 MiB file with 4 KiB written takes " + used + " bytes");

        final Path dense = tmp.resolve("sub").resolve("dense");
        Files.createDirectories(dense.getParent());
        Files.write(dense, new byte[3 << 20]);
        final long full = DiskUsage.bytes(dense);
        assertTrue(full >= 3L << 20 && full < (3L << 20) + (1 << 20), "3 MiB written takes " + full);
        assertEquals(used + full, DiskUsage.tree(tmp), "regular files only, in subdirectories too");
        assertEquals(0, DiskUsage.bytes(tmp.resolve("gone")));
    }
}
