package io.nlstream.monitor.forward;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
