package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.TopicFollower;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.Unreadable;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which experiments their teams have cancelled. The worker's own consumer pauses a partition while it trains one
 * of its experiments, so it would not see an {@link ExperimentCancelled} that follows on the same partition; this
 * class therefore reads every partition of {@code grokstream.experiments.v1} from the beginning on its own thread
 * (no consumer group), keeps the cancellations by experiment id and tells the worker of each new one. A
 * cancellation counts only for the team that submitted the experiment (the gateway checks too).
 * Unreadable records are skipped here and left to the worker's queue consumer, which dead-letters them once.
 */
public final class Cancellations implements AutoCloseable {

    private final Map<String, ExperimentCancelled> byExperiment = new ConcurrentHashMap<>();
    private final Consumer<ExperimentCancelled> onCancel;
    private final TopicFollower follower;

    /** @param onCancel called (on the watcher thread, or the caller's of {@link #record}) for each cancellation */
    public Cancellations(KafkaAccess access, String clientId, Consumer<ExperimentCancelled> onCancel) {
        this.onCancel = onCancel;
        String watcher = "cancel-watcher-" + clientId;
        this.follower = TopicFollower.follow(access, watcher, Topics.EXPERIMENTS)
                .pollEvery(Duration.ofMillis(200)).onRecord(this::watch)
                .unreadable(Unreadable.skip(watcher))   // the experiments topic's keeper is the trainer's queue
                .build();
    }

    public Cancellations start() {
        follower.start();
        return this;
    }

    /** Records a cancellation (seen by the watcher or by the worker's own consumer) and passes it on. */
    public void record(ExperimentCancelled cancelled) {
        if (cancelled.experimentId() == null) {
            return;
        }
        byExperiment.putIfAbsent(cancelled.experimentId(), cancelled);
        onCancel.accept(cancelled);
    }

    /** Whether the team that submitted {@code experiment} has cancelled it. */
    public boolean isCancelled(ExperimentSubmitted experiment) {
        return isCancelledBy(experiment.experimentId(), experiment.team());
    }

    /** Whether {@code team} has cancelled {@code experimentId}; another team's cancellation does not count. */
    public boolean isCancelledBy(String experimentId, String team) {
        ExperimentCancelled c = byExperiment.get(experimentId);
        return c != null && Objects.equals(c.team(), team);
    }

    public boolean alive() {
        return follower.alive();
    }

    private void watch(ConsumerRecord<String, byte[]> record) {
        if (EventCodec.decode(record.headers(), record.value()) instanceof ExperimentCancelled c) {
            record(c);
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
