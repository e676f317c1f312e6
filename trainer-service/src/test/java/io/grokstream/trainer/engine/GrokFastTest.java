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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * The ring's running total against Lee et al.'s {@code sum(deque)} re-summed every step, here in double
     * precision: 2,000 steps of window 100 (Lee et al.'s MA, lambda 5) over 1,000 gradient elements with a slowly
     * drifting mean, as a training run's gradients have. Adding the new gradient and subtracting the leaving one
     * rounds in float32 at every step; the filtered gradients stay within 1e-5 of their largest element.
     */
    @Test
    void movingAverageRunningTotalFollowsTheResummedWindow() {
        int window = 100, n = 1_000, steps = 2_000;
        double lambda = 5;
        GrokFast f = GrokFast.of(GrokFastConfig.ma(window, lambda));
        java.util.ArrayDeque<float[]> queue = new java.util.ArrayDeque<>();
        java.util.Random random = new java.util.Random(21);
        double worst = 0;
        try (NDManager pm = NDManager.newBaseManager()) {
            for (int t = 0; t < steps; t++) {
                float[] g = new float[n];
                for (int i = 0; i < n; i++) {
                    g[i] = (float) (Math.sin(t / 300.0 + i) + 0.3 * random.nextGaussian());
                }
                queue.addLast(g);
                if (queue.size() > window) {
                    queue.removeFirst();
                }
                try (NDManager sm = pm.newSubManager()) {
                    f.arrays().forEach(a -> a.tempAttach(sm));
                    float[] got = f.apply(Map.of("w", sm.create(g)), sm, pm).get("w").toFloatArray();
                    double scale = 0;
                    double diff = 0;
                    for (int i = 0; i < n; i++) {
                        double want = g[i];
                        if (queue.size() == window) {
                            double total = 0;
                            for (float[] q : queue) {
                                total += q[i];
                            }
                            want += lambda * total / window;
                        }
                        scale = Math.max(scale, Math.abs(want));
                        diff = Math.max(diff, Math.abs(want - got[i]));
                    }
                    worst = Math.max(worst, diff / scale);
                }
            }
            f.close();
        }
        assertTrue(worst < 1e-5, "largest relative difference " + worst);
        assertTrue(worst > 0, "float32 rounding shows: the comparison is live");
    }

    /** A checkpoint from before the ring (grokfast.ma.<i>.<param>, i = 0 oldest) restores the window in order. */
    @Test
    void movingAverageRestoresTheQueueCheckpointFormat() {
        GrokFast f = GrokFast.of(new GrokFastConfig("ma", 0.98, 1.0, 2, "mean"));
        try (NDManager pm = NDManager.newBaseManager()) {
            f.restore(Map.of(GrokFast.MovingAverage.PREFIX + "1.w", pm.create(new double[]{2}),
                    GrokFast.MovingAverage.PREFIX + "0.w", pm.create(new double[]{1})));
            try (NDManager sm = pm.newSubManager()) {
                f.arrays().forEach(a -> a.tempAttach(sm));
                // window [1, 2] then 4 arrives: 1 leaves, mean of [2, 4] = 3, g' = 4 + 3
                assertArrayEquals(new double[]{7}, f.apply(Map.of("w", sm.create(new double[]{4})), sm, pm)
                        .get("w").toDoubleArray(), 1e-12);
            }
            f.close();
        }
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
                    f.arrays().forEach(a -> a.tempAttach(sm));
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
