package io.grokstream.trainer.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.SnapshotReason;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A submitted experiment checked against its task and its checkpoint, before a thread or native memory is spent
 * (the optimizer and the GrokFast filter check their own settings, {@link AdamW} and {@link GrokFast#of}). A refusal
 * is an {@link IllegalArgumentException} naming the field.
 *
 * @param layout     the task's data laid out for the model
 * @param checkpoint the experiment's own checkpoint to resume from, or null for a fresh run
 * @param metadata   what every snapshot and checkpoint of the run says: task, task digest, model config, dtype
 */
record RunPlan(ExperimentSubmitted experiment, TaskDefined task, TaskLayout layout, SnapshotCodec.Snapshot checkpoint,
               Map<String, String> metadata) {

    RunPlan {
        if (experiment == null || experiment.model() == null || layout == null || metadata == null) {
            throw new IllegalArgumentException("a run plan needs an experiment with a model, a task layout and metadata");
        }
        ModelConfig config = experiment.model();
        for (var g : config.outputs()) {
            if (layout.targets().stream().noneMatch(t -> t.unembed().equals(config.unembedName(g)))) {
                throw new IllegalArgumentException("output group " + g.name() + " is read by no target of task "
                        + task.taskId());
            }
        }
        if (config.parameterCount() > ModelConfig.MAX_PARAMETERS) {
            throw new IllegalArgumentException("model has " + config.parameterCount() + " parameters, more than "
                    + ModelConfig.MAX_PARAMETERS);
        }
        var budget = experiment.budget();
        if (budget == null || budget.maxSteps() < 1) {
            throw new IllegalArgumentException("budget.maxSteps must be >= 1");
        }
        var c = experiment.cadence();
        if (c == null || c.metricsEvery() < 1 || c.snapshotEvery() < 1 || c.snapshotEveryEarly() < 1
                || c.checkpointEvery() < 1 || c.earlySteps() < 0) {
            throw new IllegalArgumentException("cadence: metricsEvery, snapshotEvery, snapshotEveryEarly and "
                    + "checkpointEvery must be >= 1, earlySteps >= 0");
        }
        if (checkpoint != null && !experiment.experimentId().equals(checkpoint.experimentId())) {
            throw new IllegalArgumentException("checkpoint belongs to experiment " + checkpoint.experimentId()
                    + ", not " + experiment.experimentId());
        }
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Checks {@code experiment} (which must not be null) against {@code task} and {@code checkpointOrNull}. */
    static RunPlan of(ExperimentSubmitted experiment, TaskDefined task, SnapshotCodec.Snapshot checkpointOrNull) {
        ModelConfig config = experiment.model();
        if (config == null) {
            throw new IllegalArgumentException("experiment.model is required");
        }
        TaskLayout layout = new TaskLayout(config, task);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(SnapshotCodec.META_TASK, String.valueOf(task.taskId()));
        meta.put(SnapshotCodec.META_TASK_SHA, String.valueOf(task.sha256()));
        try {
            meta.put(SnapshotCodec.META_CONFIG, EventCodec.JSON.writeValueAsString(config));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model config does not encode as JSON: " + e.getOriginalMessage(), e);
        }
        meta.put("dtype", config.dtype());
        return new RunPlan(experiment, task, layout, checkpointOrNull, meta);
    }

    ModelConfig config() {
        return experiment.model();
    }

    /** The experiment's optimizer, Nanda's when it names none. */
    OptimizerConfig optimizer() {
        return experiment.optimizer() == null ? NandaPreset.optimizer() : experiment.optimizer();
    }

    /** The batch sampler's seed, drawn from the experiment's seed (with it, a checkpoint's {@code state.rng}). */
    long shuffleSeed() {
        return SplitMix64.mix(experiment.seed(), 0x5EED5EEDL);
    }

    /** Refuses a checkpointed state (null: none) whose RNG state another seed drew. */
    void requireOwnSeeds(TrainingState state) {
        if (state != null && (state.seed() != experiment.seed() || state.shuffleSeed() != shuffleSeed())) {
            throw new IllegalArgumentException("checkpoint RNG state [" + state.seed() + ", " + state.shuffleSeed()
                    + "] does not come from seed " + experiment.seed());
        }
    }

    /** The weights after step {@code t} as a snapshot record, saying why it was taken. */
    SnapshotCodec.Snapshot snapshot(long t, Map<String, Tensor> weights, SnapshotReason reason) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("kind", "snapshot");
        meta.put(SnapshotCodec.META_REASON, reason.wire());
        return new SnapshotCodec.Snapshot(experiment.experimentId(), t, weights, meta);
    }

    /** {@code state} as a checkpoint record ({@link TrainingState#encode}). */
    SnapshotCodec.Snapshot checkpoint(TrainingState state) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("kind", "checkpoint");
        meta.put("grokfast", experiment.grokfast() == null ? "none" : experiment.grokfast().kind());
        return state.encode(experiment.experimentId(), meta);
    }
}
