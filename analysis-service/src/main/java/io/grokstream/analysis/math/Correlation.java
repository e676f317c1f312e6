package io.grokstream.analysis.math;

/**
 * Pearson correlation between the rows of a matrix: for the positional embedding W_pos it says how alike the
 * positions look to the network (Syrkis 2025 reports 0.95 between x and y for addition, a commutative task, and
 * 0.64 for the non-commutative miiii task).
 */
public final class Correlation {
    private Correlation() {
    }

    /** [rows, rows] correlation matrix; a constant row correlates 0 with every other row and 1 with itself. */
    public static Dense betweenRows(Dense m) {
        int r = m.rows();
        int c = m.cols();
        double[][] centred = new double[r][c];
        double[] norm = new double[r];
        for (int i = 0; i < r; i++) {
            double[] row = m.row(i);
            double mean = 0;
            for (double v : row) {
                mean += v;
            }
            mean /= c;
            for (int j = 0; j < c; j++) {
                centred[i][j] = row[j] - mean;
                norm[i] += centred[i][j] * centred[i][j];
            }
            norm[i] = Math.sqrt(norm[i]);
        }
        double[] out = new double[r * r];
        for (int i = 0; i < r; i++) {
            for (int k = 0; k < r; k++) {
                if (i == k) {
                    out[i * r + k] = 1;
                    continue;
                }
                if (norm[i] == 0 || norm[k] == 0) {
                    continue;
                }
                double s = 0;
                for (int j = 0; j < c; j++) {
                    s += centred[i][j] * centred[k][j];
                }
                out[i * r + k] = s / (norm[i] * norm[k]);
            }
        }
        return Dense.wrap(r, r, out);
    }
}
