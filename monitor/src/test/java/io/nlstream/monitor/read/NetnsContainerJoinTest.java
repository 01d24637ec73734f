package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.AnnotationRecord;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.ContainerIdentity;
import io.nlstream.monitor.journal.RtnlMessages;
import io.nlstream.monitor.journal.TestJournal;
import io.nlstream.monitor.testing.Cli;
import io.nlstream.monitor.testing.JsonEvent;
import io.nlstream.monitor.testing.Replayed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.nlstream.monitor.journal.TestJournal.NETNS_A;
import static io.nlstream.monitor.journal.TestJournal.NETNS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture's NETNS_CONTAINER annotation joined on read: every event and object of the namespace carries
 * {@code container_id}, {@code pod_uid} and {@code container_runtime} in its JSON, right after {@code netns_name}
 * (the published schema checks each line, see {@link io.nlstream.monitor.testing.Json#object}); a namespace
 * without one carries none; a later empty annotation (the inode reused by a namespace without a container)
 * takes them away; a damaged one, or an annotation of a type this build does not know, changes nothing; and the
 * identities survive snapshots.
 */
class NetnsContainerJoinTest
{
    private static final long T0 = Instant.parse("2026-11-28T10:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;
    private static final String ID = "3f4b9e1c2d5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c";
    private static final String UID = "7b5e2b0e-4b7c-4b5a-9d4f-1c2d3e4f5a6b";
    private static final ContainerIdentity POD = new ContainerIdentity(ID, UID, "containerd");

    @TempDir
    Path tmp;

    @Test
    void eventsOfANamespaceWithAContainerCarryItAfterItsName()
    {
        final Path dir = tmp.resolve("journal");
        final long cleared;
        try (TestJournal j = TestJournal.create(dir))
        {
            j.at(T0);
            annotation(j, NETNS_A, netnsName(NETNS_A, "blue"));
            annotation(j, NETNS_A, container(NETNS_A, POD));
            // a type this build does not know (a later build's): skipped, as readers skip every unknown type
            annotation(j, NETNS_B, unknownType());
            // damaged: no identity, and no change to what B has (none)
            final byte[] damaged = container(NETNS_B, POD);
            damaged[AnnotationRecord.CONTAINER_FIELDS_OFFSET] = 'X';
            annotation(j, NETNS_B, damaged);
            j.event(NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
            j.event(NETNS_B, RtnlMessages.newLink(1, "lo", 65536));
            j.event(NETNS_A, RtnlMessages.newLink(2, "eth0", 1500));
            // the namespace went and its inode came back for one without a container
            annotation(j, NETNS_A, container(NETNS_A, ContainerIdentity.NONE));
            cleared = j.event(NETNS_A, RtnlMessages.newLink(3, "eth1", 1500));
        }
        final Replayed r = Replayed.of(dir);
        assertEquals(List.of(), r.malformed());
        assertEquals(4, r.emitted().size(), r.emitted().toString());
        for (final JsonEvent e : r.emitted())
        {
            final List<String> keys = new ArrayList<>(e.json().keySet());
            if (e.netns() == NETNS_A && e.seq() < cleared)
            {
                assertEquals(List.of("seq", "ts", "kind", "op", "netns", "netns_name", "container_id", "pod_uid", "container_runtime", "host"),
                    keys.subList(0, 10), e.line());
                assertEquals(ID, e.get("container_id"));
                assertEquals(UID, e.get("pod_uid"));
                assertEquals("containerd", e.get("container_runtime"));
            }
            else
            {
                assertFalse(keys.contains("container_id") || keys.contains("pod_uid") || keys.contains("container_runtime"), e.line());
            }
        }
        // the objects at the end: A's all without (the inode now has none), B's too
        assertEquals(4, r.objects().size());
        r.objects().forEach(o -> assertNull(o.get("container_id"), o.line()));

        // state before the clearing: A's objects carry it, in the state shape
        final List<Map<String, Object>> before = Cli.json("state", "--journal", dir.toString(), "--at", "2026-11-28T10:00:00.000006500Z");
        assertEquals(3, before.size(), before.toString());
        for (final Map<String, Object> o : before)
        {
            assertEquals(o.get("netns").equals(NETNS_A) ? ID : null, o.get("container_id"), o.toString());
            assertEquals(o.get("netns").equals(NETNS_A) ? UID : null, o.get("pod_uid"), o.toString());
        }
    }

    /** A pod UID alone (a process in the pod's cgroup, in none of its containers): that field alone. */
    @Test
    void onlyThePartsKnownAreWritten()
    {
        final Path dir = tmp.resolve("pod-only");
        try (TestJournal j = TestJournal.create(dir))
        {
            j.at(T0);
            annotation(j, NETNS_A, container(NETNS_A, new ContainerIdentity(null, UID, null)));
            j.event(NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
        }
        final JsonEvent e = Replayed.of(dir).emitted().get(0);
        final List<String> keys = new ArrayList<>(e.json().keySet());
        assertEquals(List.of("netns", "pod_uid", "host"), keys.subList(4, 7), e.line());
    }

    /**
     * The identity is read from the snapshot by a reader that starts there: {@code state} twice (the second from
     * the snapshot the first wrote; the annotation lies before it), and {@code replay --since} after it. Text
     * leaves the fields out, as it does the host.
     */
    @Test
    void identitiesSurviveSnapshots() throws Exception
    {
        final Path dir = tmp.resolve("snapshots");
        try (TestJournal j = TestJournal.create(dir))
        {
            j.at(T0);
            annotation(j, NETNS_A, container(NETNS_A, POD));
            annotation(j, NETNS_B, container(NETNS_B, new ContainerIdentity(ID.replace('3', '4'), null, "docker")));
            j.event(NETNS_A, RtnlMessages.newLink(1, "lo", 65536));
            j.event(NETNS_B, RtnlMessages.newLink(1, "lo", 65536));
            for (int minute = 1; minute <= 3; minute++)
            {
                j.at(T0 + minute * MINUTE).event(NETNS_A, RtnlMessages.newLink(1 + minute, "eth" + minute, 1500));
            }
        }
        for (int pass = 0; pass < 2; pass++)
        {
            final List<Map<String, Object>> state = Cli.json("state", "--journal", dir.toString(), "--snapshot-interval", "30s");
            assertEquals(5, state.size(), state.toString());
            for (final Map<String, Object> o : state)
            {
                final boolean a = o.get("netns").equals(NETNS_A);
                assertEquals(a ? ID : ID.replace('3', '4'), o.get("container_id"), "pass " + pass + ": " + o);
                assertEquals(a ? UID : null, o.get("pod_uid"), "pass " + pass + ": " + o);
                assertEquals(a ? "containerd" : "docker", o.get("container_runtime"), "pass " + pass + ": " + o);
            }
            assertTrue(Files.isDirectory(dir.resolve("snapshots")), "the first state wrote snapshots");
        }
        final List<Map<String, Object>> late = Cli.json("replay", "--journal", dir.toString(), "--since", "2026-11-28T10:02:30Z");
        assertEquals(1, late.size(), late.toString());
        assertEquals(ID, late.get(0).get("container_id"), late.toString());
        final String text = Cli.run("replay", "--journal", dir.toString(), "--format", "kv");
        assertFalse(text.isBlank());
        assertFalse(text.contains(ID) || text.contains(UID), text);
    }

    private static void annotation(final TestJournal j, final long netns, final byte[] payload)
    {
        j.append(CaptureHeader.ORIGIN_ANNOTATION, 0, netns, 0, payload);
    }

    static byte[] container(final long netns, final ContainerIdentity identity)
    {
        final ByteBuffer b = ByteBuffer.allocate(AnnotationRecord.NETNS_CONTAINER_MAX).order(ByteOrder.LITTLE_ENDIAN);
        final int length = AnnotationRecord.writeNetnsContainer(b, netns, identity);
        final byte[] payload = new byte[length];
        b.get(0, payload);
        return payload;
    }

    private static byte[] netnsName(final long netns, final String name)
    {
        final ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        final int length = AnnotationRecord.writeNetnsName(b, netns, name);
        final byte[] payload = new byte[length];
        b.get(0, payload);
        return payload;
    }

    private static byte[] unknownType()
    {
        return ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short)200).putLong(8, NETNS_A).array();
    }
}
