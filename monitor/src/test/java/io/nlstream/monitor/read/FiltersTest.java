package io.nlstream.monitor.read;

import io.nlstream.config.FilterSpec;
import io.nlstream.config.NlstreamConfig;
import io.nlstream.config.UsageException;
import io.nlstream.monitor.testing.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filters on the typed event against a slow, obviously-correct reference that evaluates the same
 * filter on each event's printed JSON: over the kernel-made v1 journal, each row's filtered replay and
 * state equal the unfiltered output passed through the reference.
 */
class FiltersTest
{
    @TempDir
    static Path tmp;
    static Path journal;
    static List<String> all;
    static List<String> state;
    static long netns;

    @BeforeAll
    static void setUp()
    {
        journal = V1Journal.extract(tmp);
        all = V1Journal.events(journal, b -> b);
        state = V1Journal.state(journal, Long.MAX_VALUE, V1Journal.allKinds(), b -> b);
        netns = (Long)Json.object(all.get(0)).get("netns");
    }

    private static FilterSpec spec(final String... args)
    {
        final List<String> a = new ArrayList<>(List.of(args));
        return NlstreamConfig.parse("replay", a.toArray(new String[0]), Map.of(), Clock.systemUTC()).filter();
    }

    /** One row: command-line filters and the reference predicate on an event's JSON. */
    private static void row(final String[] args, final Predicate<Map<String, Object>> reference, final int atLeast)
    {
        final FilterSpec spec = spec(args);
        final List<String> filtered = V1Journal.events(journal, b -> b.filter(spec));
        final List<String> expected = all.stream().filter(l -> reference.test(Json.object(l))).toList();
        assertEquals(expected, filtered, String.join(" ", args));
        assertTrue(expected.size() >= atLeast, String.join(" ", args) + ": only " + expected.size() + " events");
        if (!spec.ops().isEmpty())
        {
            return;
        }
        final List<String> objects = V1Journal.state(journal, Long.MAX_VALUE, V1Journal.allKinds(), b -> b.filter(spec));
        assertEquals(state.stream().filter(l -> reference.test(Json.object(l))).toList(), objects, "state " + String.join(" ", args));
    }

    @Test
    void protocols()
    {
        row(new String[] {"--proto", "tcp"}, e -> "tcp".equals(e.get("proto")), 5);
        row(new String[] {"--proto", "icmp,icmpv6"}, e -> "icmp".equals(e.get("proto")) || "icmpv6".equals(e.get("proto")), 4);
        row(new String[] {"--proto", "17"}, e -> "udp".equals(e.get("proto")), 1000);
    }

    @Test
    void ports()
    {
        row(new String[] {"--port", "80"}, e -> hasPort(e, 80, 80), 3);
        row(new String[] {"--port", "8080", "--port", "9999"}, e -> hasPort(e, 8080, 8080) || hasPort(e, 9999, 9999), 3);
        row(new String[] {"--port", "10000-10009"}, e -> hasPort(e, 10000, 10009), 100);
    }

    @Test
    void addresses()
    {
        row(new String[] {"--ip", "10.77.0.1"}, e -> hasIp(e, "10.77.0.1/32"), 10);
        row(new String[] {"--ip", "10.77.0.0/24"}, e -> hasIp(e, "10.77.0.0/24"), 100);
        row(new String[] {"--ip", "fd77::/64"}, e -> hasIp(e, "fd77::/64"), 3);
        row(new String[] {"--ip", "10.99.0.7"}, e -> hasIp(e, "10.99.0.7/32"), 1);
        row(new String[] {"--ip", "10.98.5.5,fd99::1"}, e -> hasIp(e, "10.98.5.5/32") || hasIp(e, "fd99::1/128"), 2);
    }

    @Test
    void interfacesOpsAndProcesses()
    {
        row(new String[] {"--op", "del,destroy"}, e -> "del".equals(e.get("op")) || "destroy".equals(e.get("op")), 10);
        row(new String[] {"--comm", "python3"}, e -> "python3".equals(e.get("comm")), 1);
        row(new String[] {"--in-netns", Long.toString(netns), "--proto", "udp", "--port", "9999"},
            e -> netns == (Long)e.get("netns") && "udp".equals(e.get("proto")) && hasPort(e, 9999, 9999), 1);
        row(new String[] {"--in-netns", "4242"}, e -> false, 0);
        row(new String[] {"--ifname", "a0"}, e -> "a0".equals(e.get("ifname")) || interfaceOf(e) == 2, 10);
    }

    @Test
    void aNamespaceNameThatIsNotThereIsAUsageError()
    {
        final FilterSpec spec = spec("--in-netns", "nlst-no-such-namespace");
        final UsageException e = assertThrows(UsageException.class, () -> V1Journal.events(journal, b -> b.filter(spec)));
        assertTrue(e.problems().get(0).contains("nlst-no-such-namespace"), e.problems().toString());
    }

    // ---- the reference, on printed JSON

    @SuppressWarnings("unchecked")
    private static boolean hasPort(final Map<String, Object> e, final int lo, final int hi)
    {
        final List<Object> ports = new ArrayList<>();
        if ("conn".equals(e.get("kind")))
        {
            for (final String t : new String[] {"orig", "reply"})
            {
                final Map<String, Object> tuple = (Map<String, Object>)e.get(t);
                if (tuple != null)
                {
                    ports.add(tuple.get("sport"));
                    ports.add(tuple.get("dport"));
                }
            }
        }
        else if ("sock".equals(e.get("kind")))
        {
            ports.add(e.get("sport"));
            ports.add(e.get("dport"));
        }
        return ports.stream().anyMatch(p -> p instanceof Long && (Long)p >= lo && (Long)p <= hi);
    }

    @SuppressWarnings("unchecked")
    private static boolean hasIp(final Map<String, Object> e, final String cidr)
    {
        final List<Object> addresses = new ArrayList<>();
        switch ((String)e.get("kind"))
        {
            case "conn":
                for (final String t : new String[] {"orig", "reply"})
                {
                    final Map<String, Object> tuple = (Map<String, Object>)e.get(t);
                    if (tuple != null)
                    {
                        addresses.add(tuple.get("src"));
                        addresses.add(tuple.get("dst"));
                    }
                }
                break;
            case "sock":
                addresses.add(e.get("src"));
                addresses.add(e.get("dst"));
                break;
            case "addr":
                addresses.add(e.get("address"));
                addresses.add(e.get("peer"));
                addresses.add(e.get("broadcast"));
                break;
            case "neigh":
                addresses.add(e.get("address"));
                break;
            case "route":
                addresses.add(e.get("gateway"));
                addresses.add(e.get("prefsrc"));
                if (overlaps((String)e.get("dst"), cidr))
                {
                    return true;
                }
                break;
            default:
                return false;
        }
        return addresses.stream().anyMatch(a -> a instanceof String && contains(cidr, (String)a));
    }

    private static boolean contains(final String cidr, final String address)
    {
        return overlaps(cidr, address + (address.contains(":") && !address.contains(".") ? "/128" : address.contains(":") ? "/128" : "/32"))
            && prefix(cidr) <= prefix(address.contains(":") ? address + "/128" : address + "/32");
    }

    /** Whether two networks share their first min(prefix) bits (one contains the other). */
    private static boolean overlaps(final String a, final String b)
    {
        if (a == null || "default".equals(a))
        {
            return true;
        }
        final byte[] x = bytes(a);
        final byte[] y = bytes(b);
        if (x.length != y.length)
        {
            return x.length == 16 && y.length == 4 && prefix(a) == 0;
        }
        final int bits = Math.min(prefix(a), prefix(b));
        for (int i = 0; i < bits; i++)
        {
            if ((x[i / 8] >> 7 - i % 8 & 1) != (y[i / 8] >> 7 - i % 8 & 1))
            {
                return false;
            }
        }
        return true;
    }

    private static int prefix(final String cidr)
    {
        return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }

    private static byte[] bytes(final String cidr)
    {
        try
        {
            final byte[] b = InetAddress.getByName(cidr.substring(0, cidr.indexOf('/'))).getAddress();
            return b;
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static long interfaceOf(final Map<String, Object> e)
    {
        final Object k = e.get("kind");
        if ("addr".equals(k) || "neigh".equals(k) || "sock".equals(k))
        {
            return e.get("ifindex") instanceof Long ? (Long)e.get("ifindex") : -1;
        }
        if ("route".equals(k))
        {
            return e.get("oif") instanceof Long ? (Long)e.get("oif") : -1;
        }
        return -1;
    }

    @Test
    void theReferenceItselfWorks()
    {
        assertTrue(overlaps("10.0.0.0/8", "10.1.2.3/32"));
        assertFalse(overlaps("10.0.0.0/8", "11.1.2.3/32"));
        assertTrue(contains("10.77.0.0/24", "10.77.0.9"));
        assertTrue(hasPort(Map.of("kind", "sock", "sport", 80L, "dport", 0L), 80, 80));
        assertEquals(Set.of(), Set.of());
    }
}
