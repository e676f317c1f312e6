package io.grokstream.trainer.worker;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KeyedHistory;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
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

    private final KafkaAccess access;
    private final String clientId;

    public CheckpointStore(KafkaAccess access, String clientId) {
        this.access = access;
        this.clientId = clientId + "-checkpoints";
    }

    /** The last checkpoint published for {@code experimentId}, or empty for a fresh run. */
    public Optional<SnapshotCodec.Snapshot> latest(String experimentId) {
        SnapshotCodec.Snapshot[] last = {null};
        KeyedHistory.read(access, clientId, Topics.CHECKPOINTS, experimentId, TIMEOUT, TIMEOUT,
                record -> last[0] = record.value() == null ? null : readable(record).orElse(last[0]));
        return Optional.ofNullable(last[0]);
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
