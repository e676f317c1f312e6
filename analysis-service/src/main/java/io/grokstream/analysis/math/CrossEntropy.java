package io.grokstream.analysis.math;

/**
 * Mean softmax cross-entropy of logits against integer labels, computed stably with log-sum-exp in double
 * precision (Nanda et al. 2023 compute it in float64 too: float32 rounding floors the loss near 1e-7).
 */
public final class CrossEntropy {
    private CrossEntropy() {
    }

    /** Mean over {@code rows} (null: every row). */
    public static double mean(Dense logits, int[] labels, int[] rows) {
        if (labels.length != logits.rows()) {
            throw new IllegalArgumentException("need one label per logits row: " + labels.length + " labels, "
                    + logits.rows() + " rows");
        }
        int c = logits.cols();
        double[] l = logits.raw();
        int count = rows == null ? logits.rows() : rows.length;
        if (count == 0) {
            throw new IllegalArgumentException("cross-entropy over no rows");
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            int r = rows == null ? i : rows[i];
            int label = labels[r];
            if (label < 0 || label >= c) {
                throw new IllegalArgumentException("label " + label + " of row " + r + " outside 0.." + (c - 1));
            }
            int base = r * c;
            sum += logSumExp(l, base, c) - l[base + label];
        }
        return sum / count;
    }

    /** {@code log sum_j exp(v[off + j])} over {@code c} values, stably (the largest subtracted first). */
    public static double logSumExp(double[] v, int off, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, v[off + j]);
        }
        double s = 0;
        for (int j = 0; j < c; j++) {
            s += Math.exp(v[off + j] - max);
        }
        return max + Math.log(s);
    }

    /** Whether each row's arg-max logit (the first, on a tie) is its label: computed once, shared by every subset. */
    public static boolean[] hits(Dense logits, int[] labels) {
        int c = logits.cols();
        double[] l = logits.raw();
        boolean[] hit = new boolean[logits.rows()];
        for (int r = 0; r < hit.length; r++) {
            int base = r * c;
            int arg = 0;
            double best = l[base];
            for (int j = 1; j < c; j++) {
                double v = l[base + j];
                if (v > best) {
                    best = v;
                    arg = j;
                }
            }
            hit[r] = arg == labels[r];
        }
        return hit;
    }

    /** Share of {@code rows} (null: all) that {@link #hits} marks; 0 for no rows. */
    public static double shareOf(boolean[] hits, int[] rows) {
        int count = rows == null ? hits.length : rows.length;
        int correct = 0;
        for (int i = 0; i < count; i++) {
            if (hits[rows == null ? i : rows[i]]) {
                correct++;
            }
        }
        return count == 0 ? 0 : (double) correct / count;
    }

    /** Share of {@code rows} (null: all) whose arg-max logit is the label. */
    public static double accuracy(Dense logits, int[] labels, int[] rows) {
        int c = logits.cols();
        double[] l = logits.raw();
        int count = rows == null ? logits.rows() : rows.length;
        int correct = 0;
        for (int i = 0; i < count; i++) {
            int r = rows == null ? i : rows[i];
            int base = r * c;
            int arg = 0;
            for (int j = 1; j < c; j++) {
                if (l[base + j] > l[base + arg]) {
                    arg = j;
                }
            }
            if (arg == labels[r]) {
                correct++;
            }
        }
        return count == 0 ? 0 : (double) correct / count;
    }

    /** Cross-entropy of every row (computed once, averaged over any subset by {@link #meanOf}). */
    public static double[] perRow(Dense logits, int[] labels) {
        if (labels.length != logits.rows()) {
            throw new IllegalArgumentException("need one label per logits row: " + labels.length + " labels, "
                    + logits.rows() + " rows");
        }
        int c = logits.cols();
        double[] l = logits.raw();
        double[] out = new double[logits.rows()];
        for (int r = 0; r < out.length; r++) {
            int label = labels[r];
            if (label < 0 || label >= c) {
                throw new IllegalArgumentException("label " + label + " of row " + r + " outside 0.." + (c - 1));
            }
            out[r] = logSumExp(l, r * c, c) - l[r * c + label];
        }
        return out;
    }

    /** Mean of {@code values} over {@code rows} (null: all); 0 for no rows. */
    public static double meanOf(double[] values, int[] rows) {
        int count = rows == null ? values.length : rows.length;
        double s = 0;
        for (int i = 0; i < count; i++) {
            s += values[rows == null ? i : rows[i]];
        }
        return count == 0 ? 0 : s / count;
    }
}
