package io.nlstream.monitor.forward;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which failures to make the Kafka client are worth retrying: a bootstrap name that does not resolve yet (the
 * client's own wording, wrapped as its constructor wraps it) is; a configuration it refuses is not.
 */
class ForwarderAgentFailuresTest
{
    @Test
    void anUnresolvedBootstrapNameIsRetriedAConfigurationMistakeIsNot()
    {
        assertTrue(ForwarderAgent.unresolved(new KafkaException("Failed to construct kafka producer",
            new ConfigException("No resolvable bootstrap urls given in bootstrap.servers"))));
        assertFalse(ForwarderAgent.unresolved(new KafkaException("Failed to construct kafka producer",
            new IllegalArgumentException("Could not find a 'KafkaClient' entry in the JAAS configuration"))));
        assertFalse(ForwarderAgent.unresolved(new ConfigException("Invalid value x for configuration linger.ms")));
    }

    @Test
    void aCommittedPositionReadsBackAsItWasWritten()
    {
        assertArrayEquals(new long[] {2142853673255029L, 3}, ForwarderAgent.parsePosition(
            "{\"host\":\"h\",\"journal\":\"0123456789abcdef\",\"seq\":2142853673255029,\"sub\":3,\"committed_at\":\"2026-12-01T21:00:00Z\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> ForwarderAgent.parsePosition("{\"sub\":0}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("without \"seq\""), e.getMessage());
        assertEquals("0f1e", ForwarderAgent.writerOf(
            "{\"host\":\"h\",\"seq\":1,\"sub\":0,\"writer\":\"0f1e\",\"committed_at\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // written before records named their writer, or cut short: no writer, which is never this forwarder
        assertNull(ForwarderAgent.writerOf("{\"seq\":1,\"sub\":0}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertNull(ForwarderAgent.writerOf("{\"seq\":1,\"writer\":\"0f".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(ForwarderAgent.Delivery.EXACTLY_ONCE, ForwarderAgent.Delivery.of("exactly-once"));
        assertEquals("at-least-once", ForwarderAgent.Delivery.AT_LEAST_ONCE.text());
    }
}
