package io.grokstream.model.intervene;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.model.reference.Activation;
import io.grokstream.model.reference.HookNames;
import io.grokstream.model.reference.RandomWeights;
import io.grokstream.model.reference.ReferenceForward;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HookedForwardTest {

    private static final List<ModelConfig> CONFIGS = List.of(
            new ModelConfig(1, 16, 2, 8, 32, 8, 3, List.of(new OutputGroup("out", 7)), false, false, false, true, "float64"),
            new ModelConfig(2, 12, 3, 4, 20, 9, 4, List.of(new OutputGroup("a", 5), new OutputGroup("b", 3)),
                    false, false, true, true, "float64"),
            new ModelConfig(2, 8, 2, 4, 8, 6, 3, List.of(new OutputGroup("out", 5)), true, false, false, false, "float64"),
            new ModelConfig(1, 8, 2, 4, 16, 6, 3, List.of(new OutputGroup("out", 5)), false, true, true, true, "float64"));

    private static int[][] tokens(ModelConfig c, int rows, long seed) {
        Random r = new Random(seed);
        int[][] t = new int[rows][c.nCtx()];
        for (int[] row : t) {
            for (int s = 0; s < row.length; s++) {
                row[s] = r.nextInt(c.dVocab());
            }
        }
        return t;
    }

    private static int[] allPositions(ModelConfig c) {
        int[] p = new int[c.nCtx()];
        for (int s = 0; s < p.length; s++) {
            p[s] = s;
        }
        return p;
    }

    @Test
    void withoutHooksEveryArchitectureGivesTheReferenceLogitsAtEveryPosition() {
        for (ModelConfig c : CONFIGS) {
            Map<String, Tensor> w = RandomWeights.of(c, 7);
            int[][] t = tokens(c, 5, 3);
            Map<String, double[][][]> mine = new HookedForward(c, w).run(t, new int[5], allPositions(c), HookedForward.Hook.NONE);
            ReferenceForward.Result ref = new ReferenceForward(c, w).run(t);
            for (OutputGroup g : c.outputs()) {
                for (int b = 0; b < t.length; b++) {
                    for (int s = 0; s < c.nCtx(); s++) {
                        assertArrayEquals(ref.logits(g.name())[b][s], mine.get(g.name())[b][s], 1e-10, c + " " + g);
                    }
                }
            }
            assertTrue(new HookedForward(c, w).agreesWithReference(t));
        }
    }

    @Test
    void hooksSeeTheReferenceActivationsBeforeTheLastBlock() {
        ModelConfig c = CONFIGS.get(1);
        Map<String, Tensor> w = RandomWeights.of(c, 11);
        int[][] t = tokens(c, 4, 5);
        ReferenceForward.Result ref = new ReferenceForward(c, w).run(t);
        Map<String, Activation> seen = new HashMap<>();
        new HookedForward(c, w).run(t, new int[4], new int[]{3}, (name, a, rows) -> seen.put(name, new Activation(a.shape(), a.values().clone())));
        assertEquals(HookNames.all(c).size(), seen.size());
        for (String name : List.of(HookNames.EMBED, HookNames.residPre(0), HookNames.pattern(0), HookNames.z(0),
                HookNames.mlpPost(0), HookNames.residPost(0), HookNames.residPre(1))) {
            assertArrayEquals(ref.activation(name).values(), seen.get(name).values(), 1e-10, name);
        }
        // the last block is computed only where the logits are read: position 3 equals the reference there
        Activation post = seen.get(HookNames.mlpPost(1));
        for (int b = 0; b < 4; b++) {
            for (int n = 0; n < c.dMlp(); n++) {
                assertEquals(ref.activation(HookNames.mlpPost(1)).get(b, 3, n), post.get(b, 3, n), 1e-10);
                assertEquals(0.0, post.get(b, 0, n));
            }
        }
    }

    @Test
    void zeroingANeuronInAHookEqualsZeroingItsOutputWeights() {
        ModelConfig c = CONFIGS.get(0);
        Map<String, Tensor> w = RandomWeights.of(c, 3);
        int[][] t = tokens(c, 6, 9);
        int neuron = 5;
        Map<String, double[][][]> hooked = new HookedForward(c, w).run(t, new int[6], new int[]{2}, (name, a, rows) -> {
            if (name.equals(HookNames.mlpPost(0))) {
                double[] v = a.values();
                for (int i = neuron; i < v.length; i += c.dMlp()) {
                    v[i] = 0;
                }
            }
        });
        Map<String, Tensor> edited = new HashMap<>(w);
        double[] wOut = w.get("blocks.0.mlp.W_out").doubles();
        for (int o = 0; o < c.dModel(); o++) {
            wOut[neuron * c.dModel() + o] = 0;
        }
        edited.put("blocks.0.mlp.W_out", Tensor.ofDoubles(wOut, c.dMlp(), c.dModel()));
        ReferenceForward.Result ref = new ReferenceForward(c, edited).run(t);
        for (int b = 0; b < t.length; b++) {
            assertArrayEquals(ref.logits("out")[b][2], hooked.get("out")[b][0], 1e-10);
        }
    }

    @Test
    void aHookChangesOnlyWhatComesAfterIt() {
        ModelConfig c = CONFIGS.get(0);
        Map<String, Tensor> w = RandomWeights.of(c, 4);
        int[][] t = tokens(c, 3, 1);
        List<String> order = new ArrayList<>();
        Map<String, double[][][]> plain = new HookedForward(c, w).run(t, new int[3], new int[]{2}, HookedForward.Hook.NONE);
        Map<String, double[][][]> shifted = new HookedForward(c, w).run(t, new int[3], new int[]{2}, (name, a, rows) -> {
            order.add(name);
            if (name.equals(HookNames.residPost(0))) {
                a.values()[2 * c.dModel()] += 1.0; // batch row 0, position 2, dimension 0
            }
        });
        assertEquals(HookNames.all(c), order);
        double[] wU = w.get("unembed.W_U").doubles();
        for (int k = 0; k < 7; k++) {
            assertEquals(plain.get("out")[0][0][k] + wU[k], shifted.get("out")[0][0][k], 1e-10);
        }
        assertArrayEquals(plain.get("out")[1][0], shifted.get("out")[1][0], 0.0);
    }
}
