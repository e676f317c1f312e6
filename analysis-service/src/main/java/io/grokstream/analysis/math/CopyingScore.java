package io.grokstream.analysis.math;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The OV copying score of an attention head (Elhage et al. 2021, "A Mathematical Framework for Transformer
 * Circuits", section "Copying / OV eigenvalues"): the full OV circuit {@code M = W_E W_V W_O W_U} maps a token
 * attended to onto the logits; a head that copies has eigenvalues of M with positive real part. grokstream reports
 * the share of positive eigenvalue mass, {@code sum_i max(Re lambda_i, 0) / sum_i |lambda_i|}: 1 for a pure copying
 * head, 0 for an anti-copying one, near 1/2 for random weights. Used for sorting, where heads copy tokens.
 *
 * <p>The non-zero eigenvalues of {@code (W_E W_V)(W_O W_U)} are those of the small {@code (W_O W_U)(W_E W_V)}
 * (d_head x d_head), which is what is decomposed.
 */
public final class CopyingScore {
    private CopyingScore() {
    }

    /**
     * @param embedV  {@code W_E W_V}, [tokens, d_head]
     * @param outU    {@code W_O W_U}, [d_head, tokens]
     */
    public static double of(Dense embedV, Dense outU) {
        if (embedV.cols() != outU.rows() || embedV.rows() != outU.cols()) {
            throw new IllegalArgumentException("OV circuit factors do not chain into a square matrix: " + embedV
                    + " and " + outU);
        }
        return positiveShare(outU.times(embedV));
    }

    /** {@code sum max(Re lambda, 0) / sum |lambda|} of a square matrix (0 for the zero matrix). */
    public static double positiveShare(Dense square) {
        if (square.rows() != square.cols()) {
            throw new IllegalArgumentException("eigenvalues need a square matrix, got " + square);
        }
        int n = square.rows();
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
        if (!eig.decompose(new DMatrixRMaj(n, n, true, square.toArray()))) {
            throw new IllegalArgumentException("eigen decomposition did not converge for " + square);
        }
        double positive = 0;
        double total = 0;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            Complex_F64 l = eig.getEigenvalue(i);
            positive += Math.max(l.real, 0);
            total += l.getMagnitude();
        }
        return total == 0 ? 0 : positive / total;
    }
}
