package io.grokstream.trainer.engine;

/**
 * One experiment's training, run on a worker thread. Construct it with the experiment, its task, an optional
 * checkpoint to resume from and a listener; {@link #run()} trains until the budget, the early stop, a failure or
 * {@link #cancel()}.
 *
 * <p>Implementation contract (shared by the engine and the Kafka worker):
 * <pre>
 *   TrainingJob job = TrainingJobs.create(ExperimentSubmitted experiment, TaskDefined task,
 *                                         SnapshotCodec.Snapshot checkpointOrNull, TrainingListener listener);
 *   executor.submit(job);   // run() returns after listener.completed(..) or listener.failed(..)
 *   job.cancel();           // stops within a few steps; completed(reason "cancelled")
 *   job.step();             // steps done so far (for progress)
 * </pre>
 */
public interface TrainingJob extends Runnable {

    /** Asks the run to stop after the current step. */
    void cancel();

    /** Optimizer steps completed so far. */
    long step();
}
