package io.grokstream.trainer.worker;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.trainer.engine.TrainingJob;
import io.grokstream.trainer.engine.TrainingListener;

/**
 * How the worker makes a training run: the engine's {@code TrainingJobs::create} in production. An interface so
 * the worker depends on the seam, not on DJL.
 */
@FunctionalInterface
public interface JobFactory {

    TrainingJob create(ExperimentSubmitted experiment, TaskDefined task, SnapshotCodec.Snapshot checkpointOrNull,
                       TrainingListener listener);
}
