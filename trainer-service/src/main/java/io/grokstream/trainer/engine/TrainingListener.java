package io.grokstream.trainer.engine;

import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;

/**
 * What a training run tells the outside world. The engine knows nothing of Kafka: the worker's implementation
 * publishes to the topics, the CLI's writes files and draws a progress bar. Calls come from the training thread
 * in step order; exactly one of {@link #completed} or {@link #failed} ends a run.
 */
public interface TrainingListener {

    /** The run began on {@code device} (DJL's name, e.g. {@code cpu()} or {@code gpu(0)}), from a checkpoint's step or 0. */
    void started(String device, long resumedFromStep);

    void metrics(StepMetrics metrics);

    /** Weights after a step, TransformerLens names, metadata: experiment, step, task, config. */
    void snapshot(SnapshotCodec.Snapshot snapshot);

    /**
     * The full training state after a step (weights, AdamW moments, GrokFast state, step, RNG) as one safetensors
     * snapshot; a run resumed from it continues bit-identically on the CPU.
     */
    void checkpoint(SnapshotCodec.Snapshot state);

    void anomaly(TrainingAnomaly anomaly);

    void completed(TrainingCompleted completed);

    void failed(TrainingFailed failed);
}
