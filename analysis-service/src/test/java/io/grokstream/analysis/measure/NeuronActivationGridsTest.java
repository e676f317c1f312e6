package io.grokstream.analysis.measure;

import io.grokstream.analysis.ModularTasks;
import io.grokstream.analysis.forward.JavaForward;
import io.grokstream.analysis.math.NeuronFrequencies;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.testkit.PlantedWeights;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Neuron activation heatmaps over (x, y) (Nanda et al. 2023, Fig. 3) on planted and random weights, p = 113. */
class NeuronActivationGridsTest {
    private static final int P = 113;
    private static final int[] KEYS = {14, 35, 41};
    private static final TaskDefined TASK = ModularTasks.addition("add-113", P, 0.3, 1);
    private static final ModelConfig CFG = ModularTasks.smallConfig(P, 32, 4, 8, 48);
    /** The measures topic's limit: the broker default max.message.bytes. */
    private static final int ONE_MIB = 1 << 20;
    private final SnapshotAnalyzer analyzer = new SnapshotAnalyzer(new JavaForward(), NeuronFrequencies.NANDA);

    @Test
    void plantedNeuronGridsEqualTheirDirectActivationOnePerKeyFrequency() {
        Measures m = analyzer.analyse(CFG, ModularTasks.planted(CFG, P, KEYS, 3), TASK);
        Map<String, double[]> grids = neuronGrids(m);
        assertEquals(NeuronActivationGrids.MAX_NEURONS, grids.size(), "grids " + grids.keySet());
        Set<Integer> frequencies = new TreeSet<>();
        for (var e : grids.entrySet()) {
            int n = Integer.parseInt(e.getKey().substring(Measure.NEURON_ACTIVATION_OF.wire().length()));
            assertArrayEquals(new int[]{P, P}, m.gridShapes().get(e.getKey()));
            // PlantedWeights: neuron n reads key frequency KEYS[n % 3] with phase 2 pi ((n / 3) mod 8) / 8 and
            // computes ReLU(cos(wx + phi) + cos(wy + phi)), w = 2 pi k / p.
            int k = KEYS[n % KEYS.length];
            frequencies.add(k);
            double phi = 2 * Math.PI * ((n / KEYS.length) % 8) / 8;
            double[] g = e.getValue();
            for (int x = 0; x < P; x++) {
                for (int y = 0; y < P; y++) {
                    double direct = Math.max(0, Math.cos(2 * Math.PI * k * x / P + phi)
                            + Math.cos(2 * Math.PI * k * y / P + phi));
                    double tol = 5e-4 * Math.abs(direct) + 1e-5; // 4 significant digits, float32 weights
                    assertEquals(direct, g[x * P + y], tol, "neuron " + n + " at (" + x + ", " + y + ")");
                }
            }
            assertEquals(k, dominantFrequencyAlongX(g), "neuron " + n + " is periodic with its planted frequency");
        }
        assertEquals(Set.of(14, 35, 41), frequencies, "one neuron per key-frequency cluster first");
    }

    @Test
    void publishedValuesHaveFourSignificantDigits() {
        assertEquals(0.1235, NeuronActivationGrids.round(0.123456789), 0);
        assertEquals(-1.235e-5, NeuronActivationGrids.round(-1.23456e-5), 0);
        assertEquals(98770.0, NeuronActivationGrids.round(98765.4), 0);
        assertEquals(0.0, NeuronActivationGrids.round(0.0), 0);
        assertEquals("0.1235", Double.toString(NeuronActivationGrids.round(0.123456789)));
    }

    @Test
    void fastRoundingAgreesWithDecimalRoundingAcrossMagnitudes() {
        java.util.Random random = new java.util.Random(7);
        java.math.MathContext four = new java.math.MathContext(NeuronActivationGrids.SIGNIFICANT_DIGITS);
        for (int i = 0; i < 200_000; i++) {
            double v = (random.nextBoolean() ? 1 : -1) * random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            double expected = new java.math.BigDecimal(v).round(four).doubleValue();
            assertEquals(expected, NeuronActivationGrids.round(v), 0, "rounding " + v);
            assertEquals(Double.toString(expected), Double.toString(NeuronActivationGrids.round(v)), "printing " + v);
        }
        assertEquals(1000.0, NeuronActivationGrids.round(999.96), 0);
        assertEquals(1e-30, NeuronActivationGrids.round(1.00001e-30), 1e-44);
    }

    @Test
    void randomWeightsGiveFourGridsOfShapePByP() {
        Measures m = analyzer.analyse(CFG, ModularTasks.random(CFG, 3), TASK);
        Map<String, double[]> grids = neuronGrids(m);
        assertEquals(NeuronActivationGrids.MAX_NEURONS, grids.size(), "grids " + grids.keySet());
        double[] fraction = m.spectra().get(Measure.NEURON_EXPLAINED_FRACTION.wire());
        double lowestShown = Double.POSITIVE_INFINITY;
        for (var e : grids.entrySet()) {
            assertArrayEquals(new int[]{P, P}, m.gridShapes().get(e.getKey()));
            assertEquals(P * P, e.getValue().length);
            int n = Integer.parseInt(e.getKey().substring(Measure.NEURON_ACTIVATION_OF.wire().length()));
            lowestShown = Math.min(lowestShown, fraction[n]);
        }
        long higherHidden = 0;
        for (int n = 0; n < fraction.length; n++) {
            if (!grids.containsKey(Measure.NEURON_ACTIVATION_OF.wire() + n) && fraction[n] > lowestShown) {
                higherHidden++;
            }
        }
        assertEquals(0, higherHidden, "without key frequencies the highest explained fractions are drawn");
    }

    @Test
    void progressMeasuredJsonStaysWellUnderOneMebibyteAtP113() {
        ModelConfig nanda = ModelConfig.nanda(P); // d_model 128, d_mlp 512: the spectra of the real model
        for (Measures m : new Measures[]{
                analyzer.analyse(nanda, ModularTasks.random(nanda, 7), TASK),
                analyzer.analyse(nanda, PlantedWeights.of(nanda, P, KEYS, 3), TASK)}) {
            ProgressMeasured event = new ProgressMeasured("exp-size", 1_000_000L, "analysis-v1", m.scalars(),
                    m.spectra(), m.keyFrequencies(), m.grids(), m.gridShapes(), 0, 1234.5);
            int bytes = EventCodec.encode(event).length;
            System.out.println("ProgressMeasured JSON at p = " + P + ": " + bytes + " bytes");
            assertTrue(bytes < ONE_MIB / 2, "JSON is " + bytes + " bytes, more than half the 1 MiB limit");
        }
    }

    @Test
    void noGridsAbovePOf127() {
        int p = NeuronActivationGrids.MAX_P + 2;
        MeasureSink out = new MeasureSink();
        NeuronFrequencies nf = new NeuronFrequencies(new int[]{1}, new double[]{0.9}, new int[p / 2 + 1],
                java.util.List.of(), new int[p / 2 + 1], 0, 0);
        NeuronActivationGrids.add(io.grokstream.analysis.math.Dense.adopt(p * p, 1, new double[p * p]), p, nf, out);
        assertTrue(!out.hasGrids());
    }

    private static Map<String, double[]> neuronGrids(Measures m) {
        return m.grids().entrySet().stream().filter(e -> e.getKey().startsWith(Measure.NEURON_ACTIVATION_OF.wire()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Brute-force DFT along x of every column y: the nonzero frequency with the most energy. */
    private static int dominantFrequencyAlongX(double[] g) {
        int best = 0;
        double bestEnergy = -1;
        for (int f = 1; f <= P / 2; f++) {
            double energy = 0;
            for (int y = 0; y < P; y++) {
                double re = 0;
                double im = 0;
                for (int x = 0; x < P; x++) {
                    double a = 2 * Math.PI * f * x / P;
                    re += g[x * P + y] * Math.cos(a);
                    im += g[x * P + y] * Math.sin(a);
                }
                energy += re * re + im * im;
            }
            if (energy > bestEnergy) {
                bestEnergy = energy;
                best = f;
            }
        }
        return best;
    }
}
