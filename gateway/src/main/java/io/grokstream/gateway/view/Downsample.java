package io.grokstream.gateway.view;

import java.util.ArrayList;
import java.util.List;

/**
 * Evenly spaced downsampling of a history: index {@code round(i (n - 1) / (k - 1))} for {@code i = 0..k-1},
 * so the first and last points are always kept and the rest are spread over the index range.
 */
public final class Downsample {
    private Downsample() {
    }

    public static <T> List<T> evenly(List<T> points, Integer maxPoints) {
        if (maxPoints == null || points.size() <= maxPoints) {
            return points;
        }
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be at least 2, got " + maxPoints);
        }
        int n = points.size();
        List<T> out = new ArrayList<>(maxPoints);
        int last = -1;
        for (int i = 0; i < maxPoints; i++) {
            int idx = (int) Math.round((double) i * (n - 1) / (maxPoints - 1));
            if (idx != last) {
                out.add(points.get(idx));
                last = idx;
            }
        }
        return out;
    }
}
