package io.grokstream.trainer.engine;

import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ForwardPassTest {

    /**
     * d_model 2, one head of size 1, d_mlp 1, vocabulary {0, 1}, two positions, the target at position 1.
     * W_E = I, W_pos = 0, W_Q = W_K = (1, 0), W_V = (0, 1), W_O = (1, 1), W_in = (1, 1), b_in = -1,
     * W_out = (2, -1), b_out = (0, 0.5), W_U = I.
     *
     * <p>Tokens (0, 1): x0 = (1, 0), x1 = (0, 1); q1 = 0, keys (1, 0): scores (0, 0), pattern (1/2, 1/2);
     * values (0, 1): z = 1/2, attention out (1/2, 1/2); resid (1/2, 3/2); MLP pre = 1/2 + 3/2 - 1 = 1, out = (2, -1/2);
     * logits (5/2, 1).
     *
     * <p>Tokens (1, 0): x0 = (0, 1), x1 = (1, 0); q1 = 1, keys (0, 1): scores (0, 1), pattern (1/(1+e), e/(1+e));
     * values (1, 0): z = a = 1/(1+e); resid (1 + a, a); MLP pre = 2a, out = (4a, 1/2 - 2a);
     * logits (1 + 5a, 1/2 - a).
     */
    @Test
    void tinyModelMatchesHandComputedLogits() {
        ModelConfig c = new ModelConfig(1, 2, 1, 1, 1, 2, 2, List.of(new OutputGroup("out", 2)),
                false, false, false, true, "float64");
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("embed.W_E", Tensor.ofDoubles(new double[]{1, 0, 0, 1}, 2, 2));
        w.put("pos_embed.W_pos", Tensor.ofDoubles(new double[]{0, 0, 0, 0}, 2, 2));
        w.put("blocks.0.attn.W_Q", Tensor.ofDoubles(new double[]{1, 0}, 1, 2, 1));
        w.put("blocks.0.attn.W_K", Tensor.ofDoubles(new double[]{1, 0}, 1, 2, 1));
        w.put("blocks.0.attn.W_V", Tensor.ofDoubles(new double[]{0, 1}, 1, 2, 1));
        w.put("blocks.0.attn.W_O", Tensor.ofDoubles(new double[]{1, 1}, 1, 1, 2));
        w.put("blocks.0.mlp.W_in", Tensor.ofDoubles(new double[]{1, 1}, 2, 1));
        w.put("blocks.0.mlp.b_in", Tensor.ofDoubles(new double[]{-1}, 1));
        w.put("blocks.0.mlp.W_out", Tensor.ofDoubles(new double[]{2, -1}, 1, 2));
        w.put("blocks.0.mlp.b_out", Tensor.ofDoubles(new double[]{0, 0.5}, 2));
        w.put("unembed.W_U", Tensor.ofDoubles(new double[]{1, 0, 0, 1}, 2, 2));
        TaskDefined task = ForwardFixtures.task(c, new int[][]{{0, 1}, {1, 0}},
                List.of(new TaskDefined.Target("out", 1, 2, "out", 1.0)));

        double[][] logits = ForwardFixtures.djlLogits(c, task, w)[0];

        double a = 1 / (1 + Math.E);
        assertEquals(2.5, logits[0][0], 1e-12);
        assertEquals(1.0, logits[0][1], 1e-12);
        assertEquals(1 + 5 * a, logits[1][0], 1e-12);
        assertEquals(0.5 - a, logits[1][1], 1e-12);
    }

    static Stream<ModelConfig> architectures() {
        List<OutputGroup> one = List.of(new OutputGroup("out", 7));
        return Stream.of(
                new ModelConfig(1, 16, 4, 4, 32, 8, 3, one, false, false, false, true, "float32"),
                new ModelConfig(1, 16, 4, 4, 32, 8, 3, one, true, false, false, true, "float32"),
                new ModelConfig(1, 16, 4, 4, 32, 8, 3, one, false, true, false, true, "float32"),
                new ModelConfig(1, 16, 2, 8, 32, 8, 3, one, false, false, true, false, "float32"),
                new ModelConfig(2, 16, 4, 4, 32, 8, 3, one, false, false, true, true, "float64"),
                new ModelConfig(3, 12, 3, 4, 24, 8, 4, List.of(new OutputGroup("a", 5), new OutputGroup("b", 3)),
                        false, false, false, true, "float64"));
    }

    /** Targets at several positions (or only the last), so the last layer's query subset is exercised both ways. */
    @ParameterizedTest
    @MethodSource("architectures")
    void djlForwardEqualsBruteForceAtEveryTarget(ModelConfig c) {
        List<TaskDefined.Target> targets = c.outputs().size() == 1
                ? List.of(new TaskDefined.Target("out", c.nCtx() - 1, 7, "out", 1.0))
                : List.of(new TaskDefined.Target("a1", 1, 5, "a", 1.0), new TaskDefined.Target("b3", 3, 3, "b", 0.5),
                          new TaskDefined.Target("a3", 3, 5, "a", 1.0), new TaskDefined.Target("b0", 0, 3, "b", 1.0));
        int[][] inputs = ForwardFixtures.allSequences(c.dVocab(), c.nCtx(), 20, 7);
        TaskDefined task = ForwardFixtures.task(c, inputs, targets);
        Map<String, Tensor> w = ForwardFixtures.randomWeights(c, 11);

        double[][][] djl = ForwardFixtures.djlLogits(c, task, w);

        PlainForward plain = new PlainForward(c, w);
        double tol = c.dtype().equals("float64") ? 1e-10 : 1e-4;
        for (int k = 0; k < targets.size(); k++) {
            TaskDefined.Target t = targets.get(k);
            OutputGroup g = c.outputs().stream().filter(o -> o.name().equals(t.group())).findFirst().orElseThrow();
            for (int r = 0; r < inputs.length; r++) {
                double[] expected = plain.logits(inputs[r], t.position(), g);
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], djl[k][r][j], tol, "target " + t.name() + " row " + r + " class " + j);
                }
            }
        }
    }
}
