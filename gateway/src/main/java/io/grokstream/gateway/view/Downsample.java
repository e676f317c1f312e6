package io.grokstream.gateway.view;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Downsampling of histories, keeping every bucket's extremes (min/max per bucket, as M4 does for line charts): the points between the first and the last are cut into equal
 * buckets by index, and each bucket keeps, for every series, the point holding its minimum and the one holding its
 * maximum (NaN ignored). So a one-step spike or dip of any series is kept at every bucket count: it is its bucket's
 * extreme, and a chart drawn from the result shows each bucket's full range, as the full history would at that
 * width (the slingshot spikes and sudden transitions that even spacing skips). With {@code s} series,
 * {@code maxPoints} gives {@code max(1, (maxPoints - 2) / (2s))} buckets, so the result holds at most
 * {@code maxPoints} points when {@code maxPoints >= 2s + 2}, and at most {@code 2s + 2} below that.
 * Even spacing by index, which this replaced, skipped whatever fell between its picks.
 */
public final class Downsample {
    private Downsample() {
    }

    /** The history thinned to each bucket's extremes of every series; short histories come back whole. */
    public static <T> List<T> extremes(List<T> points, Integer maxPoints, List<ToDoubleFunction<T>> series) {
        if (maxPoints == null || points.size() <= maxPoints) {
            return points;
        }
        checkMaxPoints(maxPoints);
        int n = points.size();
        boolean[] keep = new boolean[n];
        keep[0] = true;
        keep[n - 1] = true;
        int[] edges = bucketEdges(n, maxPoints, series.size());
        for (int b = 0; b + 1 < edges.length; b++) {
            for (ToDoubleFunction<T> s : series) {
                int min = -1;
                int max = -1;
                for (int i = edges[b]; i < edges[b + 1]; i++) {
                    double v = s.applyAsDouble(points.get(i));
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    if (min < 0 || v < s.applyAsDouble(points.get(min))) {
                        min = i;
                    }
                    if (max < 0 || v > s.applyAsDouble(points.get(max))) {
                        max = i;
                    }
                }
                if (min >= 0) {
                    keep[min] = true;
                    keep[max] = true;
                }
            }
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out.add(points.get(i));
            }
        }
        return out;
    }

    /**
     * The buckets {@link #extremes} cuts {@code n > maxPoints} points into: bucket {@code b} is indices
     * {@code edges[b]} (included) to {@code edges[b + 1]} (excluded), covering indices 1 to n - 2.
     */
    public static int[] bucketEdges(int n, int maxPoints, int seriesCount) {
        int interior = n - 2;
        int buckets = Math.max(1, Math.min(interior, (maxPoints - 2) / (2 * Math.max(1, seriesCount))));
        int[] edges = new int[buckets + 1];
        for (int b = 0; b <= buckets; b++) {
            edges[b] = 1 + (int) ((long) b * interior / buckets);
        }
        return edges;
    }

    private static void checkMaxPoints(int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be at least 2, got " + maxPoints);
        }
    }
}
