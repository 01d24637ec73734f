package io.nlstream.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nlstream.config.FilterSpec.Cidr;
import io.nlstream.config.FilterSpec.PortRange;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FilterSpec's values and the element parsers behind the filter settings. */
class FilterSpecTest
{
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        10.1.2.3                                | 10.1.2.3/32
        10.0.0.0/8                              | 10.0.0.0/8
        10.1.2.3/8                              | 10.0.0.0/8
        192.168.1.255/23                        | 192.168.0.0/23
        0.0.0.0/0                               | 0.0.0.0/0
        255.255.255.255/32                      | 255.255.255.255/32
        ::1                                     | ::1/128
        ::                                      | ::/128
        ::/0                                    | ::/0
        fd00::/8                                | fd00::/8
        FD12:3456::1/48                         | fd12:3456::/48
        2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1/128
        2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1/128
        1:0:2:3:4:5:6:7                         | 1:0:2:3:4:5:6:7/128
        1:2:3:4:5:6:7:8                         | 1:2:3:4:5:6:7:8/128
        1::                                     | 1::/128
        fe80::1:2/64                            | fe80::/64
        ::ffff:10.1.2.3                         | ::ffff:10.1.2.3/128
        ::ffff:10.1.2.3/104                     | ::ffff:10.0.0.0/104
        ::ffff:0:0/96                           | ::ffff:0.0.0.0/96
        1:2:3:4:5:6:10.0.0.1                    | 1:2:3:4:5:6:a00:1/128
        10.0.0.0/08                             | 10.0.0.0/8
        """)
    void readsAddressLiteralsAndClearsHostBits(String text, String canonical)
    {
        assertEquals(canonical, Cidr.parse(text).toString());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
        localhost                 | localhost is not an IP address or CIDR
        example.com               | example.com is not an IP address or CIDR
        10.0.0                    | 10.0.0 is not an IP address or CIDR
        10.0.0.0.0                | 10.0.0.0.0 is not an IP address or CIDR
        10.0.0.256                | 10.0.0.256 is not an IP address or CIDR
        010.0.0.1                 | 010.0.0.1 is not an IP address or CIDR
        0x0a.0.0.1                | 0x0a.0.0.1 is not an IP address or CIDR
        167772161                 | 167772161 is not an IP address or CIDR
        10.0.0.0/                 | 10.0.0.0/ is not an IP address or CIDR
        10.0.0.0/-1               | 10.0.0.0/-1 is not an IP address or CIDR
        10.0.0.0/8/8              | 10.0.0.0/8/8 is not an IP address or CIDR
        10.0.0.0/0008             | 10.0.0.0/0008 is not an IP address or CIDR
        /8                        | /8 is not an IP address or CIDR
        fe80::1%eth0              | fe80::1%eth0 is not an IP address or CIDR
        [::1]                     | [::1] is not an IP address or CIDR
        1:2:3:4:5:6:7:8:9         | 1:2:3:4:5:6:7:8:9 is not an IP address or CIDR
        1:2:3:4:5:6:7             | 1:2:3:4:5:6:7 is not an IP address or CIDR
        1:2:3:4::5:6:7:8          | 1:2:3:4::5:6:7:8 is not an IP address or CIDR
        1::2::3                   | 1::2::3 is not an IP address or CIDR
        :::1                      | :::1 is not an IP address or CIDR
        :1::                      | :1:: is not an IP address or CIDR
        1::2:                     | 1::2: is not an IP address or CIDR
        12345::                   | 12345:: is not an IP address or CIDR
        ::g                       | ::g is not an IP address or CIDR
        1.2.3.4::                 | 1.2.3.4:: is not an IP address or CIDR
        ::1.2.3                   | ::1.2.3 is not an IP address or CIDR
        1:2:3:4:5:6:7:1.2.3.4     | 1:2:3:4:5:6:7:1.2.3.4 is not an IP address or CIDR
        10.0.0.0/33               | 10.0.0.0/33 has a prefix length above 32
        ::/129                    | ::/129 has a prefix length above 128
        """)
    void neverLooksANameUp(String text, String message)
    {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text)).getMessage());
    }

    private static byte[] ip(String literal)
    {
        Cidr cidr = Cidr.parse(literal);
        assertEquals(cidr.address().length * 8, cidr.prefixLength(), literal);
        return cidr.address();
    }

    @ParameterizedTest(name = "{0} holds {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        10.0.0.0/8          | 10.255.0.1       | true
        10.0.0.0/8          | 11.0.0.0         | false
        10.128.0.0/9        | 10.200.0.0       | true
        10.128.0.0/9        | 10.100.0.0       | false
        10.1.2.3/32         | 10.1.2.3         | true
        10.1.2.3/32         | 10.1.2.4         | false
        0.0.0.0/0           | 203.0.113.9      | true
        0.0.0.0/0           | 2001:db8::1      | false
        10.0.0.0/8          | ::ffff:10.1.2.3  | true
        10.0.0.0/8          | ::ffff:11.1.2.3  | false
        10.0.0.0/8          | ::10.1.2.3       | false
        10.0.0.0/8          | 2001:db8::1      | false
        ::ffff:10.0.0.0/104 | 10.1.2.3         | true
        ::ffff:10.0.0.0/104 | 11.1.2.3         | false
        ::ffff:10.0.0.0/104 | ::ffff:10.1.2.3  | true
        ::ffff:0:0/96       | 192.0.2.1        | true
        ::ffff:10.1.2.3     | 10.1.2.3         | true
        ::/0                | 192.0.2.1        | false
        ::/0                | ::ffff:192.0.2.1 | true
        ::/64               | 192.0.2.1        | false
        fd00::/8            | fd12:3456::1     | true
        fd00::/8            | fe80::1          | false
        fd00::/8            | 10.0.0.1         | false
        fe80::/10           | febf::1          | true
        fe80::/10           | fec0::1          | false
        """)
    void containsAcrossFamiliesOnlyThroughMappedAddresses(String cidr, String address, boolean contained)
    {
        assertEquals(contained, Cidr.parse(cidr).contains(ip(address)));
    }

    @Test
    void aCidrIsAnImmutableValue()
    {
        byte[] bytes = {10, 1, 2, 3};
        Cidr cidr = new Cidr(bytes, 8);
        bytes[0] = 11;
        assertArrayEquals(new byte[] {10, 0, 0, 0}, cidr.address());
        cidr.address()[0] = 12;
        assertEquals("10.0.0.0/8", cidr.toString());
        assertEquals(Cidr.parse("10.0.0.0/8"), cidr);
        assertEquals(Cidr.parse("10.0.0.0/8").hashCode(), cidr.hashCode());
        assertNotEquals(Cidr.parse("10.0.0.0/9"), cidr);
        assertNotEquals(Cidr.parse("::ffff:10.0.0.0/104"), cidr);
        assertThrows(IllegalArgumentException.class, () -> new Cidr(new byte[5], 8));
        assertThrows(IllegalArgumentException.class, () -> new Cidr(new byte[4], 33));
        assertThrows(IllegalArgumentException.class, () -> new Cidr(new byte[16], -1));
        assertThrows(IllegalArgumentException.class, () -> cidr.contains(new byte[6]));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        80         | 80    | 80
        0          | 0     | 0
        65535      | 65535 | 65535
        8000-8080  | 8000  | 8080
        22-22      | 22    | 22
        0-65535    | 0     | 65535
        080        | 80    | 80
        """)
    void readsPortsAndRanges(String text, int lo, int hi)
    {
        PortRange range = PortRange.parse(text);
        assertEquals(new PortRange(lo, hi), range);
        assertTrue(range.contains(lo) && range.contains(hi));
        assertFalse(range.contains(lo - 1) || range.contains(hi + 1));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
        65536       | 65536 is out of range
        80-65536    | 80-65536 is out of range
        99999999999999999999 | 99999999999999999999 is out of range
        80-70       | 80-70 has its low end above its high end
        http        | http is not a port or range
        -80         | -80 is not a port or range
        80-         | 80- is not a port or range
        1-2-3       | 1-2-3 is not a port or range
        +80         | +80 is not a port or range
        8000 - 8080 | 8000 - 8080 is not a port or range
        1_000       | 1_000 is not a port or range
        """)
    void rejectsBadPorts(String text, String message)
    {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> PortRange.parse(text)).getMessage());
    }

    @Test
    void protocolsByNameInAnyCaseOrNumber()
    {
        assertEquals(6, FilterSpec.protocol("TCP"));
        assertEquals(58, FilterSpec.protocol("ICMPv6"));
        assertEquals(136, FilterSpec.protocol("udplite"));
        assertEquals(0, FilterSpec.protocol("0"));
        assertEquals(255, FilterSpec.protocol("255"));
        assertEquals("256 is out of range",
            assertThrows(IllegalArgumentException.class, () -> FilterSpec.protocol("256")).getMessage());
        assertEquals("ipv6 is not a protocol name or number",
            assertThrows(IllegalArgumentException.class, () -> FilterSpec.protocol("ipv6")).getMessage());
    }

    @Test
    void namespaceInodesLoseLeadingZeros()
    {
        assertEquals("4026531840", FilterSpec.netns("4026531840"));
        assertEquals("7", FilterSpec.netns("007"));
        assertEquals("pod-a.1_b", FilterSpec.netns("pod-a.1_b"));
        assertThrows(IllegalArgumentException.class, () -> FilterSpec.netns("4294967296"));
        assertThrows(IllegalArgumentException.class, () -> FilterSpec.netns("."));
    }

    @Test
    void valuesAreDistinctAndImmutable()
    {
        List<Integer> protos = new java.util.ArrayList<>(List.of(6, 17, 6));
        FilterSpec spec = new FilterSpec(protos, List.of(new PortRange(80, 80), new PortRange(80, 80)),
            List.of(Cidr.parse("10.1.2.3/8"), Cidr.parse("10.0.0.0/8")), List.of("a", "a"), List.of(),
            List.of(), List.of(), List.of());
        protos.add(1);
        assertEquals(List.of(6, 17), spec.protos());
        assertEquals(List.of(new PortRange(80, 80)), spec.portRanges());
        assertEquals(List.of(Cidr.parse("10.0.0.0/8")), spec.ips());
        assertEquals(List.of("a"), spec.netns());
        assertThrows(UnsupportedOperationException.class, () -> spec.pids().add(1));
        assertFalse(spec.isEmpty());
        assertTrue(FilterSpec.NONE.isEmpty());
        assertFalse(new FilterSpec(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of("sshd")).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new PortRange(9, 8));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(-1, 8));
    }
}
