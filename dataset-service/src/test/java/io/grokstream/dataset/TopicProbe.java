package io.grokstream.dataset;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.TopicScan;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.List;

/** An independent plain Kafka consumer for tests: reads a topic from the beginning to its current end. */
public final class TopicProbe {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private TopicProbe() {
    }

    public static List<ConsumerRecord<String, byte[]>> readAll(KafkaAccess access, String topic) {
        return TopicScan.readAll(access, topic, LIMIT);
    }

    /** The sum of the end offsets of a topic's partitions: grows by one per published record. */
    public static long endOffset(KafkaAccess access, String topic) {
        return TopicScan.endOffset(access, topic, LIMIT);
    }
}
