package io.grokstream.analysis.math;

/**
 * The real Fourier basis over Z_p (Nanda et al. 2023, Section 4 and Appendix A, {@code fourier_basis} in their
 * code): row 0 the constant {@code 1/sqrt(p)}, then for k = 1..(p-1)/2 the rows {@code cos(2 pi k x / p)} and
 * {@code sin(2 pi k x / p)}, each normalised to unit length. For odd p these p rows form an orthonormal basis of
 * R^p, so a transform is a matrix product and Parseval holds exactly.
 *
 * <p>Row indices: {@link #CONSTANT}, {@link #cosRow(int)} = 2k-1, {@link #sinRow(int)} = 2k.
 */
public final class FourierBasis {
    public static final int CONSTANT = 0;

    private final int p;
    private final Dense basis;

    private FourierBasis(int p) {
        this.p = p;
        double[] b = new double[p * p];
        double c0 = 1.0 / Math.sqrt(p);
        for (int x = 0; x < p; x++) {
            b[x] = c0;
        }
        for (int k = 1; k <= frequencies(p); k++) {
            double cosNorm = 0;
            double sinNorm = 0;
            double[] cos = new double[p];
            double[] sin = new double[p];
            for (int x = 0; x < p; x++) {
                // k*x mod p keeps the angle small, so cos/sin stay accurate for large p.
                double angle = 2 * Math.PI * ((long) k * x % p) / p;
                cos[x] = Math.cos(angle);
                sin[x] = Math.sin(angle);
                cosNorm += cos[x] * cos[x];
                sinNorm += sin[x] * sin[x];
            }
            cosNorm = Math.sqrt(cosNorm);
            sinNorm = Math.sqrt(sinNorm);
            for (int x = 0; x < p; x++) {
                b[cosRow(k) * p + x] = cos[x] / cosNorm;
                b[sinRow(k) * p + x] = sin[x] / sinNorm;
            }
        }
        this.basis = Dense.wrap(p, p, b);
    }

    /**
     * @throws IllegalArgumentException unless p is odd and at least 3 (for even p the Nyquist sine vanishes and
     *                                  the basis is not square)
     */
    public static FourierBasis of(int p) {
        if (p < 3 || p % 2 == 0) {
            throw new IllegalArgumentException("p must be odd and at least 3 for the real Fourier basis, got " + p);
        }
        return new FourierBasis(p);
    }

    /** Number of non-constant frequencies, (p-1)/2. */
    public static int frequencies(int p) {
        return (p - 1) / 2;
    }

    public int frequencies() {
        return frequencies(p);
    }

    public int p() {
        return p;
    }

    public static int cosRow(int k) {
        return 2 * k - 1;
    }

    public static int sinRow(int k) {
        return 2 * k;
    }

    /** The frequency a basis row belongs to (0 for the constant). */
    public static int frequencyOf(int row) {
        return (row + 1) / 2;
    }

    /** The p x p basis, one component per row. */
    public Dense matrix() {
        return basis;
    }

    /** Fourier coefficients of the columns of {@code m}: {@code B m} (m has p rows). */
    public Dense transformRows(Dense m) {
        if (m.rows() != p) {
            throw new IllegalArgumentException("expected " + p + " rows to transform, got " + m.rows());
        }
        return basis.times(m);
    }

    /**
     * Norm of each frequency over the columns of a coefficient matrix: entry 0 the constant component's norm,
     * entry k the norm of the cos k and sin k rows together.
     */
    public static double[] frequencyNorms(Dense coefficients) {
        double[] rowNorms = coefficients.rowNorms();
        int freqs = (coefficients.rows() - 1) / 2;
        double[] out = new double[freqs + 1];
        out[0] = rowNorms[0];
        for (int k = 1; k <= freqs; k++) {
            double c = rowNorms[cosRow(k)];
            double s = rowNorms[sinRow(k)];
            out[k] = Math.sqrt(c * c + s * s);
        }
        return out;
    }
}
