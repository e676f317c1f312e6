package io.grokstream.model.reference;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceForwardTest {

    private static final double EPS = 1e-12;

    /** d_model 2, one head of d_head 1, d_mlp 1, vocab 3, two positions, two classes. */
    private static final ModelConfig TINY = new ModelConfig(1, 2, 1, 1, 1, 3, 2,
            List.of(new OutputGroup("out", 2)), false, false, false, true, "float64");

    private static Map<String, Tensor> tinyWeights() {
        Map<String, Tensor> w = new HashMap<>();
        w.put("embed.W_E", Tensor.ofDoubles(new double[]{1, 0, 0, 1, 1, 1}, 3, 2));
        w.put("pos_embed.W_pos", Tensor.ofDoubles(new double[]{0, 0, 1, 0}, 2, 2));
        w.put("blocks.0.attn.W_Q", Tensor.ofDoubles(new double[]{0, 0}, 1, 2, 1)); // q = 0: uniform causal attention
        w.put("blocks.0.attn.W_K", Tensor.ofDoubles(new double[]{1, 1}, 1, 2, 1));
        w.put("blocks.0.attn.W_V", Tensor.ofDoubles(new double[]{1, 2}, 1, 2, 1));
        w.put("blocks.0.attn.W_O", Tensor.ofDoubles(new double[]{1, 0}, 1, 1, 2));
        w.put("blocks.0.mlp.W_in", Tensor.ofDoubles(new double[]{1, -5}, 2, 1));
        w.put("blocks.0.mlp.b_in", Tensor.ofDoubles(new double[]{0}, 1));
        w.put("blocks.0.mlp.W_out", Tensor.ofDoubles(new double[]{2, 0}, 1, 2));
        w.put("blocks.0.mlp.b_out", Tensor.ofDoubles(new double[]{0, 1}, 2));
        w.put("unembed.W_U", Tensor.ofDoubles(new double[]{1, 0, 0, 1}, 2, 2));
        return w;
    }

    @Test
    void tinyNetworkMatchesTheHandComputation() {
        // tokens [2, 0]: embed [1,1], [1,0]; + W_pos [0,0], [1,0] -> resid_pre [1,1], [2,0]
        // v = x0 + 2 x1 -> 3, 2; q = 0 so query 0 sees [1, 0], query 1 sees [1/2, 1/2] -> z = 3, 2.5
        // attn_out = z [1, 0] -> resid_mid [4,1], [4.5,0]; pre = 4 - 5 = -1 and 4.5 -> post 0, 4.5
        // mlp_out = post [2, 0] + [0, 1] -> [0,1], [9,1]; resid_post [4,2], [13.5,1]; W_U = I
        ReferenceForward.Result r = new ReferenceForward(TINY, tinyWeights()).run(new int[][]{{2, 0}});

        assertArrayEquals(new double[]{1, 1, 1, 0}, r.activation(HookNames.EMBED).values(), EPS);
        assertArrayEquals(new double[]{0, 0, 1, 0}, r.activation(HookNames.POS_EMBED).values(), EPS);
        assertArrayEquals(new double[]{1, 1, 2, 0}, r.activation(HookNames.residPre(0)).values(), EPS);
        assertArrayEquals(new double[]{1, 0, 0.5, 0.5}, r.activation(HookNames.pattern(0)).values(), EPS);
        assertArrayEquals(new double[]{3, 2.5}, r.activation(HookNames.z(0)).values(), EPS);
        assertArrayEquals(new double[]{4, 1, 4.5, 0}, r.activation(HookNames.residMid(0)).values(), EPS);
        assertArrayEquals(new double[]{-1, 4.5}, r.activation(HookNames.mlpPre(0)).values(), EPS);
        assertArrayEquals(new double[]{0, 4.5}, r.activation(HookNames.mlpPost(0)).values(), EPS);
        assertArrayEquals(new double[]{4, 2, 13.5, 1}, r.activation(HookNames.residPost(0)).values(), EPS);
        double[][][] logits = r.logits("out");
        assertArrayEquals(new double[]{4, 2}, logits[0][0], EPS);
        assertArrayEquals(new double[]{13.5, 1}, logits[0][1], EPS);
        assertEquals(HookNames.all(TINY), List.copyOf(r.activations().keySet()));
        assertArrayEquals(new int[]{1, 1, 2, 2}, r.activation(HookNames.pattern(0)).shape());
        assertArrayEquals(new int[]{1, 2, 1, 1}, r.activation(HookNames.z(0)).shape());
    }

    @Test
    void attentionScoresAreScaledBySqrtDHeadAndMaskedAboveTheDiagonal() {
        // d_model 1, one head of d_head 4, W_Q = W_K = [1,1,1,1]: score(i, j) = 4 x_i x_j / sqrt(4) = 2 x_i x_j
        ModelConfig cfg = new ModelConfig(1, 1, 1, 4, 1, 2, 2, List.of(new OutputGroup("out", 2)),
                true, false, false, false, "float64");
        Map<String, Tensor> w = new HashMap<>();
        w.put("embed.W_E", Tensor.ofDoubles(new double[]{0.5, 1}, 2, 1));
        w.put("blocks.0.attn.W_Q", Tensor.ofDoubles(new double[]{1, 1, 1, 1}, 1, 1, 4));
        w.put("blocks.0.attn.W_K", Tensor.ofDoubles(new double[]{1, 1, 1, 1}, 1, 1, 4));
        w.put("blocks.0.attn.W_V", Tensor.ofDoubles(new double[]{1, 0, 0, 0}, 1, 1, 4));
        w.put("blocks.0.attn.W_O", Tensor.ofDoubles(new double[]{1, 0, 0, 0}, 1, 4, 1));
        w.put("unembed.W_U", Tensor.ofDoubles(new double[]{1, -1}, 1, 2));

        ReferenceForward.Result r = new ReferenceForward(cfg, w).run(new int[][]{{0, 1}});

        // x = [0.5, 1]: query 1 scores keys 0, 1 with 2*0.5*1 = 1 and 2*1*1 = 2
        double e = Math.E;
        Activation pattern = r.activation(HookNames.pattern(0));
        assertEquals(1.0, pattern.get(0, 0, 0, 0), EPS);
        assertEquals(0.0, pattern.get(0, 0, 0, 1), 0.0);
        assertEquals(1 / (1 + e), pattern.get(0, 0, 1, 0), EPS);
        assertEquals(e / (1 + e), pattern.get(0, 0, 1, 1), EPS);
        // v = x: z_1 = 0.5/(1+e) + e/(1+e); resid_post = x + z; logits = resid_post [1, -1]
        double resid1 = 1 + (0.5 + e) / (1 + e);
        assertArrayEquals(new double[]{resid1, -resid1}, r.logits("out")[0][1], EPS);
        assertFalse(r.activations().containsKey(HookNames.residMid(0)), "attention-only blocks have no resid_mid");
        assertFalse(r.activations().containsKey(HookNames.POS_EMBED));
    }

    @Test
    void finalLayerNormCentresAndDividesByTheStandardDeviation() {
        // attention-only with W_V = 0: resid_final = embed = [1, 3]; mean 2, variance 1
        ModelConfig cfg = new ModelConfig(1, 2, 1, 1, 1, 2, 1, List.of(new OutputGroup("out", 2)),
                true, false, true, false, "float64");
        Map<String, Tensor> w = new HashMap<>();
        w.put("embed.W_E", Tensor.ofDoubles(new double[]{1, 3, 0, 0}, 2, 2));
        w.put("blocks.0.ln1.w", Tensor.ofDoubles(new double[]{1, 1}, 2));
        w.put("blocks.0.ln1.b", Tensor.ofDoubles(new double[]{0, 0}, 2));
        w.put("blocks.0.attn.W_Q", Tensor.ofDoubles(new double[]{1, 1}, 1, 2, 1));
        w.put("blocks.0.attn.W_K", Tensor.ofDoubles(new double[]{1, 1}, 1, 2, 1));
        w.put("blocks.0.attn.W_V", Tensor.ofDoubles(new double[]{0, 0}, 1, 2, 1));
        w.put("blocks.0.attn.W_O", Tensor.ofDoubles(new double[]{1, 1}, 1, 1, 2));
        w.put("ln_final.w", Tensor.ofDoubles(new double[]{2, 1}, 2));
        w.put("ln_final.b", Tensor.ofDoubles(new double[]{0, 5}, 2));
        w.put("unembed.W_U", Tensor.ofDoubles(new double[]{1, 0, 0, 1}, 2, 2));

        double[] logits = new ReferenceForward(cfg, w).run(new int[][]{{0}}).logits("out")[0][0];

        double inv = 1 / Math.sqrt(1 + ReferenceForward.LAYER_NORM_EPS);
        assertArrayEquals(new double[]{-2 * inv, 5 + inv}, logits, EPS);
    }

    @Test
    void eachBlockReadsTheResidualStreamThePreviousOneWrote() {
        ModelConfig cfg = new ModelConfig(3, 4, 2, 2, 8, 5, 3,
                List.of(new OutputGroup("a", 2), new OutputGroup("b", 3)), false, false, true, true, "float32");
        ReferenceForward.Result r = new ReferenceForward(cfg, RandomWeights.of(cfg, 7)).run(new int[][]{{0, 4, 2}, {1, 1, 3}});

        for (int l = 1; l < 3; l++) {
            assertEquals(r.activation(HookNames.residPost(l - 1)), r.activation(HookNames.residPre(l)));
        }
        for (String hook : HookNames.all(cfg)) {
            assertArrayEquals(HookNames.shape(cfg, hook, 2, 3), r.activation(hook).shape(), hook);
        }
        assertEquals(List.of("a", "b"), List.copyOf(r.logits().keySet()));
        assertEquals(3, r.logits("b")[1][2].length);
        // each pattern row is a distribution over the keys at or before the query
        Activation pattern = r.activation(HookNames.pattern(2));
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 3; i++) {
                    double sum = 0;
                    for (int j = 0; j < 3; j++) {
                        sum += pattern.get(b, h, i, j);
                        if (j > i) {
                            assertEquals(0.0, pattern.get(b, h, i, j), 0.0);
                        }
                    }
                    assertEquals(1.0, sum, 1e-12);
                }
            }
        }
    }

    @Test
    void badWeightsAndTokensNameTheProblem() {
        Map<String, Tensor> w = tinyWeights();
        w.remove("blocks.0.mlp.b_in");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new ReferenceForward(TINY, w));
        assertTrue(missing.getMessage().contains("blocks.0.mlp.b_in"), missing.getMessage());

        Map<String, Tensor> bent = tinyWeights();
        bent.put("unembed.W_U", Tensor.ofDoubles(new double[]{1, 0, 0, 1}, 4, 1));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> new ReferenceForward(TINY, bent));
        assertTrue(shape.getMessage().contains("unembed.W_U"), shape.getMessage());

        ReferenceForward f = new ReferenceForward(TINY, tinyWeights());
        assertThrows(IllegalArgumentException.class, () -> f.run(new int[][]{{0, 3}}));
        assertThrows(IllegalArgumentException.class, () -> f.run(new int[][]{{0, 1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> f.run(new int[][]{{0, 1}, {1}}));
    }
}
