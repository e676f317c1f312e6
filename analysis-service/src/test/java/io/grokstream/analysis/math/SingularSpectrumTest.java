package io.grokstream.analysis.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SingularSpectrumTest {

    @Test
    void shearMatrixHasGoldenRatioSingularValues() {
        // [[1, 1], [0, 1]]: A^T A = [[1, 1], [1, 2]], eigenvalues (3 +- sqrt 5) / 2, so sigma = phi and 1/phi.
        double phi = (1 + Math.sqrt(5)) / 2;
        SingularSpectrum s = SingularSpectrum.of(Dense.of(2, 2, 1, 1, 0, 1));
        assertArrayEquals(new double[]{phi, 1 / phi}, s.values(), 1e-12);
    }

    @Test
    void rotatedDiagonalKeepsItsSingularValuesSortedDescending() {
        // R diag(2, 3, 0) with a rotation R by 30 degrees in the first plane.
        double c = Math.cos(Math.PI / 6);
        double sn = Math.sin(Math.PI / 6);
        Dense r = Dense.of(3, 3, c, -sn, 0, sn, c, 0, 0, 0, 1);
        Dense m = r.times(Dense.of(3, 3, 2, 0, 0, 0, 3, 0, 0, 0, 0));
        assertArrayEquals(new double[]{3, 2, 0}, SingularSpectrum.of(m).values(), 1e-12);
    }

    @Test
    void rectangularMatrixGivesMinDimensionValues() {
        // [[3, 0, 0, 0], [0, 0, 4, 0]]: singular values 4 and 3.
        assertArrayEquals(new double[]{4, 3}, SingularSpectrum.of(Dense.of(2, 4, 3, 0, 0, 0, 0, 0, 4, 0)).values(), 1e-12);
    }

    @Test
    void effectiveRankFollowsRoyAndVetterli() {
        assertEquals(1, SingularSpectrum.effectiveRank(new double[]{5, 0, 0}), 1e-12);
        assertEquals(3, SingularSpectrum.effectiveRank(new double[]{2, 2, 2}), 1e-12);
        // p = (0.75, 0.25): exp(-(0.75 ln 0.75 + 0.25 ln 0.25)) = 1.7548...
        double h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        assertEquals(Math.exp(h), SingularSpectrum.effectiveRank(new double[]{3, 1}), 1e-12);
        assertEquals(1.7548, SingularSpectrum.effectiveRank(new double[]{3, 1}), 1e-4);
        assertEquals(0, SingularSpectrum.effectiveRank(new double[]{0, 0}), 0);
    }

    @Test
    void productSpectrumEqualsTheSpectrumOfTheFormedProduct() {
        java.util.Random rnd = new java.util.Random(9);
        double[] a = new double[12 * 3];
        double[] b = new double[10 * 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian();
        }
        Dense da = Dense.of(12, 3, a);
        Dense db = Dense.of(10, 3, b);
        SingularSpectrum direct = SingularSpectrum.of(da.times(db.transpose()));
        SingularSpectrum viaQr = SingularSpectrum.ofProduct(da, db);
        assertEquals(10, viaQr.values().length);
        assertArrayEquals(direct.values(), viaQr.values(), 1e-10);
        assertEquals(direct.effectiveRank(), viaQr.effectiveRank(), 1e-6);
    }

    @Test
    void wideMatrixSpectrumViaTheGramMatrixMatchesTheSvd() {
        java.util.Random rnd = new java.util.Random(4);
        double[] v = new double[40 * 200];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian();
        }
        Dense wide = Dense.of(40, 200, v);
        // of() takes the Gram route for this shape; compare with EJML's SVD of the same matrix.
        org.ejml.interfaces.decomposition.SingularValueDecomposition_F64<org.ejml.data.DMatrixRMaj> svd =
                org.ejml.dense.row.factory.DecompositionFactory_DDRM.svd(40, 200, false, false, true);
        svd.decompose(new org.ejml.data.DMatrixRMaj(40, 200, true, v));
        double[] expected = svd.getSingularValues().clone();
        java.util.Arrays.sort(expected);
        double[] gram = SingularSpectrum.of(wide).values();
        for (int i = 0; i < 40; i++) {
            assertEquals(expected[39 - i], gram[i], 1e-9);
        }
    }
}
