package io.grokstream.trainer.worker;

import io.grokstream.contracts.EndReason;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.model.Tensor;
import io.grokstream.trainer.engine.TrainingJob;
import io.grokstream.trainer.engine.TrainingListener;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST FIXTURE, never shipped: a stand-in engine that "trains" by sleeping {@code stepMillis} per step and
 * reports through the listener exactly as the contract says (metrics every k steps, snapshots by the cadence, a
 * checkpoint holding {@code state.step} every c steps, resume from a checkpoint's step, cancel within a step).
 * It lets the worker's Kafka behaviour be tested in seconds, and it counts how many jobs run at once.
 */
final class CountingJobs implements JobFactory {
    private final long stepMillis;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();

    CountingJobs(long stepMillis) {
        this.stepMillis = stepMillis;
    }

    int maxRunning() {
        return maxRunning.get();
    }

    int created() {
        return created.get();
    }

    @Override
    public TrainingJob create(ExperimentSubmitted experiment, TaskDefined task, SnapshotCodec.Snapshot checkpoint,
                              TrainingListener listener) {
        created.incrementAndGet();
        return new CountingJob(experiment, checkpoint == null ? 0 : stepOf(checkpoint), listener);
    }

    private static long stepOf(SnapshotCodec.Snapshot checkpoint) {
        return (long) checkpoint.tensors().get("state.step").doubles()[0];
    }

    private final class CountingJob implements TrainingJob {
        private final ExperimentSubmitted experiment;
        private final TrainingListener listener;
        private final long from;
        private volatile boolean cancelled;
        private volatile long step;

        CountingJob(ExperimentSubmitted experiment, long from, TrainingListener listener) {
            this.experiment = experiment;
            this.from = from;
            this.listener = listener;
        }

        @Override
        public void run() {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                step = from;
                listener.started("cpu()", from);
                ExperimentSubmitted.Cadence c = experiment.cadence();
                while (step < experiment.budget().maxSteps()) {
                    if (cancelled) {
                        listener.completed(completed(EndReason.CANCELLED.wire()));
                        return;
                    }
                    Thread.sleep(stepMillis);
                    step++;
                    if (step % c.metricsEvery() == 0) {
                        listener.metrics(new StepMetrics(experiment.experimentId(), step, 1.0 / step, 2.0 / step,
                                0.5, 0.25, Map.of(), Map.of(), Map.of(), Map.of(), 1.0, Map.of(), 1.0, 1e-3,
                                stepMillis));
                    }
                    if (c.snapshotDue(step)) {
                        listener.snapshot(snapshot("weights", step));
                    }
                    if (step % c.checkpointEvery() == 0) {
                        listener.checkpoint(snapshot("state.step", step));
                    }
                }
                listener.completed(completed(EndReason.BUDGET.wire()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                listener.completed(completed(EndReason.CANCELLED.wire()));
            } finally {
                running.decrementAndGet();
            }
        }

        private SnapshotCodec.Snapshot snapshot(String name, long s) {
            return new SnapshotCodec.Snapshot(experiment.experimentId(), s,
                    Map.of(name, Tensor.ofDoubles(new double[]{s}, 1)), Map.of());
        }

        private TrainingCompleted completed(String reason) {
            return new TrainingCompleted(experiment.experimentId(), step, 1.0 / Math.max(1, step), 0.5, 0.5, 0.25,
                    null, null, reason, Instant.now());
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public long step() {
            return step;
        }
    }
}
