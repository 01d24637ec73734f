package io.nlstream.netlink.testing;

import io.nlstream.netlink.Netlink;
import io.nlstream.netlink.NetlinkSocket;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leak check finds what a test leaves: a real netlink socket left open, a thread left running, and neither once
 * closed and stopped. (The other kinds, namespaces and temporary files, are compared the same way.)
 */
class LeakCheckTest
{
    @Test
    void aNetlinkSocketLeftOpenIsNamedAndNotOnceClosed()
    {
        final LeakCheck.Snapshot before = LeakCheck.snapshot();
        final List<String> open;
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE).bind())
        {
            // (bound: the kernel lists a netlink socket in /proc/net/netlink once it has a port id)
            open = LeakCheck.left(before, LeakCheck.snapshot());
        }
        assertEquals(1, open.size(), open.toString());
        assertTrue(open.get(0).matches("file descriptor \\d+ -> socket:\\[\\d+] \\(netlink: .*"), open.get(0));
        assertEquals(List.of(), LeakCheck.left(before, LeakCheck.snapshot()));
    }

    @Test
    void aThreadLeftRunningIsNamedAndNotOnceStopped() throws InterruptedException
    {
        final LeakCheck.Snapshot before = LeakCheck.snapshot();
        final CountDownLatch stop = new CountDownLatch(1);
        final Thread t = new Thread(() ->
        {
            try
            {
                stop.await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }, "nlstream-test-leaker");
        t.start();
        assertEquals(List.of("thread \"nlstream-test-leaker\""), LeakCheck.left(before, LeakCheck.snapshot()));
        stop.countDown();
        t.join();
        assertEquals(List.of(), LeakCheck.left(before, LeakCheck.snapshot()));
    }

    @Test
    void onlyWhatCodeUnderTestOpensCounts()
    {
        assertTrue(LeakCheck.leakable("socket:[123]"));
        assertTrue(LeakCheck.leakable("anon_inode:[eventpoll]"));
        assertTrue(LeakCheck.leakable("pipe:[77]"));
        assertTrue(LeakCheck.leakable(System.getProperty("java.io.tmpdir") + "/junit1/j/20261118-11F.cq4"));
        assertTrue(!LeakCheck.leakable(System.getProperty("java.io.tmpdir") + "/jazzer-agent-1.jar"));
        assertTrue(!LeakCheck.leakable("/usr/lib/jvm/java-17/lib/modules"));
    }
}
