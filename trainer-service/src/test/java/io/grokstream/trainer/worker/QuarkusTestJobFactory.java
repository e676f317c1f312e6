package io.grokstream.trainer.worker;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.trainer.engine.TrainingJob;
import io.grokstream.trainer.engine.TrainingListener;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * TEST FIXTURE, never shipped: inside {@code @QuarkusTest} applications the service's worker trains with
 * {@link CountingJobs} instead of DJL. PyTorch's native library can be loaded by one classloader per JVM only
 * ("already loaded in another classloader"); Quarkus tests run first in their own classloader, so a DJL run there
 * would break every plain JUnit test of the module that trains with the real engine ({@code EngineWorkerTest}, the
 * engine's own tests). The real engine through the worker and a real broker is tested in {@code EngineWorkerTest}.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class QuarkusTestJobFactory implements JobFactory {
    private final CountingJobs jobs = new CountingJobs(5);

    @Override
    public TrainingJob create(ExperimentSubmitted experiment, TaskDefined task, SnapshotCodec.Snapshot checkpoint,
                              TrainingListener listener) {
        return jobs.create(experiment, task, checkpoint, listener);
    }
}
