package io.grokstream.model.reference;

import io.grokstream.model.Biases;
import io.grokstream.model.MlpActivation;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.NormPlacement;
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

    @Test
    void geluIsTheExactErfGeluAtKnownValues() {
        // GELU(x) = x Phi(x): Phi(1) = 0.841344746068543, Phi(-1) = 0.158655253931457 (normal tables)
        assertEquals(0.8413447460685429, MlpActivation.GELU.apply(1.0), 1e-15);
        assertEquals(-0.15865525393145707, MlpActivation.GELU.apply(-1.0), 1e-15);
        assertEquals(0.0, MlpActivation.GELU.apply(0.0));
        assertEquals(-2.0 * 0.022750131948179195, MlpActivation.GELU.apply(-2.0), 1e-15);
        assertEquals(7 * (1 - 1.279812543885835e-12), MlpActivation.GELU.apply(7.0), 1e-14);   // Phi(7) = 1 - 1.28e-12
        assertEquals(0.0, MlpActivation.RELU.apply(-3.0));
    }

    @Test
    void attentionBiasesAndGeluEnterWhereTheDefinitionSays() {
        // TINY with Biases.ALL and GELU: b_V = 1 makes v = 4, 3; b_K shifts every key (q = 0: no effect);
        // z = 4, 3.5; attn_out = z [1, 0] + b_O [0, 1] -> resid_mid [5,2], [5.5,1]; pre = x0 - 5 x1 = -5, 0.5
        ModelConfig cfg = new ModelConfig(1, 2, 1, 1, 1, 3, 2, List.of(new OutputGroup("out", 2)), false, false,
                false, true, "float64", MlpActivation.GELU, Biases.ALL, null, 0, null);
        Map<String, Tensor> w = tinyWeights();
        w.put("blocks.0.attn.b_Q", Tensor.ofDoubles(new double[]{0}, 1, 1));
        w.put("blocks.0.attn.b_K", Tensor.ofDoubles(new double[]{5}, 1, 1));
        w.put("blocks.0.attn.b_V", Tensor.ofDoubles(new double[]{1}, 1, 1));
        w.put("blocks.0.attn.b_O", Tensor.ofDoubles(new double[]{0, 1}, 2));
        ReferenceForward.Result r = new ReferenceForward(cfg, w).run(new int[][]{{2, 0}});

        assertArrayEquals(new double[]{4, 3.5}, r.activation(HookNames.z(0)).values(), EPS);
        assertArrayEquals(new double[]{5, 2, 5.5, 1}, r.activation(HookNames.residMid(0)).values(), EPS);
        assertArrayEquals(new double[]{-5, 0.5}, r.activation(HookNames.mlpPre(0)).values(), EPS);
        double g5 = -5 * 2.866515718791939e-7;                // -5 Phi(-5)
        double gHalf = 0.5 * 0.6914624612740131;              // 0.5 Phi(0.5)
        assertArrayEquals(new double[]{g5, gHalf}, r.activation(HookNames.mlpPost(0)).values(), 1e-15);
        assertArrayEquals(new double[]{5 + 2 * g5, 3, 5.5 + 2 * gHalf, 2},
                r.activation(HookNames.residPost(0)).values(), 1e-12);
    }

    @Test
    void leesNormedResidualCarriesLayerNormOneOutputNotTheStream() {
        // W_O = 0 and no attention bias: attn_out = 0, so resid_mid = LN1(resid_pre) with PRE_NORMED_RESIDUAL
        // and resid_pre itself with PRE. resid_pre [1,1] normalises to [0,0], [2,0] to [1,-1]/sqrt(1 + 1e-5).
        ModelConfig pre = new ModelConfig(1, 2, 1, 1, 1, 3, 2, List.of(new OutputGroup("out", 2)), false, false,
                true, true, "float64");
        ModelConfig lee = new ModelConfig(1, 2, 1, 1, 1, 3, 2, List.of(new OutputGroup("out", 2)), false, false,
                true, true, "float64", null, null, NormPlacement.PRE_NORMED_RESIDUAL, 0, null);
        Map<String, Tensor> w = tinyWeights();
        w.put("blocks.0.attn.W_O", Tensor.ofDoubles(new double[]{0, 0}, 1, 1, 2));
        for (String ln : List.of("blocks.0.ln1", "blocks.0.ln2", "ln_final")) {
            w.put(ln + ".w", Tensor.ofDoubles(new double[]{1, 1}, 2));
            w.put(ln + ".b", Tensor.ofDoubles(new double[]{0, 0}, 2));
        }
        double n = 1 / Math.sqrt(1 + ReferenceForward.LAYER_NORM_EPS);
        assertArrayEquals(new double[]{0, 0, n, -n},
                new ReferenceForward(lee, w).run(new int[][]{{2, 0}}).activation(HookNames.residMid(0)).values(), EPS);
        assertArrayEquals(new double[]{1, 1, 2, 0},
                new ReferenceForward(pre, w).run(new int[][]{{2, 0}}).activation(HookNames.residMid(0)).values(), EPS);
    }
}
