package io.nlstream.monitor.capture;

import io.nlstream.monitor.journal.AnnotationRecord;
import io.nlstream.monitor.journal.CaptureHeader;
import io.nlstream.monitor.journal.ContainerIdentity;
import io.nlstream.monitor.journal.JournalWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.logging.Logger;

/**
 * What capture journals about a namespace when it starts watching it, so that readers can name the namespace in
 * every event (the raw-first rule: observed at capture time, journalled as an annotation, joined on read). Any
 * capture driver calls it once per namespace and socket, before that socket's first entry: a reader that starts
 * at the socket's first entry (a snapshot, {@code --since}) then knows the namespace too.
 */
public final class NetnsAnnotations
{
    private static final Logger LOG = Logger.getLogger(NetnsAnnotations.class.getName());

    private NetnsAnnotations()
    {
    }

    /**
     * Finds the container namespace {@code netns} belongs to ({@link NetnsIdentity#container}: reads /proc, a
     * bounded few milliseconds on a busy host) and journals it as a NETNS_CONTAINER annotation, also when there is
     * none (which tells readers to forget what an earlier namespace of the same inode had). A driver that serves
     * many sockets on one thread can find the identity elsewhere and call
     * {@link #journalContainer(JournalWriter, int, long, long, ContainerIdentity)}.
     *
     * @param protocol the netlink protocol of the capture socket (the entry's header carries it)
     * @return what was journalled
     */
    public static ContainerIdentity journalContainer(final JournalWriter writer, final int protocol, final long wallNanos, final long netns)
    {
        final ContainerIdentity identity = NetnsIdentity.container(netns);
        journalContainer(writer, protocol, wallNanos, netns, identity);
        return identity;
    }

    /** Journals {@code identity} as the container of {@code netns} (a NETNS_CONTAINER annotation). */
    public static void journalContainer(final JournalWriter writer, final int protocol, final long wallNanos, final long netns,
        final ContainerIdentity identity)
    {
        final ByteBuffer record = ByteBuffer.allocate(AnnotationRecord.NETNS_CONTAINER_MAX).order(ByteOrder.LITTLE_ENDIAN);
        final int length = AnnotationRecord.writeNetnsContainer(record, netns, identity);
        writer.append(CaptureHeader.ORIGIN_ANNOTATION, protocol, 0, wallNanos, System.nanoTime(), netns, -1, 0, record, 0, length);
        if (!identity.isEmpty())
        {
            LOG.fine(() -> "namespace " + netns + " belongs to container " + identity.containerId() + " pod " + identity.podUid()
                + " (" + identity.runtime() + ")");
        }
    }
}
