package io.grokstream.trainer.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.ParameterSpec;
import io.grokstream.model.Tensor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the engine's DJL forward pass on given weights and rows, outside a training job. */
final class ForwardFixtures {

    private ForwardFixtures() {
    }

    static TaskDefined task(ModelConfig c, int[][] inputs, List<TaskDefined.Target> targets) {
        int[][] labels = new int[inputs.length][targets.size()];
        int[] train = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            train[i] = i;
        }
        return new TaskDefined("t", "custom", Map.of(), List.of(), c.nCtx(), targets, null,
                new TaskDefined.TaskData(inputs, labels, train), "sha", List.of(), List.of(), Instant.now());
    }

    /** logits[target][row][class] from the DJL forward pass. */
    static double[][][] djlLogits(ModelConfig c, TaskDefined task, Map<String, Tensor> weights) {
        Engine.getEngine("PyTorch");
        Autograd.off();
        TaskLayout layout = new TaskLayout(c, task);
        try (NDManager pm = NDManager.newBaseManager(); Network net = new Network(c, layout, pm)) {
            net.load(weights);
            int[] rows = layout.trainRows();
            try (NDManager sm = pm.newSubManager()) {
                net.params().values().forEach(w -> w.tempAttach(sm));
                List<NDArray> logits = net.logits(net.tokens(rows, sm), sm);
                double[][][] out = new double[logits.size()][][];
                for (int k = 0; k < logits.size(); k++) {
                    int classes = layout.targets().get(k).classes();
                    double[] flat = logits.get(k).toType(DataType.FLOAT64, false).toDoubleArray();
                    out[k] = new double[rows.length][classes];
                    for (int r = 0; r < rows.length; r++) {
                        System.arraycopy(flat, r * classes, out[k][r], 0, classes);
                    }
                }
                return out;
            }
        }
    }

    /** Every parameter random (biases and LayerNorm too), so nothing is tested only at zero or one. */
    static Map<String, Tensor> randomWeights(ModelConfig c, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParameterSpec spec : c.parameters()) {
            double[] v = new double[(int) spec.size()];
            rng.fillGaussian(v);
            for (int i = 0; i < v.length; i++) {
                v[i] = spec.isLayerNormScale() ? 1 + 0.3 * v[i] : v[i] / Math.sqrt(c.dModel()) * 1.5;
            }
            out.put(spec.name(), TensorConversions.tensor(v, Tensor.DType.of(c.dtype()), spec.shape()));
        }
        return out;
    }

    static int[][] allSequences(int vocab, int n, int max, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        List<int[]> rows = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            int[] row = new int[n];
            for (int p = 0; p < n; p++) {
                row[p] = rng.nextInt(vocab);
            }
            rows.add(row);
        }
        return rows.toArray(new int[0][]);
    }
}
