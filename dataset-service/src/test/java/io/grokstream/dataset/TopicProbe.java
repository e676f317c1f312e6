package io.grokstream.dataset;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An independent plain Kafka consumer for tests: reads a topic from the beginning to its current end. */
public final class TopicProbe {
    private TopicProbe() {
    }

    public static List<ConsumerRecord<String, byte[]>> readAll(KafkaAccess access, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = open(access)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The sum of the end offsets of a topic's partitions: grows by one per published record. */
    public static long endOffset(KafkaAccess access, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = open(access)) {
            return consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static KafkaConsumer<String, byte[]> open(KafkaAccess access) {
        return new KafkaConsumer<>(KafkaSettings.consumer(access, null, "test-probe-" + UUID.randomUUID()));
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }
}
