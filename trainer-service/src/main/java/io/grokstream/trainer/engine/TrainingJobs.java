package io.grokstream.trainer.engine;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;

/**
 * The one way to make a {@link TrainingJob}: the Kafka worker and the CLI both call {@link #create}. Everything is
 * validated here, before a thread or native memory is spent: a bad experiment/task pair fails with an
 * {@link IllegalArgumentException} naming the field, which the worker turns into {@code TrainingFailed}.
 */
public final class TrainingJobs {

    private TrainingJobs() {
    }

    /**
     * @param checkpointOrNull the experiment's latest checkpoint (from {@code grokstream.checkpoints.v1}) to resume
     *                         from, or {@code null} for a fresh run
     * @throws IllegalArgumentException when the experiment, task or checkpoint do not fit together
     */
    public static TrainingJob create(ExperimentSubmitted experiment, TaskDefined task,
                                     SnapshotCodec.Snapshot checkpointOrNull, TrainingListener listener) {
        return create(experiment, task, checkpointOrNull, listener, EngineOptions.defaults());
    }

    /** As {@link #create(ExperimentSubmitted, TaskDefined, SnapshotCodec.Snapshot, TrainingListener)} with explicit options. */
    public static TrainingJob create(ExperimentSubmitted experiment, TaskDefined task,
                                     SnapshotCodec.Snapshot checkpointOrNull, TrainingListener listener,
                                     EngineOptions options) {
        return new DjlTrainingJob(experiment, task, checkpointOrNull, listener,
                options == null ? EngineOptions.defaults() : options, StepProbe.NONE);
    }
}
