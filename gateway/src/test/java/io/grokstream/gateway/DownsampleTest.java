package io.grokstream.gateway;

import io.grokstream.gateway.view.Downsample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Min/max-per-bucket downsampling against known answers and planted one-step spikes. */
class DownsampleTest {
    private static final List<Integer> HUNDRED = IntStream.range(0, 100).boxed().toList();

    /** A point of two series: a loss-like curve and an accuracy-like one. */
    record Row(int index, double loss, double accuracy) {
    }

    private static final List<ToDoubleFunction<Row>> BOTH = List.of(Row::loss, Row::accuracy);

    @Test
    void eachBucketKeepsTheMinimumAndMaximumOfItsSeries() {
        // 10 points, maxPoints 4, one series: (4 - 2) / 2 = 1 bucket over indices 1..8; its min is at 8, max at 3
        List<Double> values = List.of(5.0, 4.0, 3.0, 9.0, 2.0, 2.5, 1.5, 1.2, 1.0, 0.9);
        List<Double> kept = Downsample.extremes(values, 4, List.of(v -> v));
        assertEquals(List.of(5.0, 9.0, 1.0, 0.9), kept);
        // maxPoints 6: two buckets, indices 1..4 (max 9.0 at 3, min 2.0 at 4) and 5..8 (max 2.5 at 5, min 1.0 at 8)
        assertEquals(List.of(5.0, 9.0, 2.0, 2.5, 1.0, 0.9), Downsample.extremes(values, 6, List.of(v -> v)));
    }

    @Test
    void bucketsCoverTheInteriorInEqualParts() {
        assertArrayEquals(new int[]{1, 50, 99}, Downsample.bucketEdges(100, 6, 1));
        assertArrayEquals(new int[]{1, 99}, Downsample.bucketEdges(100, 4, 8), "too few points for 8 series: one");
        assertArrayEquals(new int[]{1, 2, 3, 4}, Downsample.bucketEdges(5, 100, 1), "never more buckets than points");
    }

    @Test
    void plantedOneStepSpikesAndDipsSurviveAtEveryBucketCount() {
        Random random = new Random(113);
        int n = 2_000;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Row(i, 2.0 * Math.exp(-i / 500.0) + 0.01 * random.nextGaussian(),
                    0.5 + 0.4 * Math.tanh((i - 1_200) / 50.0) + 0.005 * random.nextGaussian()));
        }
        int[] spikes = {137, 911, 912, 1_555, 1_999 - 1};
        for (int s : spikes) {
            Row r = rows.get(s);
            rows.set(s, new Row(s, r.loss() + 5 + s / 1_000.0, r.accuracy()));   // slingshot: loss jumps for one step
        }
        int dip = 1_400;
        rows.set(dip, new Row(dip, rows.get(dip).loss(), 0.01));                 // accuracy collapses for one step
        for (int maxPoints = 2; maxPoints <= n; maxPoints++) {
            List<Row> kept = Downsample.extremes(rows, maxPoints, BOTH);
            int[] edges = Downsample.bucketEdges(n, maxPoints, BOTH.size());
            for (int s : spikes) {
                double highestInBucket = highestLossIn(kept, bucketOf(edges, s));
                assertTrue(highestInBucket >= rows.get(s).loss() || kept.contains(rows.get(s)),
                        "maxPoints " + maxPoints + ": the spike at " + s + " shows in its bucket");
            }
            assertTrue(kept.contains(rows.get(dip)), "maxPoints " + maxPoints + ": the accuracy dip is kept");
            if (maxPoints >= 2 * BOTH.size() + 2) {
                assertTrue(kept.size() <= maxPoints, "maxPoints " + maxPoints + ": " + kept.size() + " points");
            }
            assertSame(rows.get(0), kept.get(0));
            assertSame(rows.get(n - 1), kept.get(kept.size() - 1));
        }
    }

    @Test
    void evenSpacingWouldHaveLostTheSpike() {
        // the check above can fail: index 175 of 300 is not among round(i * 299 / 59), which even spacing kept
        List<Double> values = new ArrayList<>(IntStream.range(0, 300).mapToObj(i -> 1.0).toList());
        values.set(175, 50.0);
        assertTrue(IntStream.range(0, 60).noneMatch(i -> Math.round(i * 299.0 / 59) == 175));
        assertTrue(Downsample.extremes(values, 60, List.of(v -> v)).contains(50.0));
    }

    private static int[] bucketOf(int[] edges, int index) {
        for (int b = 0; b + 1 < edges.length; b++) {
            if (index >= edges[b] && index < edges[b + 1]) {
                return new int[]{edges[b], edges[b + 1]};
            }
        }
        return new int[]{index, index + 1}; // first or last: always kept
    }

    private static double highestLossIn(List<Row> kept, int[] bucket) {
        return kept.stream().filter(r -> r.index() >= bucket[0] && r.index() < bucket[1]).mapToDouble(Row::loss)
                .max().orElse(Double.NEGATIVE_INFINITY);
    }

    @Test
    void shortHistoriesAndNoLimitComeBackWhole() {
        assertSame(HUNDRED, Downsample.extremes(HUNDRED, null, List.of(i -> i)));
        assertSame(HUNDRED, Downsample.extremes(HUNDRED, 100, List.of(i -> i)));
        assertEquals(List.of(), Downsample.extremes(List.<Integer>of(), 5, List.of(i -> i)));
    }

    @Test
    void fewerThanTwoPointsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Downsample.extremes(HUNDRED, 1, List.of(i -> i)));
    }

    @Test
    void missingValuesAreSkippedNotTakenForExtremes() {
        List<Double> values = List.of(1.0, Double.NaN, 3.0, Double.NaN, 2.0, 0.0, 1.0);
        assertEquals(List.of(1.0, 3.0, 0.0, 1.0), Downsample.extremes(values, 4, List.of(v -> v)));
    }
}
