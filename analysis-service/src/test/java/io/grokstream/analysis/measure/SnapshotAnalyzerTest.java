package io.grokstream.analysis.measure;

import io.grokstream.analysis.ModularTasks;
import io.grokstream.analysis.forward.JavaForward;
import io.grokstream.analysis.math.NeuronFrequencies;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole suite through the Java forward pass, on weights planted by hand and on random weights (p = 113). */
class SnapshotAnalyzerTest {
    private static final int P = 113;
    private static final TaskDefined TASK = ModularTasks.addition("add-113", P, 0.3, 1);
    private static final ModelConfig CFG = ModularTasks.smallConfig(P, 32, 4, 8, 48);
    private final SnapshotAnalyzer analyzer = new SnapshotAnalyzer(new JavaForward(), NeuronFrequencies.NANDA);

    @Test
    void plantedFourierAlgorithmReportsExactlyItsFrequencies() {
        Measures m = analyzer.analyse(CFG, ModularTasks.planted(CFG, P, new int[]{14, 35, 41}, 3), TASK);
        Map<String, Double> s = m.scalars();
        assertEquals(List.of(14, 35, 41), m.keyFrequencies());
        for (double f : m.spectra().get(Measure.NEURON_EXPLAINED_FRACTION.wire())) {
            assertTrue(f > 0.9, "explained fraction " + f);
        }
        assertEquals(1.0, s.get(Measure.TEST_ACCURACY.wire()), 0, "the planted network computes (x + y) mod p");
        double full = s.get(Measure.FULL_LOSS.wire());
        assertTrue(s.get(Measure.RESTRICTED_LOSS.wire()) <= full + 0.05,
                "restricted loss " + s.get(Measure.RESTRICTED_LOSS.wire()) + " vs full " + full);
        assertTrue(s.get(Measure.EXCLUDED_LOSS.wire()) > Math.log(P), "excluded loss " + s.get(Measure.EXCLUDED_LOSS.wire()));
        assertEquals(3.0, s.get(Measure.OMEGA.wire()), 0);
        assertTrue(s.get(Measure.GINI_EMBED.wire()) > 0.9, "embedding uses 6 of 113 components");
        double[] embedNorms = m.spectra().get(Measure.EMBED_FREQUENCY_NORMS.wire());
        for (int k = 1; k < embedNorms.length; k++) {
            boolean key = k == 14 || k == 35 || k == 41;
            assertEquals(key, embedNorms[k] > 1, "embedding norm at frequency " + k + " is " + embedNorms[k]);
        }
        // W_Q = W_K = 0: uniform attention from the last position, 1/3 on each of x, y and '='.
        double[] attention = m.grids().get(Measure.ATTENTION_LAST.wire());
        for (double a : attention) {
            assertEquals(1.0 / 3, a, 1e-9);
        }
        assertEquals(6.0, s.get("erank.embed.W_E"), 1e-6, "six equal singular values of the planted embedding");
    }

    @Test
    void randomWeightsHaveNoKeyFrequencies() {
        Measures m = analyzer.analyse(CFG, ModularTasks.random(CFG, 3), TASK);
        assertEquals(List.of(), m.keyFrequencies());
        assertTrue(m.scalars().get(Measure.GINI_EMBED.wire()) < 0.3);
        double restricted = m.scalars().get(Measure.RESTRICTED_LOSS.wire());
        assertTrue(restricted > Math.log(P) - 0.05, "no better than chance without key frequencies: " + restricted);
        assertTrue(m.scalars().get(Measure.TEST_ACCURACY.wire()) < 0.05);
    }

    @Test
    void weightNormsAreSumsOfSquares() {
        Map<String, Tensor> w = ModularTasks.random(CFG, 4);
        Measures m = analyzer.analyse(CFG, w, TASK);
        double total = 0;
        for (var e : w.entrySet()) {
            double s = 0;
            for (double v : e.getValue().doubles()) {
                s += v * v;
            }
            assertEquals(s, m.scalars().get("weight_sq." + e.getKey()), 1e-9);
            total += s;
        }
        assertEquals(total, m.scalars().get(Measure.WEIGHT_SQ_TOTAL.wire()), 1e-9);
        assertEquals(CFG.dModel(), m.spectra().get("sv.embed.W_E").length);
        assertTrue(m.scalars().containsKey("erank.blocks.0.attn.W_QK.3"));
        assertTrue(m.scalars().containsKey("ov_copying.0"));
    }

    @Test
    void weightsOfTheWrongShapeAreRejected() {
        Map<String, Tensor> w = new java.util.LinkedHashMap<>(ModularTasks.random(CFG, 5));
        w.put("unembed.W_U", Tensor.ofFloats(new float[32 * 7], 32, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> analyzer.analyse(CFG, w, TASK));
        assertEquals("parameter unembed.W_U has shape [32, 7], the model config says [32, 113]", e.getMessage());
    }

    @Test
    void nonResidueTaskGetsWeightMeasuresOnly() {
        TaskDefined t = TASK;
        TaskDefined noResidues = new TaskDefined(t.taskId(), "custom", t.parameters(), t.vocabulary(), t.seqLen(),
                t.targets(), null, t.data(), t.sha256(), t.statistics(), t.warnings(), t.definedAt());
        Measures m = analyzer.analyse(CFG, ModularTasks.random(CFG, 6), noResidues);
        assertEquals(0.0, m.scalars().get(Measure.FOURIER_APPLICABLE.wire()));
        assertTrue(!m.scalars().containsKey(Measure.RESTRICTED_LOSS.wire()));
        assertTrue(m.scalars().containsKey(Measure.TEST_LOSS.wire()));
    }

    @Test
    void everyNameTheSuiteWritesIsAMeasureOfTheContractsOfItsShape() {
        Measures m = analyzer.analyse(CFG, ModularTasks.planted(CFG, P, new int[]{14, 35, 41}, 3), TASK);
        Map<Measure.Shape, java.util.Set<String>> written = Map.of(Measure.Shape.SCALAR, m.scalars().keySet(),
                Measure.Shape.SPECTRUM, m.spectra().keySet(), Measure.Shape.GRID, m.grids().keySet());
        java.util.Set<Measure> seen = java.util.EnumSet.noneOf(Measure.class);
        written.forEach((shape, names) -> names.forEach(n -> {
            Measure measure = Measure.named(n).orElseThrow(() -> new AssertionError(n + " is not in contracts' Measure"));
            assertEquals(shape, measure.shape(), n);
            seen.add(measure);
        }));
        // a residue task with the full model writes every measure the platform names but the per-target family,
        // which only tasks with several targets write
        java.util.Set<Measure> unseen = java.util.EnumSet.complementOf(java.util.EnumSet.copyOf(seen));
        assertEquals(java.util.EnumSet.copyOf(PerTargetMeasuresTest.PER_TARGET), unseen);
    }
}
