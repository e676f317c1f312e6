package io.grokstream.analysis;

import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one experiment's weight snapshots back from {@code grokstream.snapshots.v1}, oldest first. Snapshots are
 * keyed by experiment id, so only the partition the producer's default partitioner chose (murmur2 of the key) is
 * read; records of other experiments sharing it are skipped without decoding.
 */
final class SnapshotHistory {
    private SnapshotHistory() {
    }

    /** Hands every snapshot of {@code experimentId} on the topic now to {@code sink}; returns how many. */
    static int read(String bootstrap, String experimentId, Consumer<SnapshotCodec.Snapshot> sink) {
        byte[] key = experimentId.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.consumer(bootstrap, null, "analysis-retrospective"))) {
            int partitions = consumer.partitionsFor(Topics.SNAPSHOTS, Duration.ofSeconds(30)).size();
            TopicPartition tp = new TopicPartition(Topics.SNAPSHOTS, Utils.toPositive(Utils.murmur2(key)) % partitions);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            int count = 0;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end || !experimentId.equals(r.key()) || r.value() == null) {
                        continue;
                    }
                    SnapshotCodec.Snapshot s;
                    try {
                        s = SnapshotCodec.decode(r.value());
                    } catch (RuntimeException e) {
                        continue;   // unreadable: the live consumer has dead-lettered it already
                    }
                    sink.accept(s);
                    count++;
                }
            }
            return count;
        }
    }
}
