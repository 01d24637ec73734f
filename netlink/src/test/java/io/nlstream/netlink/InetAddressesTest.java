package io.nlstream.netlink;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InetAddressesTest
{
    private static ByteBuffer hex(final String hex)
    {
        final byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return ByteBuffer.wrap(b);
    }

    @Test
    void ipv4DottedQuad()
    {
        assertEquals("192.0.2.1", InetAddresses.format(hex("c0000201"), 0, 4));
        assertEquals("255.255.255.255", InetAddresses.format(hex("ffffffff"), 0, 4));
        assertEquals("0.0.0.0", InetAddresses.format(hex("00000000"), 0, 4));
        assertEquals("10.1.2.3", InetAddresses.format(hex("ee0a010203"), 1, 4));
    }

    /**
     * fixtures/inet6-ntop.txt holds what glibc's inet_ntop wrote on the capture machine.
     */
    @Test
    void ipv6AsGlibcInetNtopWritesIt()
    {
        int n = 0;
        for (final String line : Fixtures.text("inet6-ntop.txt").split("\n"))
        {
            if (line.startsWith("#") || line.isBlank())
            {
                continue;
            }
            final String[] parts = line.split(" ");
            final ByteBuffer buf = hex("abcd" + parts[0] + "ef");
            assertEquals(parts[1], InetAddresses.format(buf, 2, 16), parts[0]);
            n++;
        }
        assertEquals(519, n);
    }

    @Test
    void macAnyLength()
    {
        assertEquals("02:00:00:00:0b:00", InetAddresses.mac(hex("020000000b00"), 0, 6));
        assertEquals("", InetAddresses.mac(hex(""), 0, 0));
        assertEquals("ff", InetAddresses.mac(hex("ff"), 0, 1));
        assertEquals("80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:bc:de",
            InetAddresses.mac(hex("80000048fe800000000000000002c903000abcde"), 0, 20));
        assertEquals("01:02:03", InetAddresses.format(hex("010203"), 0, 3), "odd lengths as hex");
    }
}
