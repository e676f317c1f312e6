package io.grokstream.analysis.math;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

import java.util.Arrays;

/**
 * The singular values of a weight matrix, largest first, and its effective rank.
 *
 * <p>Effective rank (Roy and Vetterli 2007, "The effective rank: a measure of effective dimensionality",
 * EUSIPCO, Definition 1): with p_i = sigma_i / sum_j sigma_j, {@code erank = exp(-sum_i p_i ln p_i)}; 1 for a
 * rank-one matrix, n for n equal singular values, 0 for the zero matrix (by convention here).
 *
 * @param values        singular values, descending, non-negative
 * @param effectiveRank Roy and Vetterli's effective rank of {@code values}
 */
public record SingularSpectrum(double[] values, double effectiveRank) {

    /** Matrices whose smaller side is at least this take the Gram route ({@link #ofGram}). */
    static final int GRAM_MIN = 32;

    public SingularSpectrum {
        values = values.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** SVD by EJML (no singular vectors), or via the Gram matrix for the larger weight matrices. */
    public static SingularSpectrum of(Dense m) {
        if (m.rows() == 0 || m.cols() == 0) {
            throw new IllegalArgumentException("cannot take the SVD of an empty " + m + " matrix");
        }
        int small = Math.min(m.rows(), m.cols());
        if (small >= GRAM_MIN) {
            return ofGram(m);
        }
        DMatrixRMaj a = new DMatrixRMaj(m.rows(), m.cols(), true, m.raw());
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(m.rows(), m.cols(), false, false, true);
        if (!svd.decompose(a)) {
            throw new IllegalArgumentException("SVD did not converge for " + m);
        }
        double[] sv = Arrays.copyOf(svd.getSingularValues(), svd.numberOfSingularValues());
        for (int i = 0; i < sv.length; i++) {
            sv[i] = Math.max(0, sv[i]);
        }
        Arrays.sort(sv);
        for (int i = 0, j = sv.length - 1; i < j; i++, j--) {
            double t = sv[i];
            sv[i] = sv[j];
            sv[j] = t;
        }
        return new SingularSpectrum(sv, effectiveRank(sv));
    }

    /**
     * For the weight matrices (smaller side at least {@link #GRAM_MIN}, e.g. W_in [128, 512]): the singular values are
     * the square roots of the eigenvalues of the Gram matrix over the smaller side, a symmetric eigenproblem several
     * times cheaper than EJML's SVD. Values below about
     * sqrt(machine epsilon) * sigma_max lose relative precision, which the spectra and the effective rank tolerate.
     */
    static SingularSpectrum ofGram(Dense m) {
        Dense t = m.rows() >= m.cols() ? m : m.transpose();
        Dense gram = t.transpose().times(t);
        int n = gram.rows();
        org.ejml.interfaces.decomposition.EigenDecomposition_F64<DMatrixRMaj> eig =
                DecompositionFactory_DDRM.eig(n, false, true);
        if (!eig.decompose(new DMatrixRMaj(n, n, true, gram.raw()))) {
            throw new IllegalArgumentException("eigen decomposition did not converge for the Gram matrix of " + m);
        }
        double[] sv = new double[n];
        for (int i = 0; i < n; i++) {
            sv[i] = Math.sqrt(Math.max(0, eig.getEigenvalue(i).real));
        }
        Arrays.sort(sv);
        for (int i = 0, j = sv.length - 1; i < j; i++, j--) {
            double x = sv[i];
            sv[i] = sv[j];
            sv[j] = x;
        }
        return new SingularSpectrum(sv, effectiveRank(sv));
    }

    /**
     * The spectrum of {@code a b^T} (a: [n, r], b: [m, r], r small, e.g. a head's W_Q W_K^T) without forming it:
     * with thin QR factors a = Q_a R_a and b = Q_b R_b, {@code a b^T = Q_a (R_a R_b^T) Q_b^T} has the singular values
     * of the r x r matrix {@code R_a R_b^T}, padded with zeros to min(n, m) values.
     */
    public static SingularSpectrum ofProduct(Dense a, Dense b) {
        if (a.cols() != b.cols()) {
            throw new IllegalArgumentException("a b^T needs the same inner dimension, got " + a + " and " + b);
        }
        int full = Math.min(a.rows(), b.rows());
        if (a.cols() >= a.rows() || b.cols() >= b.rows()) {
            return of(a.times(b.transpose()));
        }
        Dense ra = triangular(a);
        Dense rb = triangular(b);
        if (ra == null || rb == null) {
            return of(a.times(b.transpose()));   // degenerate factor (e.g. all zero): EJML's QR declines it
        }
        Dense core = ra.times(rb.transpose());
        double[] small = of(core).values;
        double[] sv = Arrays.copyOf(small, Math.max(full, small.length));
        return new SingularSpectrum(sv, effectiveRank(sv));
    }

    /** R of the thin QR decomposition of a tall matrix ([cols, cols], upper triangular), null when it fails. */
    private static Dense triangular(Dense m) {
        org.ejml.interfaces.decomposition.QRDecomposition<DMatrixRMaj> qr =
                DecompositionFactory_DDRM.qr(m.rows(), m.cols());
        if (!qr.decompose(new DMatrixRMaj(m.rows(), m.cols(), true, m.toArray()))) {
            return null;
        }
        DMatrixRMaj r = qr.getR(null, true);
        return Dense.of(r.numRows, r.numCols, r.data);
    }

    /** Roy and Vetterli's effective rank of non-negative singular values. */
    public static double effectiveRank(double[] singularValues) {
        double sum = 0;
        for (double s : singularValues) {
            if (s < 0 || !Double.isFinite(s)) {
                throw new IllegalArgumentException("singular values must be finite and non-negative, got " + s);
            }
            sum += s;
        }
        if (sum == 0) {
            return 0;
        }
        double entropy = 0;
        for (double s : singularValues) {
            if (s > 0) {
                double q = s / sum;
                entropy -= q * Math.log(q);
            }
        }
        return Math.exp(entropy);
    }
}
