package io.grokstream.analysis.measure;

import io.grokstream.analysis.ModularTasks;
import io.grokstream.analysis.forward.JavaForward;
import io.grokstream.analysis.math.NeuronFrequencies;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task with two targets, both (x + y) mod 23, and a network planted by hand (testkit's {@code PlantedWeights}) whose
 * neurons compute frequencies {3, 5, 7}; target {@code a}'s unembedding reads only frequencies 3 and 7, target
 * {@code b}'s only 5 (none is twice another mod 23: the ReLU's harmonics 2w would alias onto it). The known answer:
 * each target's key frequencies are the ones it reads, the other target's are absent from its logits, and its
 * restricted loss is low while its excluded loss is at or above chance.
 */
class PerTargetMeasuresTest {
    /** The families only a task with several targets writes. */
    static final Set<Measure> PER_TARGET = Set.of(Measure.TEST_LOSS_OF, Measure.TEST_ACCURACY_OF,
            Measure.TRAIN_LOSS_OF, Measure.TRAIN_ACCURACY_OF, Measure.LOGIT_FREQUENCY_NORMS_OF,
            Measure.KEY_FREQUENCIES_OF, Measure.KEY_FREQUENCY_COUNT_OF, Measure.RESTRICTED_LOSS_OF,
            Measure.EXCLUDED_LOSS_OF);
    private static final int P = 23;
    private static final int[] ALL = {3, 7, 5};
    private static final Map<String, int[]> READS = Map.of("a", new int[]{3, 7}, "b", new int[]{5});

    private final SnapshotAnalyzer analyzer = new SnapshotAnalyzer(new JavaForward(), NeuronFrequencies.NANDA);

    @Test
    void eachTargetReportsTheFrequenciesItsUnembeddingReads() {
        Measures m = analyzer.analyse(config(), weights(), task());
        Map<String, Double> s = m.scalars();
        assertEquals(List.of(3.0, 7.0), boxed(m.spectra().get(Measure.KEY_FREQUENCIES_OF.member("a"))));
        assertEquals(List.of(5.0), boxed(m.spectra().get(Measure.KEY_FREQUENCIES_OF.member("b"))));
        assertEquals(2.0, s.get(Measure.KEY_FREQUENCY_COUNT_OF.member("a")), 0);
        assertEquals(1.0, s.get(Measure.KEY_FREQUENCY_COUNT_OF.member("b")), 0);
        for (String t : List.of("a", "b")) {
            double restricted = s.get(Measure.RESTRICTED_LOSS_OF.member(t));
            double excluded = s.get(Measure.EXCLUDED_LOSS_OF.member(t));
            assertTrue(restricted < 0.5 * Math.log(P), t + ": restricted loss " + restricted + " is far below chance");
            assertTrue(restricted <= s.get(Measure.TEST_LOSS_OF.member(t)) + 0.05, t + ": restricted " + restricted);
            assertTrue(excluded >= Math.log(P) - 0.05, t + ": excluded loss " + excluded + " is chance or worse");
            assertTrue(s.get(Measure.TRAIN_LOSS_OF.member(t)) < 0.5 * Math.log(P), t + " fits its training inputs");
            assertEquals(1.0, s.get(Measure.TRAIN_ACCURACY_OF.member(t)), 0, t + " is right on every training input");
            double[] norms = m.spectra().get(Measure.LOGIT_FREQUENCY_NORMS_OF.member(t));
            assertEquals((P - 1) / 2 + 1, norms.length);
            // The other target's frequencies: the ReLU's harmonics (2w) may show, those never do.
            for (int k : READS.get(t.equals("a") ? "b" : "a")) {
                assertTrue(norms[k] < 0.05 * max(norms), t + " does not read frequency " + k + ": " + norms[k]);
            }
        }
        assertEquals(List.of(3, 5, 7), m.keyFrequencies(), "the neurons use all three");
        for (String name : s.keySet()) {
            assertTrue(Measure.named(name).isPresent(), name);
        }
        Set<Measure> written = new java.util.HashSet<>();
        s.keySet().forEach(n -> written.add(Measure.named(n).orElseThrow()));
        m.spectra().keySet().forEach(n -> written.add(Measure.named(n).orElseThrow()));
        assertTrue(written.containsAll(PER_TARGET), "every per-target family: " + written);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    private static List<Double> boxed(double[] v) {
        return Arrays.stream(v).boxed().toList();
    }

    private static ModelConfig config() {
        return new ModelConfig(1, 32, 4, 8, 72, P + 1, 3, List.of(new OutputGroup("a", P), new OutputGroup("b", P)),
                false, false, false, true, "float32");
    }

    /** Nanda's algorithm at {3, 7, 5} (one output group), each group's W_U keeping the rows of its frequencies. */
    private static Map<String, Tensor> weights() {
        ModelConfig single = ModularTasks.smallConfig(P, 32, 4, 8, 72);
        Map<String, Tensor> planted = ModularTasks.planted(single, P, ALL, 3);
        float[] wu = planted.get("unembed.W_U").floats();
        int out0 = single.dModel() / 2;
        Map<String, Tensor> w = new LinkedHashMap<>(planted);
        w.remove("unembed.W_U");
        for (String group : List.of("a", "b")) {
            float[] kept = new float[wu.length];
            for (int f = 0; f < ALL.length; f++) {
                int freq = ALL[f];
                if (Arrays.stream(READS.get(group)).anyMatch(r -> r == freq)) {
                    for (int row : new int[]{out0 + 2 * f, out0 + 2 * f + 1}) {
                        System.arraycopy(wu, row * P, kept, row * P, P);
                    }
                }
            }
            w.put("unembed." + group + ".W_U", Tensor.ofFloats(kept, single.dModel(), P));
        }
        return w;
    }

    /** (x + y) mod p twice: targets a and b read at the last position. */
    private static TaskDefined task() {
        TaskDefined t = ModularTasks.addition("add-23-twice", P, 0.3, 1);
        int[][] labels = Arrays.stream(t.data().labels()).map(l -> new int[]{l[0], l[0]}).toArray(int[][]::new);
        return new TaskDefined(t.taskId(), t.kind(), t.parameters(), t.vocabulary(), t.seqLen(),
                List.of(new TaskDefined.Target("a", 2, P, "a", 1.0), new TaskDefined.Target("b", 2, P, "b", 1.0)),
                t.residues(), new TaskDefined.TaskData(t.data().inputs(), labels, t.data().trainRows()), t.sha256(),
                t.statistics(), t.warnings(), t.definedAt());
    }
}
