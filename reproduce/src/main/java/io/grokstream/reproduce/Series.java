package io.grokstream.reproduce;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One quantity over training steps (a loss, an accuracy, a progress measure), ascending in step. The queries are
 * the ones a claim needs: when a curve first crosses a level, its value at a step, its extremes over a window.
 */
public final class Series {
    private final String name;
    private final long[] steps;
    private final double[] values;

    public Series(String name, long[] steps, double[] values) {
        if (steps.length != values.length) {
            throw new IllegalArgumentException(name + ": " + steps.length + " steps but " + values.length + " values");
        }
        for (int i = 1; i < steps.length; i++) {
            if (steps[i] <= steps[i - 1]) {
                throw new IllegalArgumentException(name + ": steps must ascend, got " + steps[i - 1] + " then " + steps[i]);
            }
        }
        this.name = name;
        this.steps = steps.clone();
        this.values = values.clone();
    }

    /** A series with no points (a field the run never reported). */
    public static Series empty(String name) {
        return new Series(name, new long[0], new double[0]);
    }

    public String name() {
        return name;
    }

    public int size() {
        return steps.length;
    }

    public boolean isEmpty() {
        return steps.length == 0;
    }

    public long step(int i) {
        return steps[i];
    }

    public double value(int i) {
        return values[i];
    }

    public long[] steps() {
        return steps.clone();
    }

    public double[] values() {
        return values.clone();
    }

    public long lastStep() {
        requireData();
        return steps[steps.length - 1];
    }

    public double lastValue() {
        requireData();
        return values[values.length - 1];
    }

    /** The first step at or after {@code from} whose value is {@code >= level}. */
    public OptionalLong firstAtOrAbove(double level, long from) {
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] >= from && values[i] >= level) {
                return OptionalLong.of(steps[i]);
            }
        }
        return OptionalLong.empty();
    }

    public OptionalLong firstAtOrAbove(double level) {
        return firstAtOrAbove(level, Long.MIN_VALUE);
    }

    /** The first step at or after {@code from} whose value is {@code < level}. */
    public OptionalLong firstBelow(double level, long from) {
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] >= from && values[i] < level) {
                return OptionalLong.of(steps[i]);
            }
        }
        return OptionalLong.empty();
    }

    /** The value at the last recorded step {@code <= step} (the curve is a step function between points). */
    public OptionalDouble valueAt(long step) {
        int i = Arrays.binarySearch(steps, step);
        if (i < 0) {
            i = -i - 2;
        }
        return i < 0 ? OptionalDouble.empty() : OptionalDouble.of(values[i]);
    }

    /** The largest value over steps in [from, to], or empty when no point lies there. */
    public OptionalDouble maxBetween(long from, long to) {
        return extremeBetween(from, to, true);
    }

    public OptionalDouble minBetween(long from, long to) {
        return extremeBetween(from, to, false);
    }

    /** The step of the largest value over [from, to]. */
    public OptionalLong argMaxBetween(long from, long to) {
        long best = 0;
        double max = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] >= from && steps[i] <= to && values[i] > max) {
                max = values[i];
                best = steps[i];
                any = true;
            }
        }
        return any ? OptionalLong.of(best) : OptionalLong.empty();
    }

    private OptionalDouble extremeBetween(long from, long to, boolean max) {
        double best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        boolean any = false;
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] >= from && steps[i] <= to && Double.isFinite(values[i])) {
                best = max ? Math.max(best, values[i]) : Math.min(best, values[i]);
                any = true;
            }
        }
        return any ? OptionalDouble.of(best) : OptionalDouble.empty();
    }

    /** The median value (the upper one of an even count), NaN when empty. */
    public double median() {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** At most {@code n} evenly spaced points (first and last kept), for figures and the JSON file. */
    public Series downsample(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("downsample needs at least 2 points, got " + n);
        }
        if (steps.length <= n) {
            return this;
        }
        long[] s = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int j = (int) Math.round(i * (steps.length - 1) / (double) (n - 1));
            s[i] = steps[j];
            v[i] = values[j];
        }
        return new Series(name, s, v);
    }

    private void requireData() {
        if (steps.length == 0) {
            throw new IllegalStateException(name + " has no points");
        }
    }
}
