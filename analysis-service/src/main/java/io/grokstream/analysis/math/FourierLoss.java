package io.grokstream.analysis.math;

import java.util.List;

/**
 * Restricted and excluded loss (Nanda et al. 2023, Section 5.1 "Progress measures", and Appendix, definitions
 * used in their {@code get_restricted_loss} / {@code get_excluded_loss}).
 *
 * <p>Over the full grid of inputs (x, y), each key frequency w gives two directions in input space,
 * {@code cos(2 pi w (x+y) / p)} and {@code sin(2 pi w (x+y) / p)}, normalised; for p odd and w in 1..(p-1)/2 they
 * are orthonormal to each other, to the other frequencies' and to the constant direction. For every output class c
 * the logits column {@code L[:, c]} is projected onto them:
 * <ul>
 *   <li><b>restricted logits</b> = per-class mean of L + the projections: the part of the logits the key
 *       frequencies' {@code x+y} terms explain; cross-entropy over <i>all</i> data. It falls as the circuit forms.</li>
 *   <li><b>excluded logits</b> = L - the projections: the network with those directions removed; cross-entropy
 *       over the <i>training</i> data. It rises during circuit formation while the training loss stays low.</li>
 * </ul>
 *
 * @param restricted            restricted loss with all key frequencies together
 * @param excluded              excluded loss with all key frequencies together
 * @param restrictedPerFrequency restricted loss of each key frequency alone, in the order given
 * @param excludedPerFrequency   excluded loss of each key frequency alone
 */
public record FourierLoss(double restricted, double excluded, double[] restrictedPerFrequency,
                          double[] excludedPerFrequency) {

    public FourierLoss {
        restrictedPerFrequency = restrictedPerFrequency.clone();
        excludedPerFrequency = excludedPerFrequency.clone();
    }

    @Override
    public double[] restrictedPerFrequency() {
        return restrictedPerFrequency.clone();
    }

    @Override
    public double[] excludedPerFrequency() {
        return excludedPerFrequency.clone();
    }

    /**
     * @param logits    [rows, classes], one row per input of the full p x p grid (any order)
     * @param x         residue x of each row
     * @param y         residue y of each row
     * @param labels    class of each row
     * @param trainRows the training rows (for the excluded loss)
     * @param frequencies key frequencies in 1..(p-1)/2 (empty: restricted = the per-class mean only)
     */
    public static FourierLoss of(Dense logits, int p, int[] x, int[] y, int[] labels, int[] trainRows,
                                 List<Integer> frequencies) {
        int n = logits.rows();
        int c = logits.cols();
        if (n != p * p || x.length != n || y.length != n || labels.length != n) {
            throw new IllegalArgumentException("restricted loss needs the full grid: " + p * p + " rows with x, y and a label, got "
                    + n + " logits rows, " + x.length + " x, " + y.length + " y, " + labels.length + " labels");
        }
        for (int w : frequencies) {
            if (w < 1 || w > (p - 1) / 2) {
                throw new IllegalArgumentException("key frequency " + w + " outside 1.." + (p - 1) / 2);
            }
        }
        double[] l = logits.raw();
        int[] sum = new int[n];
        for (int r = 0; r < n; r++) {
            sum[r] = Math.floorMod(x[r] + y[r], p);
        }
        // The directions depend on (x + y) mod p only: dir_{w,cos}(s) = cos(2 pi w s / p) / sqrt(p^2 / 2).
        double norm = Math.sqrt(n / 2.0);
        double[] mean = new double[c];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                mean[j] += l[r * c + j] / n;
            }
        }
        int k = frequencies.size();
        double[][][] dir = new double[k][2][p];      // [frequency][cos|sin][s]
        double[][][] coef = new double[k][2][c];     // projection of each logits column on the direction
        for (int i = 0; i < k; i++) {
            int w = frequencies.get(i);
            for (int s = 0; s < p; s++) {
                double angle = 2 * Math.PI * ((long) w * s % p) / p;
                dir[i][0][s] = Math.cos(angle) / norm;
                dir[i][1][s] = Math.sin(angle) / norm;
            }
            for (int r = 0; r < n; r++) {
                double dc = dir[i][0][sum[r]];
                double ds = dir[i][1][sum[r]];
                int base = r * c;
                for (int j = 0; j < c; j++) {
                    coef[i][0][j] += dc * l[base + j];
                    coef[i][1][j] += ds * l[base + j];
                }
            }
        }
        double[] restrictedEach = new double[k];
        double[] excludedEach = new double[k];
        for (int i = 0; i < k; i++) {
            double[] q = projection(dir, coef, new int[]{i}, p, c);
            restrictedEach[i] = restrictedLoss(q, mean, sum, labels, p, c);
            excludedEach[i] = excludedLoss(l, q, sum, labels, trainRows, c);
        }
        int[] all = java.util.stream.IntStream.range(0, k).toArray();
        double[] q = projection(dir, coef, all, p, c);
        return new FourierLoss(restrictedLoss(q, mean, sum, labels, p, c),
                excludedLoss(l, q, sum, labels, trainRows, c), restrictedEach, excludedEach);
    }

    /** Q[s, c]: the logits' component along the chosen frequencies' directions, a function of s = x + y. */
    private static double[] projection(double[][][] dir, double[][][] coef, int[] chosen, int p, int c) {
        double[] q = new double[p * c];
        for (int i : chosen) {
            for (int s = 0; s < p; s++) {
                double dc = dir[i][0][s];
                double ds = dir[i][1][s];
                for (int j = 0; j < c; j++) {
                    q[s * c + j] += dc * coef[i][0][j] + ds * coef[i][1][j];
                }
            }
        }
        return q;
    }

    /** Restricted logits are mean + Q[s]: p distinct rows, so one log-sum-exp per s serves every input. */
    private static double restrictedLoss(double[] q, double[] mean, int[] sum, int[] labels, int p, int c) {
        double[] restricted = new double[p * c];
        for (int s = 0; s < p; s++) {
            for (int j = 0; j < c; j++) {
                restricted[s * c + j] = mean[j] + q[s * c + j];
            }
        }
        double[] lse = new double[p];
        for (int s = 0; s < p; s++) {
            lse[s] = logSumExp(restricted, s * c, c, null, 0);
        }
        double total = 0;
        for (int r = 0; r < sum.length; r++) {
            total += lse[sum[r]] - restricted[sum[r] * c + label(labels, r, c)];
        }
        return total / sum.length;
    }

    /** Excluded logits L[r] - Q[s_r], cross-entropy over the training rows. */
    private static double excludedLoss(double[] l, double[] q, int[] sum, int[] labels, int[] trainRows, int c) {
        if (trainRows.length == 0) {
            return 0;
        }
        double total = 0;
        for (int r : trainRows) {
            int label = label(labels, r, c);
            total += logSumExp(l, r * c, c, q, sum[r] * c) - (l[r * c + label] - q[sum[r] * c + label]);
        }
        return total / trainRows.length;
    }

    private static int label(int[] labels, int r, int c) {
        int label = labels[r];
        if (label < 0 || label >= c) {
            throw new IllegalArgumentException("label " + label + " of row " + r + " outside 0.." + (c - 1));
        }
        return label;
    }

    /** log sum_j exp(v[off + j] - minus[moff + j]) (minus may be null). */
    private static double logSumExp(double[] v, int off, int c, double[] minus, int moff) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, v[off + j] - (minus == null ? 0 : minus[moff + j]));
        }
        double s = 0;
        for (int j = 0; j < c; j++) {
            s += Math.exp(v[off + j] - (minus == null ? 0 : minus[moff + j]) - max);
        }
        return max + Math.log(s);
    }
}
