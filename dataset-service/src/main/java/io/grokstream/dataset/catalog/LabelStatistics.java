package io.grokstream.dataset.catalog;

import io.grokstream.contracts.TaskDefined;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Label statistics per target and the far-from-uniform warning.
 *
 * <p>Normalised entropy is {@code H / ln C} with {@code H = -sum_k s_k ln s_k} over the C declared classes
 * ({@code s_k} the share of class k, {@code 0 ln 0 = 0}): 1 for uniform labels. The shares of the most and least
 * frequent class count empty classes (a min share of 0 means some class never occurs).
 *
 * <p>Warning threshold: a target is far from uniform when any class holds more than twice or less than half its
 * uniform share {@code 1/C}, or the normalised entropy is below 0.95. Why: modular multiplication and division
 * (class 0 holds (2p-1)/p^2, just under twice 1/p) are known to grok and stay below it, while Patel et al.'s
 * failing case {@code (x^7 + y^7) mod 113} (7 divides 112, so x^7 takes 17 values) has 16 empty classes, a max
 * share 6.9x uniform and entropy 0.915; the same pair mod 101 (x^7 a bijection) is exactly uniform.
 */
public final class LabelStatistics {
    public static final double MAX_SHARE_FACTOR = 2.0;
    public static final double MIN_SHARE_FACTOR = 0.5;
    public static final double MIN_NORMALIZED_ENTROPY = 0.95;

    private LabelStatistics() {
    }

    public static TaskDefined.TargetStatistics of(String target, int[][] labels, int column, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("target " + target + " needs at least 2 classes, got " + classes);
        }
        long[] histogram = new long[classes];
        for (int[] row : labels) {
            int label = row[column];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("target " + target + " has label " + label + " outside 0.." + (classes - 1));
            }
            histogram[label]++;
        }
        return of(target, histogram);
    }

    public static TaskDefined.TargetStatistics of(String target, long[] histogram) {
        long total = 0;
        long max = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        for (long count : histogram) {
            total += count;
            max = Math.max(max, count);
            min = Math.min(min, count);
        }
        if (total == 0) {
            throw new IllegalArgumentException("target " + target + " has no labels");
        }
        double entropy = 0;
        for (long count : histogram) {
            if (count > 0) {
                double share = (double) count / total;
                entropy -= share * Math.log(share);
            }
        }
        return new TaskDefined.TargetStatistics(target, histogram, entropy / Math.log(histogram.length),
                (double) max / total, (double) min / total);
    }

    public static List<TaskDefined.TargetStatistics> all(List<TaskDefined.Target> targets, int[][] labels) {
        List<TaskDefined.TargetStatistics> statistics = new ArrayList<>(targets.size());
        for (int t = 0; t < targets.size(); t++) {
            statistics.add(of(targets.get(t).name(), labels, t, targets.get(t).classes()));
        }
        return statistics;
    }

    /** The warning for a far-from-uniform target, or {@code null} when its labels are close to uniform. */
    public static String warning(TaskDefined.TargetStatistics s) {
        int classes = s.histogram().length;
        double uniform = 1.0 / classes;
        boolean far = s.maxClassShare() > MAX_SHARE_FACTOR * uniform || s.minClassShare() < MIN_SHARE_FACTOR * uniform
                || s.normalizedEntropy() < MIN_NORMALIZED_ENTROPY;
        if (!far) {
            return null;
        }
        long empty = java.util.Arrays.stream(s.histogram()).filter(c -> c == 0).count();
        return String.format(Locale.ROOT, "target %s: labels far from uniform (normalised entropy %.3f, most frequent "
                        + "class %.2fx and least frequent %.2fx the uniform share 1/%d, %d empty classes); "
                        + "uneven labels can stop grokking (Patel et al.: (x^7 + y^7) mod 113)",
                s.target(), s.normalizedEntropy(), s.maxClassShare() / uniform, s.minClassShare() / uniform, classes, empty);
    }
}
