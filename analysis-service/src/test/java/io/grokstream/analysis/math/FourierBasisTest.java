package io.grokstream.analysis.math;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FourierBasisTest {

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 7, 13, 59, 113})
    void basisIsOrthonormal(int p) {
        Dense b = FourierBasis.of(p).matrix();
        Dense gram = b.times(b.transpose());
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                assertEquals(i == j ? 1.0 : 0.0, gram.get(i, j), 1e-12, "B B^T at " + i + "," + j + " for p=" + p);
            }
        }
    }

    @Test
    void rowsAreTheConstantThenCosineAndSinePerFrequency() {
        int p = 7;
        Dense b = FourierBasis.of(p).matrix();
        for (int x = 0; x < p; x++) {
            assertEquals(1 / Math.sqrt(p), b.get(0, x), 1e-12);
            // cos(2 pi 2 x / 7) / sqrt(7/2): the norm of a cosine over Z_p (p odd) is sqrt(p/2).
            assertEquals(Math.cos(2 * Math.PI * 2 * x / p) / Math.sqrt(p / 2.0), b.get(FourierBasis.cosRow(2), x), 1e-12);
            assertEquals(Math.sin(2 * Math.PI * 3 * x / p) / Math.sqrt(p / 2.0), b.get(FourierBasis.sinRow(3), x), 1e-12);
        }
        assertEquals(2, FourierBasis.frequencyOf(FourierBasis.sinRow(2)));
        assertEquals(0, FourierBasis.frequencyOf(FourierBasis.CONSTANT));
    }

    @Test
    void frequencyNormsCombineCosineAndSine() {
        // A signal 3 cos(2 pi 2 x / 5) + 4 sin(2 pi 2 x / 5) has frequency-2 norm 5 sqrt(5/2).
        int p = 5;
        FourierBasis basis = FourierBasis.of(p);
        double[] signal = new double[p];
        for (int x = 0; x < p; x++) {
            signal[x] = 3 * Math.cos(2 * Math.PI * 2 * x / p) + 4 * Math.sin(2 * Math.PI * 2 * x / p);
        }
        double[] norms = FourierBasis.frequencyNorms(basis.transformRows(Dense.of(p, 1, signal)));
        assertEquals(0, norms[0], 1e-12);
        assertEquals(0, norms[1], 1e-12);
        assertEquals(5 * Math.sqrt(p / 2.0), norms[2], 1e-12);
    }

    @Test
    void evenOrTinyModulusIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FourierBasis.of(12));
        assertEquals("p must be odd and at least 3 for the real Fourier basis, got 12", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FourierBasis.of(1));
    }
}
