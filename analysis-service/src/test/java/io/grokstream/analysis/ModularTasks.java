package io.grokstream.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.testkit.ModularAdditionTask;
import io.grokstream.testkit.PlantedWeights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test fixtures: a modular-addition task as the dataset service would publish it, a snapshot as the trainer would,
 * random weights, and weights planted by hand to implement Nanda et al.'s algorithm at chosen frequencies (the task
 * and the planted weights are testkit's, which the analysis benchmark in bench uses too).
 */
public final class ModularTasks {
    private ModularTasks() {
    }

    public static TaskDefined addition(String taskId, int p, double trainFraction, long seed) {
        return ModularAdditionTask.of(taskId, p, trainFraction, seed);
    }

    /** A weight snapshot as the trainer publishes it: task id and sha, and the model config, in its metadata. */
    public static SnapshotCodec.Snapshot snapshot(String experiment, long step, TaskDefined task, ModelConfig cfg,
                                           Map<String, Tensor> weights) throws JsonProcessingException {
        return new SnapshotCodec.Snapshot(experiment, step, weights, Map.of(
                SnapshotCodec.META_TASK, task.taskId(),
                SnapshotCodec.META_TASK_SHA, task.sha256(),
                SnapshotCodec.META_CONFIG, EventCodec.JSON.writeValueAsString(cfg)));
    }

    public static ModelConfig smallConfig(int p, int dModel, int heads, int dHead, int dMlp) {
        return new ModelConfig(1, dModel, heads, dHead, dMlp, p + 1, 3, List.of(new OutputGroup("out", p)),
                false, false, false, true, "float32");
    }

    /** Gaussian weights with standard deviation 1/sqrt(fan-in), the shapes the config declares. */
    public static Map<String, Tensor> random(ModelConfig cfg, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (var spec : cfg.parameters()) {
            int[] shape = spec.shape();
            float[] v = new float[(int) spec.size()];
            double scale = 1.0 / Math.sqrt(shape.length >= 2 ? shape[shape.length - 2] : shape[0]);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rnd.nextGaussian() * scale);
            }
            w.put(spec.name(), Tensor.ofFloats(v, shape));
        }
        return w;
    }

    public static Map<String, Tensor> planted(ModelConfig cfg, int p, int[] frequencies, double gain) {
        return PlantedWeights.of(cfg, p, frequencies, gain);
    }
}
