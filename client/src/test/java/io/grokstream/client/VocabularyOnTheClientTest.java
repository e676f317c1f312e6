package io.grokstream.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.NandaPreset;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The client reads the platform's words from {@code contracts} without the Kafka client on its class path. */
class VocabularyOnTheClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theVocabularyLoadsWithoutKafkaOrTheOnnxExporter() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.kafka.clients.consumer.KafkaConsumer"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.protobuf.Message"));
        assertEquals("restricted_loss", Measure.RESTRICTED_LOSS.wire());
        assertEquals(128, NandaPreset.model().dModel());
        assertEquals(1.0, NandaPreset.optimizer().weightDecay());
    }

    @Test
    void anExperimentsStatusIsReadAsTheEnumAndAnUnknownWordAsNothing() throws Exception {
        assertEquals(Optional.of(ExperimentStatus.CANCELLED),
                GatewayClient.statusOf(JSON.readTree("{\"experimentId\":\"exp-1\",\"status\":\"cancelled\"}")));
        assertEquals(Optional.empty(), GatewayClient.statusOf(JSON.readTree("{\"status\":\"paused\"}")));
        assertEquals(Optional.empty(), GatewayClient.statusOf(JSON.readTree("{}")));
    }
}
