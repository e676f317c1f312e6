package io.grokstream.trainer.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GrokFastTest {

    @BeforeAll
    static void engine() {
        Engine.getEngine("PyTorch");
        Autograd.off();
    }

    /**
     * alpha 0.5, lambda 2, gradients 1, 2, 4 (and -1, 0, 2 in a second element):
     * step 1: ema = g1 = 1, g' = 1 + 2*1 = 3;
     * step 2: ema = 0.5*1 + 0.5*2 = 1.5, g' = 2 + 3 = 5;
     * step 3: ema = 0.5*1.5 + 0.5*4 = 2.75, g' = 4 + 5.5 = 9.5.
     * Second element: ema -1, -0.5, 0.75; g' = -3, -1, 3.5.
     */
    @Test
    void emaFilterMatchesHandComputedSequence() {
        GrokFast f = GrokFast.of(GrokFastConfig.ema(0.5, 2.0));
        List<double[]> out = run(f, new double[][]{{1, -1}, {2, 0}, {4, 2}});
        assertArrayEquals(new double[]{3, -3}, out.get(0), 1e-12);
        assertArrayEquals(new double[]{5, -1}, out.get(1), 1e-12);
        assertArrayEquals(new double[]{9.5, 3.5}, out.get(2), 1e-12);
    }

    /**
     * window 2, lambda 1, gradients 1, 2, 4: step 1 the queue [1] is not full, g' = 1;
     * step 2 queue [1, 2]: mean 1.5, g' = 3.5 (sum 3, g' = 5); step 3 queue [2, 4]: mean 3, g' = 7 (sum 6, g' = 10).
     */
    @Test
    void movingAverageFilterMatchesHandComputedSequenceForMeanAndSum() {
        var mean = new GrokFastConfig("ma", 0.98, 1.0, 2, "mean");
        var sum = new GrokFastConfig("ma", 0.98, 1.0, 2, "sum");
        List<double[]> m = run(GrokFast.of(mean), new double[][]{{1}, {2}, {4}});
        List<double[]> s = run(GrokFast.of(sum), new double[][]{{1}, {2}, {4}});
        assertArrayEquals(new double[]{1}, m.get(0), 1e-12);
        assertArrayEquals(new double[]{3.5}, m.get(1), 1e-12);
        assertArrayEquals(new double[]{7}, m.get(2), 1e-12);
        assertArrayEquals(new double[]{1}, s.get(0), 1e-12);
        assertArrayEquals(new double[]{5}, s.get(1), 1e-12);
        assertArrayEquals(new double[]{10}, s.get(2), 1e-12);
    }

    @Test
    void noneLeavesGradientsAlone() {
        GrokFast f = GrokFast.of(GrokFastConfig.none());
        assertFalse(f.enabled());
        assertArrayEquals(new double[]{1.5}, run(f, new double[][]{{1.5}}).get(0), 0);
    }

    @Test
    void rejectsAnUnknownKindNamingTheField() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GrokFast.of(new GrokFastConfig("fft", 0.9, 1, 10, "mean")));
        assertEquals(true, e.getMessage().contains("grokfast.kind"));
    }

    private static List<double[]> run(GrokFast f, double[][] gradients) {
        List<double[]> out = new ArrayList<>();
        try (NDManager pm = NDManager.newBaseManager()) {
            for (double[] g : gradients) {
                try (NDManager sm = pm.newSubManager()) {
                    f.state().values().forEach(a -> a.tempAttach(sm));
                    NDArray grad = sm.create(g);
                    Map<String, NDArray> filtered = f.apply(Map.of("w", grad), sm, pm);
                    out.add(filtered.get("w").toDoubleArray());
                }
            }
            f.close();
        }
        return out;
    }
}
