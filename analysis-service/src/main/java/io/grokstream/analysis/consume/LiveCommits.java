package io.grokstream.analysis.consume;

import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The live snapshot consumer's commits: on each partition it commits its position, but never past the oldest open
 * gap there ({@link OpenGaps}), so whoever reads the partition next (this instance after a restart, or another
 * after a rebalance) measures what was skipped. Commits only what moved. Poll thread only.
 */
final class LiveCommits {
    private static final Logger LOG = Logger.getLogger(LiveCommits.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final OpenGaps gaps;
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    LiveCommits(KafkaConsumer<String, byte[]> consumer, OpenGaps gaps) {
        this.consumer = consumer;
        this.gaps = gaps;
    }

    void commitSafe() {
        commitSafe(consumer.assignment());
    }

    private void commitSafe(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long position = consumer.position(tp);
            long safe = Math.min(position, gaps.lowestOffset(tp).orElse(position));
            if (!committed.containsKey(tp) || committed.get(tp) != safe) {
                offsets.put(tp, new OffsetAndMetadata(safe));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        } catch (RebalanceInProgressException e) {
            LOG.debug("commit deferred: rebalance in progress");
        }
    }

    /**
     * Commits and forgets the gaps of partitions that leave, and tells the phase book which experiments this
     * instance owns (phases are published by the instance that measures the experiment's snapshots).
     */
    ConsumerRebalanceListener rebalanceListener(PhaseBook phases) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                try {
                    commitSafe(partitions);
                } catch (RuntimeException e) {
                    LOG.warn("offsets of revoked partitions not committed: " + e.getMessage());
                }
                leave(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                leave(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                own(phases);
            }

            private void leave(Collection<TopicPartition> partitions) {
                gaps.forget(partitions);
                partitions.forEach(committed::remove);
                own(phases);
            }
        };
    }

    private void own(PhaseBook phases) {
        Set<TopicPartition> assigned = Set.copyOf(consumer.assignment());
        int partitions = consumer.partitionsFor(Topics.SNAPSHOTS).size();
        phases.ownOnly(id -> assigned.contains(new TopicPartition(Topics.SNAPSHOTS, Topics.partitionFor(id, partitions))));
    }
}
