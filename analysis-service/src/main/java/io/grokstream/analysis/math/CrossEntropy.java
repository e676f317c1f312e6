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
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, l[base + j]);
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(l[base + j] - max);
            }
            sum += max + Math.log(s) - l[base + label];
        }
        return sum / count;
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
        double[] out = new double[logits.rows()];
        int[] one = new int[1];
        for (int r = 0; r < out.length; r++) {
            one[0] = r;
            out[r] = mean(logits, labels, one);
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
