package io.grokstream.contracts;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One bounded pass over a topic as it is now: every partition from its beginning to the end offsets taken when the
 * pass starts, read without a consumer group (nothing committed, no group ACL needed). How tests and tools look at
 * a topic; services fold topics with {@link TopicFollower} instead.
 */
public final class TopicScan {
    private TopicScan() {
    }

    /**
     * Hands every record now on {@code topic} to {@code sink}, partition by partition in poll order.
     *
     * @throws IllegalStateException when the end is not reached within {@code limit}
     * @throws org.apache.kafka.common.errors.TopicAuthorizationException when {@code access} may not read the topic
     */
    public static void forEach(KafkaAccess access, String topic, Duration limit,
                               Consumer<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> c = open(access, limit)) {
            List<TopicPartition> parts = partitions(c, topic, limit);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, limit);
            long deadline = System.nanoTime() + limit.toNanos();
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey(), limit) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + limit);
                }
                c.poll(Duration.ofMillis(200)).forEach(sink);
            }
        }
    }

    /** Every record now on {@code topic}; as {@link #forEach}. */
    public static List<ConsumerRecord<String, byte[]>> readAll(KafkaAccess access, String topic, Duration limit) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        forEach(access, topic, limit, records::add);
        return records;
    }

    /** The end offset of each partition of {@code topic}, by partition number. */
    public static Map<Integer, Long> endOffsets(KafkaAccess access, String topic, Duration limit) {
        try (KafkaConsumer<String, byte[]> c = open(access, limit)) {
            Map<Integer, Long> out = new TreeMap<>();
            c.endOffsets(partitions(c, topic, limit), limit).forEach((tp, end) -> out.put(tp.partition(), end));
            return out;
        }
    }

    /** The sum of a topic's end offsets: how many records it ever had (one more per record published). */
    public static long endOffset(KafkaAccess access, String topic, Duration limit) {
        return endOffsets(access, topic, limit).values().stream().mapToLong(Long::longValue).sum();
    }

    private static KafkaConsumer<String, byte[]> open(KafkaAccess access, Duration limit) {
        Map<String, Object> p = KafkaSettings.consumer(access, null, "topic-scan-" + UUID.randomUUID());
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, limit.toMillis()));
        return new KafkaConsumer<>(p);
    }

    /**
     * The topic's partitions; its first one when the broker lists none, as it answers a principal that may not
     * describe the topic, so that the read itself is tried and refused (a TopicAuthorizationException).
     */
    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic, Duration limit) {
        var info = c.partitionsFor(topic, limit);
        if (info == null || info.isEmpty()) {
            return List.of(new TopicPartition(topic, 0));
        }
        return info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }
}
