package io.grokstream.contracts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads back everything one key has on a keyed topic, oldest first: only the partition the key hashes to
 * ({@link Topics#partitionFor}), from the beginning to the end offset taken at the start, with no consumer group.
 * Records of other keys sharing the partition are skipped undecoded. One consumer per read, safe from any thread.
 * Used for an experiment's latest checkpoint (trainer) and its snapshot history (analysis).
 */
public final class KeyedHistory {
    private KeyedHistory() {
    }

    /**
     * Hands every record keyed {@code key} (tombstones included) to {@code sink}.
     *
     * @param timeout bound on each metadata call
     * @param total   bound on the whole read, or null for none
     * @throws IllegalStateException when the read takes longer than {@code total}
     */
    public static void read(KafkaAccess access, String clientId, String topic, String key, Duration timeout,
                            Duration total, Consumer<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(KafkaSettings.consumer(access, null, clientId))) {
            int partitions = consumer.partitionsFor(topic, timeout).size();
            TopicPartition tp = new TopicPartition(topic, Topics.partitionFor(key, partitions));
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
            long deadline = total == null ? Long.MAX_VALUE : System.nanoTime() + total.toNanos();
            while (consumer.position(tp, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " for " + key + " took longer than "
                            + total.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end && key.equals(record.key())) {
                        sink.accept(record);
                    }
                }
            }
        }
    }
}
