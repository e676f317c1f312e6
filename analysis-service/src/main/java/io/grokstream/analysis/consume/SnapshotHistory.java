package io.grokstream.analysis.consume;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KeyedHistory;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads one experiment's weight snapshots back from {@code grokstream.snapshots.v1}, oldest first
 * ({@link KeyedHistory}: only the partition the experiment id hashes to).
 */
public final class SnapshotHistory {
    private SnapshotHistory() {
    }

    /** Hands every snapshot of {@code experimentId} on the topic now to {@code sink}; returns how many. */
    public static int read(KafkaAccess access, String experimentId, Consumer<SnapshotCodec.Snapshot> sink) {
        int[] count = {0};
        KeyedHistory.read(access, "analysis-retrospective", Topics.SNAPSHOTS, experimentId, Duration.ofSeconds(30),
                null, r -> {
                    if (r.value() == null) {
                        return;
                    }
                    SnapshotCodec.Snapshot s;
                    try {
                        s = SnapshotCodec.decode(r.value());
                    } catch (RuntimeException e) {
                        return;   // unreadable: the live consumer has dead-lettered it already
                    }
                    sink.accept(s);
                    count[0]++;
                });
        return count[0];
    }
}
