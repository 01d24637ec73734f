package io.nlstream.monitor.forward;

import io.nlstream.monitor.capture.Agent;
import io.nlstream.monitor.journal.Journal;
import io.nlstream.monitor.read.EventView;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.netlink.RealtimeClock;
import io.nlstream.sinks.kafka.KafkaPublisher;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Tails the journal and publishes every event to Kafka, advancing a durable checkpoint only past events the
 * broker acknowledged. Never touches capture: a slow or absent broker only makes this thread wait.
 *
 * <p>On any failure (broker down, a send that times out) it logs once per outage, drops the producer, and
 * after a backoff starts again from the checkpoint: the events after it are sent again with the same
 * {@code event_id}, so consumers can drop what they saw twice. It reads through the read pipeline like every
 * other reader, so the events (and their ids) are exactly those {@code replay} prints.
 */
public final class ForwarderAgent implements Agent
{
    private static final Logger LOG = Logger.getLogger(ForwarderAgent.class.getName());
    private static final int MAX_IN_FLIGHT = 100_000;
    private static final long SAVE_INTERVAL_NANOS = 1_000_000_000L;
    private static final long MIN_BACKOFF_NANOS = 200_000_000L;
    private static final long MAX_BACKOFF_NANOS = 30_000_000_000L;
    /** Acknowledgements outstanding and none for this long: logged (issue 11: an outage must show within 15 s). */
    static final long STALL_NANOS = 10_000_000_000L;
    /**
     * Benchmarks only (bench/README.md): a {@link LongConsumer} class with a public no-argument constructor, set
     * as the ack-latency listener of every forwarder; closed in {@link #onClose} when it is {@link AutoCloseable}.
     */
    public static final String ACK_LATENCY_LISTENER_PROPERTY = "nlstream.forward.ackLatencyListener";
    private static final LongConsumer NO_ACK_LATENCY = latencyNanos -> { };
    // acks arrive on the producer's I/O thread; RealtimeClock is one per thread
    private static final ThreadLocal<RealtimeClock> ACK_CLOCK = ThreadLocal.withInitial(RealtimeClock::new);

    private final Journal journal;
    private final Supplier<KafkaPublisher> publisherFactory;
    private final Checkpoint checkpoint;
    private final String hostId;
    private final Collection<String> kinds;
    private final int partitions;
    private final int replication;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private final KafkaRecords records;
    private final ReadPipeline.Consumer sender = this::onEvent;
    private boolean sendFailed;
    private RuntimeException sendFailure;

    private KafkaPublisher publisher;
    private ReadPipeline reader;
    private long ackedSeq = Checkpoint.NONE;
    private int ackedSub;
    private long lastSaveNanos;
    private boolean dirty;
    private long retryAtNanos;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private boolean inOutage;
    private boolean caughtUp;
    private long published;
    private long acknowledged;
    private long resent;
    /** When the broker last showed it works (a connection made, an acknowledgement); System.nanoTime. */
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile String lastError;
    private volatile String fatal;
    /** Says what listens at the bootstrap servers when that explains a failure (a protocol mismatch), or null. */
    private java.util.function.Supplier<String> endpointProbe;
    private volatile boolean probing;
    private boolean stallLogged;
    /** Connected with nothing in flight (read by another thread: {@link #unreachableNanos}). */
    private volatile boolean idle;
    private LongConsumer ackLatency = NO_ACK_LATENCY;
    private UnaryOperator<ReadPipeline.Builder> reading = UnaryOperator.identity();

    private static final class Pending
    {
        final long seq;
        final int sub;
        final long tsNanos;
        volatile boolean done;
        volatile Exception error;

        Pending(final long seq, final int sub, final long tsNanos)
        {
            this.seq = seq;
            this.sub = sub;
            this.tsNanos = tsNanos;
        }
    }

    public ForwarderAgent(
        final Journal journal,
        final Supplier<KafkaPublisher> publisherFactory,
        final Checkpoint checkpoint,
        final String hostId,
        final Collection<String> kinds,
        final int partitions,
        final int replication)
    {
        this.journal = journal;
        this.publisherFactory = publisherFactory;
        this.checkpoint = checkpoint;
        this.hostId = hostId;
        this.records = new KafkaRecords(hostId);
        this.kinds = List.copyOf(kinds);
        this.partitions = partitions;
        this.replication = replication;
        final String listener = System.getProperty(ACK_LATENCY_LISTENER_PROPERTY);
        if (listener != null)
        {
            onAckLatency(newListener(listener));
        }
    }

    /**
     * Told, for every acknowledged event, wall-clock now minus the event's capture time in ns, on the producer's
     * I/O thread before the agent sees the ack. Set before the agent starts.
     */
    /** How its read pipeline is set up beyond kinds and position (snapshots, filters); set before it starts. */
    public ForwarderAgent reading(final UnaryOperator<ReadPipeline.Builder> setup)
    {
        this.reading = setup;
        return this;
    }

    public ForwarderAgent onAckLatency(final LongConsumer listener)
    {
        this.ackLatency = listener == null ? NO_ACK_LATENCY : listener;
        return this;
    }

    private static LongConsumer newListener(final String className)
    {
        try
        {
            return Class.forName(className).asSubclass(LongConsumer.class).getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException | ClassCastException e)
        {
            throw new IllegalArgumentException("Invalid value " + className + " for system property " + ACK_LATENCY_LISTENER_PROPERTY
                + ": not a LongConsumer class with a public no-argument constructor on the class path (" + e + ")", e);
        }
    }

    @Override
    public String roleName()
    {
        return "kafka-forwarder";
    }

    @Override
    public void onStart()
    {
        ackedSeq = checkpoint.seq();
        ackedSub = checkpoint.sub();
        LOG.info(() -> "forwarding to Kafka from " + (ackedSeq == Checkpoint.NONE ? "the journal's start"
            : "after seq " + ackedSeq + (ackedSub > 0 ? " sub " + ackedSub : "")) + " (checkpoint " + checkpoint.file() + ")");
    }

    @Override
    public int doWork()
    {
        if (publisher == null && !connect())
        {
            return 0;
        }
        int work = drainAcks();
        if (publisher == null)
        {
            return work;
        }
        noticeStall();
        sendFailed = false;
        while (inFlight.size() < MAX_IN_FLIGHT && work < 4096 && !sendFailed)
        {
            final int read = reader.poll(Math.min(256, MAX_IN_FLIGHT - inFlight.size()), sender);
            if (read == 0)
            {
                break;
            }
            work += read;
        }
        if (sendFailed)
        {
            onFailure(sendFailure);
            return work;
        }
        caughtUp = work == 0 && inFlight.isEmpty();
        idle = inFlight.isEmpty();
        saveIfDue(false);
        if (work == 0)
        {
            LockSupport.parkNanos(inFlight.isEmpty() ? 5_000_000L : 1_000_000L);
        }
        return work;
    }

    /**
     * Acknowledgements can stop without an error for as long as the producer's delivery timeout (minutes): say so
     * within {@link #STALL_NANOS} of the last one, once per stall.
     */
    private void noticeStall()
    {
        if (inFlight.isEmpty() || stallLogged)
        {
            return;
        }
        final long quiet = System.nanoTime() - lastProgressNanos;
        if (quiet >= STALL_NANOS)
        {
            stallLogged = true;
            LOG.warning(() -> "Kafka has acknowledged nothing for " + quiet / 1_000_000_000L + " s (" + inFlight.size()
                + " events in flight, acknowledged up to seq " + ackedSeq + "); capture goes on, events wait in the journal");
        }
    }

    /**
     * How long the broker has been unreachable or silent while there was something to send: 0 when it is
     * working or there is nothing to send. For {@code forward} to give up after a bound.
     */
    public long unreachableNanos()
    {
        return idle ? 0 : System.nanoTime() - lastProgressNanos;
    }

    /** The last failure, as logged, or null. */
    public String lastError()
    {
        return lastError;
    }

    private boolean connect()
    {
        if (System.nanoTime() < retryAtNanos)
        {
            LockSupport.parkNanos(Math.min(retryAtNanos - System.nanoTime(), 50_000_000L));
            return false;
        }
        KafkaPublisher p = null;
        try
        {
            try
            {
                p = publisherFactory.get();
            }
            catch (final RuntimeException e)
            {
                if (!unresolved(e))
                {
                    // the client refused its configuration (a SASL mechanism without JAAS, a bad property): trying
                    // again changes nothing
                    fatal = "the Kafka client cannot be made from its configuration: " + describe(e);
                }
                throw e;
            }
            p.ensureTopics(kinds, partitions, replication, Duration.ofSeconds(10));
        }
        catch (final Exception e)
        {
            if (p != null)
            {
                p.abandon();
            }
            onFailure(timedOut(e)
                ? new java.io.IOException("no answer from the brokers within 10 s while checking the topics (refused, unreachable,"
                    + " or not speaking Kafka's protocol)", e)
                : e);
            return false;
        }
        publisher = p;
        lastProgressNanos = System.nanoTime();
        // the state before the checkpoint from the journal itself, so the events (and their ids) are those every
        // reader emits
        reader = reading.apply(ReadPipeline.from(journal))
            .kinds(Kind.of(kinds))
            .emitFromIndex(ackedSeq)
            .problems((index, reason) -> LOG.warning("journal index " + index + ": " + reason + " (not forwarded)"))
            .build();
        return true;
    }

    private void onEvent(final EventView event)
    {
        if (sendFailed || covered(event.seq(), event.sub()))
        {
            return; // acknowledged before this (re)start, or the producer failed within this poll
        }
        if (!send(event))
        {
            sendFailed = true;
        }
    }

    private boolean send(final EventView event)
    {
        final Pending pending = new Pending(event.seq(), event.sub(), event.tsNanos());
        try
        {
            records.send(publisher, event, false, error ->
            {
                if (error == null && ackLatency != NO_ACK_LATENCY)
                {
                    ackLatency.accept(ACK_CLOCK.get().nanos() - pending.tsNanos);
                }
                pending.error = error;
                pending.done = true;
            });
        }
        catch (final RuntimeException ex)
        {
            // handled once the pipeline's poll has returned: it closes the pipeline
            sendFailure = ex;
            return false;
        }
        inFlight.add(pending);
        published++;
        return true;
    }

    private int drainAcks()
    {
        int n = 0;
        Pending head;
        while ((head = inFlight.peek()) != null && head.done)
        {
            if (head.error != null)
            {
                onFailure(head.error);
                return n;
            }
            inFlight.poll();
            lastProgressNanos = System.nanoTime();
            stallLogged = false;
            ackedSeq = head.seq;
            ackedSub = head.sub;
            dirty = true;
            acknowledged++;
            n++;
        }
        if (n > 0 && inOutage)
        {
            inOutage = false;
            backoffNanos = MIN_BACKOFF_NANOS;
            LOG.info("Kafka reachable again; forwarding resumed, acknowledged up to seq " + ackedSeq);
        }
        return n;
    }

    private void onFailure(final Exception e)
    {
        lastError = describe(e);
        if (fatal == null && notRetriable(e))
        {
            fatal = "Kafka refused us: " + lastError;
        }
        if (!inOutage)
        {
            probeEndpoints();
            inOutage = true;
            LOG.warning("Kafka unavailable (" + describe(e) + "); capture goes on, events wait in the journal; retrying with backoff"
                + " up to " + MAX_BACKOFF_NANOS / 1_000_000_000L + " s (logged once per outage)");
        }
        resent += inFlight.size();
        inFlight.clear();
        idle = false;
        if (publisher != null)
        {
            publisher.abandon();
            publisher = null;
        }
        if (reader != null)
        {
            reader.close();
            reader = null;
        }
        saveIfDue(true);
        retryAtNanos = System.nanoTime() + backoffNanos;
        backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
    }

    private void saveIfDue(final boolean force)
    {
        if (!dirty || !force && System.nanoTime() - lastSaveNanos < SAVE_INTERVAL_NANOS)
        {
            return;
        }
        try
        {
            checkpoint.save(ackedSeq, ackedSub);
            dirty = false;
            lastSaveNanos = System.nanoTime();
        }
        catch (final IOException e)
        {
            // the acknowledged position stays in memory; at worst a restart sends more again
            LOG.warning("cannot write checkpoint " + checkpoint.file() + ": " + e);
            lastSaveNanos = System.nanoTime();
        }
    }

    /**
     * Probes the bootstrap servers once per outage, off this thread: the client reports a listener of another protocol
     * (TLS against plaintext, an HTTP server) only as a timeout. A mismatch found is fatal for {@code forward} and
     * logged by {@code run}, which keeps retrying.
     */
    public ForwarderAgent endpointProbe(final java.util.function.Supplier<String> probe)
    {
        this.endpointProbe = probe;
        return this;
    }

    private void probeEndpoints()
    {
        if (endpointProbe == null || probing || fatal != null)
        {
            return;
        }
        probing = true;
        final Thread t = new Thread(() ->
        {
            try
            {
                final String mismatch = endpointProbe.get();
                if (mismatch != null && fatal == null)
                {
                    fatal = "Kafka at the bootstrap servers does not match the client: " + mismatch;
                    LOG.severe(fatal);
                }
            }
            finally
            {
                probing = false;
            }
        }, "nlstream-kafka-probe");
        t.setDaemon(true);
        t.start();
    }

    /** Authentication (TLS, SASL) or authorization refused: the broker answers the same until someone changes something. */
    private static boolean notRetriable(final Throwable e)
    {
        return causedBy(e, t -> t instanceof org.apache.kafka.common.errors.AuthenticationException
            || t instanceof org.apache.kafka.common.errors.AuthorizationException);
    }

    /**
     * The client could not be made because no bootstrap server's name resolves yet (a broker's DNS name before its
     * Service exists): that changes by itself, so it is retried, not fatal.
     */
    static boolean unresolved(final Throwable e)
    {
        return causedBy(e, t -> t instanceof org.apache.kafka.common.config.ConfigException && t.getMessage() != null
            && t.getMessage().startsWith("No resolvable bootstrap urls"));
    }

    /**
     * Why retrying cannot help (the client's configuration, authentication or authorization refused), or null.
     * {@code run} goes on retrying (someone may fix the broker's side); {@code forward} stops.
     */
    public String fatal()
    {
        return fatal;
    }

    /** A timeout, ours or the Kafka client's, possibly wrapped (ExecutionException). */
    private static boolean timedOut(final Throwable e)
    {
        return causedBy(e, t -> t instanceof java.util.concurrent.TimeoutException
            || t instanceof org.apache.kafka.common.errors.TimeoutException);
    }

    /** Whether {@code e} or one of its causes is what {@code what} looks for. */
    private static boolean causedBy(final Throwable e, final java.util.function.Predicate<Throwable> what)
    {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (what.test(t))
            {
                return true;
            }
        }
        return false;
    }

    private static String describe(final Throwable e)
    {
        final StringBuilder sb = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause())
        {
            sb.append(": ").append(c);
        }
        return sb.toString();
    }

    private boolean covered(final long seq, final int sub)
    {
        return seq < ackedSeq || seq == ackedSeq && sub <= ackedSub;
    }

    /** Everything journalled so far has been published and acknowledged. */
    public boolean caughtUp()
    {
        return caughtUp;
    }

    @Override
    public void onClose()
    {
        if (publisher != null)
        {
            try
            {
                publisher.flush();
            }
            catch (final RuntimeException e)
            {
                LOG.warning("flush to Kafka failed at shutdown: " + e);
            }
            drainAcks();
            if (publisher != null)
            {
                publisher.close(Duration.ofSeconds(5));
            }
        }
        saveIfDue(true);
        if (reader != null)
        {
            reader.close();
        }
        if (ackLatency instanceof AutoCloseable)
        {
            try
            {
                ((AutoCloseable)ackLatency).close();
            }
            catch (final Exception e)
            {
                LOG.warning("ack-latency listener failed to close: " + e);
            }
        }
        LOG.info(() -> "forwarder stopped: " + published + " published, " + acknowledged + " acknowledged, " + resent
            + " to send again after failures; checkpoint seq " + ackedSeq);
    }

    public long acknowledged()
    {
        return acknowledged;
    }
}
