package io.grokstream.router;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.TopicScan;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** A team's plain consumer, without a group: reads a topic from the beginning with the team's own credentials. */
final class TopicReader {
    private TopicReader() {
    }

    /**
     * Reads {@code topic} as {@code access} until {@code enough} holds for the records of experiment {@code key}.
     *
     * @throws AssertionError when it does not within 60 s
     */
    static List<ConsumerRecord<String, byte[]>> awaitRecords(KafkaAccess access, String topic, String key,
                                                            Predicate<List<ConsumerRecord<String, byte[]>>> enough) {
        try (KafkaConsumer<String, byte[]> consumer = open(access, topic)) {
            List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!enough.test(mine)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + mine.size() + " records of " + key + " on " + topic + " after 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        mine.add(r);
                    }
                });
            }
            return mine;
        }
    }

    /** The records of experiment {@code key} on {@code topic} now, read as {@code access}. */
    static List<ConsumerRecord<String, byte[]>> recordsNow(KafkaAccess access, String topic, String key) {
        return TopicScan.readAll(access, topic, Duration.ofSeconds(60)).stream().filter(r -> key.equals(r.key()))
                .toList();
    }

    /**
     * A consumer assigned every partition of {@code topic} from the beginning.
     *
     * @throws org.apache.kafka.common.errors.TopicAuthorizationException when {@code access} may not read it
     */
    private static KafkaConsumer<String, byte[]> open(KafkaAccess access, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.consumer(access, null, "router-test-reader-" + UUID.randomUUID()));
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            consumer.endOffsets(partitions, Duration.ofSeconds(30)); // a reader the broker refuses fails here
            return consumer;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }
}
