package io.grokstream.trainer.worker;

import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Finds the latest checkpoint of an experiment on the compacted {@code grokstream.checkpoints.v1}: the one
 * partition the key hashes to is read from the beginning to its end offset and the last readable record for the
 * key is kept (a tombstone clears it). Compaction keeps the topic at about one record per experiment, so this is
 * a short read. One consumer per look-up: safe from any worker thread.
 */
public final class CheckpointStore {
    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final String clientId;

    public CheckpointStore(String bootstrapServers, String clientId) {
        this.bootstrapServers = bootstrapServers;
        this.clientId = clientId + "-checkpoints";
    }

    /**
     * The partition Kafka's default partitioner gives a keyed record: {@code toPositive(murmur2(key)) % partitions}
     * (the same as {@code BuiltInPartitioner.partitionForKey}).
     */
    public static int partitionFor(String key, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive, got " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The last checkpoint published for {@code experimentId}, or empty for a fresh run. */
    public Optional<SnapshotCodec.Snapshot> latest(String experimentId) {
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, clientId))) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.CHECKPOINTS, TIMEOUT);
            TopicPartition tp = new TopicPartition(Topics.CHECKPOINTS, partitionFor(experimentId, infos.size()));
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
            SnapshotCodec.Snapshot last = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(tp, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading checkpoints of " + experimentId + " took longer than "
                            + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (experimentId.equals(record.key())) {
                        last = record.value() == null ? null : readable(record).orElse(last);
                    }
                }
            }
            return Optional.ofNullable(last);
        }
    }

    /** A checkpoint record decoded, or empty (logged) when it is corrupt or names another experiment. */
    private static Optional<SnapshotCodec.Snapshot> readable(ConsumerRecord<String, byte[]> record) {
        try {
            SnapshotCodec.Snapshot snapshot = SnapshotCodec.fromRecord(record);
            if (!record.key().equals(snapshot.experimentId())) {
                LOG.warnf("checkpoint keyed %s names experiment %s: ignored", record.key(), snapshot.experimentId());
                return Optional.empty();
            }
            return Optional.of(snapshot);
        } catch (RuntimeException e) {
            LOG.warnf("checkpoint of %s at offset %d is unreadable (%s): skipped", record.key(), record.offset(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
