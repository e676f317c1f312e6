package io.grokstream.trainer.worker;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.trainer.engine.TrainingJob;
import io.grokstream.trainer.engine.TrainingJobs;
import io.grokstream.trainer.engine.TrainingListener;
import jakarta.enterprise.context.ApplicationScoped;

/** The production {@link JobFactory}: the DJL engine's {@link TrainingJobs#create}. */
@ApplicationScoped
public class EngineJobFactory implements JobFactory {

    @Override
    public TrainingJob create(ExperimentSubmitted experiment, TaskDefined task, SnapshotCodec.Snapshot checkpointOrNull,
                              TrainingListener listener) {
        return TrainingJobs.create(experiment, task, checkpointOrNull, listener);
    }
}
