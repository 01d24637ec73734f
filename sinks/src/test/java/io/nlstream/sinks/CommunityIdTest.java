package io.nlstream.sinks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published baseline of the Community ID spec (corelight/community-id-spec, {@code baseline/}):
 * the README's tables for the default seed and seed 1, and flows from {@code baseline_deflt.json}.
 * The tables give ICMP as type and code, which is what {@link CommunityId#v1} takes. The JSON gives
 * ICMP as the ports after the spec's mapping: (type, counterpart) for a request/reply type, whose code
 * is then 0 in these captures, and (type, code) for a one-way type; the rows below are written back as
 * type and code.
 */
class CommunityIdTest
{
    private static final int ICMP = 1;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int RSVP = 46;
    private static final int ICMPV6 = 58;
    private static final int SCTP = 132;

    private static final String V6A = "fe80:0001:0203:0405:0607:0809:0A0B:0C0D";
    private static final String V6B = "fe80:1011:1213:1415:1617:1819:1A1B:1C1D";

    static byte[] ip(final String literal)
    {
        try
        {
            // a literal: parsed, never looked up
            return InetAddress.getByName(literal).getAddress();
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static Stream<Arguments> readmeTables()
    {
        return Stream.of(
            // seed, proto, saddr, daddr, sport (ICMP type), dport (ICMP code), id
            Arguments.of(0, TCP, "1.2.3.4", "5.6.7.8", 1122, 3344, "1:wCb3OG7yAFWelaUydu0D+125CLM="),
            Arguments.of(0, TCP, "5.6.7.8", "1.2.3.4", 3344, 1122, "1:wCb3OG7yAFWelaUydu0D+125CLM="),
            Arguments.of(0, UDP, "1.2.3.4", "5.6.7.8", 1122, 3344, "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg="),
            Arguments.of(0, UDP, "5.6.7.8", "1.2.3.4", 3344, 1122, "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg="),
            Arguments.of(0, SCTP, "1.2.3.4", "5.6.7.8", 1122, 3344, "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8="),
            Arguments.of(0, SCTP, "5.6.7.8", "1.2.3.4", 3344, 1122, "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8="),
            Arguments.of(0, ICMP, "1.2.3.4", "5.6.7.8", 8, 0, "1:crodRHL2FEsHjbv3UkRrfbs4bZ0="),
            Arguments.of(0, ICMP, "5.6.7.8", "1.2.3.4", 0, 0, "1:crodRHL2FEsHjbv3UkRrfbs4bZ0="),
            Arguments.of(0, ICMP, "1.2.3.4", "5.6.7.8", 11, 0, "1:f/YiSyWqczrTgfUCZlBUnvHRcPk="),
            Arguments.of(0, ICMPV6, V6A, V6B, 128, 0, "1:0bf7hyMJUwt3fMED7z8LIfRpBeo="),
            Arguments.of(0, ICMPV6, V6B, V6A, 129, 0, "1:0bf7hyMJUwt3fMED7z8LIfRpBeo="),
            Arguments.of(0, ICMPV6, V6A, V6B, 146, 0, "1:fYC8+pz24E+EhANP1EZhpX0Dw10="),
            Arguments.of(0, RSVP, "1.2.3.4", "5.6.7.8", -1, -1, "1:ikv3kmf89luf73WPz1jOs49S768="),
            Arguments.of(0, RSVP, "5.6.7.8", "1.2.3.4", -1, -1, "1:ikv3kmf89luf73WPz1jOs49S768="),
            Arguments.of(0, RSVP, V6A, V6B, -1, -1, "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0="),
            Arguments.of(0, RSVP, V6B, V6A, -1, -1, "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0="),

            Arguments.of(1, TCP, "1.2.3.4", "5.6.7.8", 1122, 3344, "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk="),
            Arguments.of(1, TCP, "5.6.7.8", "1.2.3.4", 3344, 1122, "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk="),
            Arguments.of(1, UDP, "1.2.3.4", "5.6.7.8", 1122, 3344, "1:OShq+iKDAMVouh/4bMxB9Sz4amw="),
            Arguments.of(1, SCTP, "5.6.7.8", "1.2.3.4", 3344, 1122, "1:uitchpn5MMGAQKBJh7bIr/bAr7s="),
            Arguments.of(1, ICMP, "1.2.3.4", "5.6.7.8", 8, 0, "1:9pr4ZGTICiuZoIh90RRYE2RyXpU="),
            Arguments.of(1, ICMP, "5.6.7.8", "1.2.3.4", 0, 0, "1:9pr4ZGTICiuZoIh90RRYE2RyXpU="),
            Arguments.of(1, ICMP, "1.2.3.4", "5.6.7.8", 11, 0, "1:1DD7cWGC/Yg91YGsQeni8du3pIA="),
            Arguments.of(1, ICMPV6, V6A, V6B, 128, 0, "1:IO27GQzPuCtNnwFvjWALMHu5tJE="),
            Arguments.of(1, ICMPV6, V6B, V6A, 129, 0, "1:IO27GQzPuCtNnwFvjWALMHu5tJE="),
            Arguments.of(1, ICMPV6, V6A, V6B, 146, 0, "1:Cv4IKJe56BNkF0MBW2YxQ3Nwc3s="),
            Arguments.of(1, RSVP, "5.6.7.8", "1.2.3.4", -1, -1, "1:/buhqeOmaRCopOZFy9HnoJd5XW8="),
            Arguments.of(1, RSVP, V6A, V6B, -1, -1, "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM="));
    }

    static Stream<Arguments> baselineJson()
    {
        return Stream.of(
            // proto, saddr, daddr, sport (ICMP type), dport (ICMP code), id
            Arguments.of(ICMPV6, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 0,
                "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="),  // neighbor solicitation ...
            Arguments.of(ICMPV6, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 0,
                "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="),  // ... and its advertisement: one flow
            Arguments.of(ICMPV6, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 0,
                "1:zavyT/cezQr1fmImYCwYnMXbgck="),  // a solicitation the other way: another flow
            Arguments.of(ICMPV6, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0,
                "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="),  // time exceeded: one-way
            Arguments.of(ICMPV6, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4,
                "1:hLZd0XGWojozrvxqE0dWB1iM6R0="),  // destination unreachable, port: one-way, code counts
            Arguments.of(ICMPV6, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 0,
                "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="),
            Arguments.of(ICMPV6, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 0,
                "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="),
            Arguments.of(ICMPV6, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 0, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="),
            Arguments.of(ICMPV6, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 0, "1:pkvHqCL88/tg1k4cPigmZXUtL00="),
            Arguments.of(ICMP, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="),
            Arguments.of(ICMP, "192.168.0.1", "192.168.0.89", 0, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="),
            Arguments.of(ICMP, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="),
            Arguments.of(TCP, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25,
                "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="),
            Arguments.of(TCP, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943,
                "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="),
            Arguments.of(SCTP, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="),
            Arguments.of(SCTP, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="),
            // 128.x sorts after 66.x: addresses compare as unsigned bytes
            Arguments.of(TCP, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="),
            Arguments.of(TCP, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="),
            Arguments.of(UDP, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="),
            Arguments.of(UDP, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="),
            Arguments.of(RSVP, "10.1.12.1", "10.1.12.2", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="),
            Arguments.of(RSVP, "10.1.12.2", "10.1.12.1", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="));
    }

    @ParameterizedTest(name = "seed {0} proto {1} {2}/{4} -> {3}/{5}")
    @MethodSource("readmeTables")
    void readmeTables(final int seed, final int proto, final String saddr, final String daddr, final int sport,
        final int dport, final String id)
    {
        assertEquals(id, CommunityId.v1(seed, ip(saddr), ip(daddr), proto, sport, dport));
        assertEquals(id, new CommunityId(seed).compute(ip(saddr), ip(daddr), proto, sport, dport));
    }

    @ParameterizedTest(name = "proto {0} {1}/{3} -> {2}/{4}")
    @MethodSource("baselineJson")
    void baselineJson(final int proto, final String saddr, final String daddr, final int sport, final int dport,
        final String id)
    {
        assertEquals(id, CommunityId.v1(ip(saddr), ip(daddr), proto, sport, dport));
    }

    @Test
    void oneInstanceGivesTheSameIdsOverAndOver()
    {
        final CommunityId ids = new CommunityId();
        for (int i = 0; i < 3; i++)
        {
            assertEquals("1:wCb3OG7yAFWelaUydu0D+125CLM=", ids.compute(ip("1.2.3.4"), ip("5.6.7.8"), TCP, 1122, 3344));
            assertEquals("1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=", ids.compute(ip(V6B), ip(V6A), RSVP, -1, -1));
        }
    }

    @Test
    void oneWayIcmpIsNotReordered()
    {
        // a destination unreachable answering a flow goes the other way, and is a flow of its own
        final String there = CommunityId.v1(ip("10.0.0.1"), ip("10.0.0.2"), ICMP, 3, 3);
        final String back = CommunityId.v1(ip("10.0.0.2"), ip("10.0.0.1"), ICMP, 3, 3);
        assertNotEquals(there, back);
        // the code matters for one-way types, not for request/reply types
        assertNotEquals(there, CommunityId.v1(ip("10.0.0.1"), ip("10.0.0.2"), ICMP, 3, 1));
        assertEquals(CommunityId.v1(ip("10.0.0.1"), ip("10.0.0.2"), ICMP, 8, 0),
            CommunityId.v1(ip("10.0.0.1"), ip("10.0.0.2"), ICMP, 8, 5));
    }

    @Test
    void equalAddressesAreOrderedByPort()
    {
        assertEquals(CommunityId.v1(ip("127.0.0.1"), ip("127.0.0.1"), TCP, 40000, 80),
            CommunityId.v1(ip("127.0.0.1"), ip("127.0.0.1"), TCP, 80, 40000));
        assertEquals(CommunityId.v1(ip("::1"), ip("::1"), UDP, 53, 53),
            CommunityId.v1(ip("::1"), ip("::1"), UDP, 53, 53));
    }

    @Test
    void mappingTablesArePairs()
    {
        for (int type = 0; type < 256; type++)
        {
            final int v4 = CommunityId.icmpCounterpart(type);
            assertTrue(v4 < 0 || CommunityId.icmpCounterpart(v4) == type, "ICMP " + type);
            final int v6 = CommunityId.icmpv6Counterpart(type);
            assertTrue(v6 < 0 || CommunityId.icmpv6Counterpart(v6) == type, "ICMPv6 " + type);
        }
        assertTrue(CommunityId.hasPorts(TCP));
        assertTrue(CommunityId.hasPorts(ICMPV6));
        assertFalse(CommunityId.hasPorts(136), "UDP-Lite: conntrack has ports, monitors hash none");
        assertFalse(CommunityId.hasPorts(RSVP));
    }

    @Test
    void rejectsWhatTheSpecCannotHash()
    {
        final byte[] v4 = ip("1.2.3.4");
        final byte[] v6 = ip("::1");
        assertThrows(IllegalArgumentException.class, () -> CommunityId.v1(v4, v6, TCP, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> CommunityId.v1(new byte[5], new byte[5], TCP, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> CommunityId.v1(null, v4, TCP, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> CommunityId.v1(v4, v4, 256, -1, -1));
        assertThrows(IllegalArgumentException.class, () -> CommunityId.v1(v4, v4, TCP, -1, -1));
        assertThrows(IllegalArgumentException.class, () -> CommunityId.v1(v4, v4, TCP, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> CommunityId.v1(v4, v4, TCP, 1, 65536));
        assertThrows(IllegalArgumentException.class, () -> CommunityId.v1(v4, v4, ICMP, 300, 0));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CommunityId(70000));
        assertEquals("Invalid value 70000 for seed: must be 0 to 65535", e.getMessage());
    }
}
