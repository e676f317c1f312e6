package io.grokstream.analysis.math;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The forming-frequency detector on embeddings with planted Fourier structure. */
class FormingFrequenciesTest {
    private static final int P = 113;
    private static final int D = 128;

    @Test
    void aRandomEmbeddingHasNoKeyFrequency() {
        assertEquals(List.of(), detect(new int[0], 0, 1.0, 1));
    }

    @Test
    void frequenciesStillFormingAboveTheNoiseAreFound() {
        // circuit formation: three frequencies at 4x the noise's per-frequency power, the rest still random
        assertEquals(List.of(5, 17, 38), detect(new int[]{5, 17, 38}, 2.0, 1.0, 2));
    }

    @Test
    void afterCleanUpExactlyThePlantedFrequenciesRemain() {
        // clean-up: weight decay has removed almost everything but the key frequencies
        assertEquals(List.of(2, 5, 9, 17, 38), detect(new int[]{2, 5, 9, 17, 38}, 1.0, 0.02, 3));
    }

    @Test
    void aFrequencyBarelyAboveTheNoiseIsNotYetKey() {
        // 1.2x the noise amplitude is 1.44x its power: below 3x the uniform share
        assertEquals(List.of(), detect(new int[]{11}, 1.2, 1.0, 4));
    }

    /**
     * W_E [p, d] = sum over planted k of amplitude (cos(2 pi k x / p) u_k + sin(2 pi k x / p) v_k) plus Gaussian
     * noise of standard deviation {@code noise}, with random unit directions u_k, v_k; then the detector on its
     * frequency norms. The noise is scaled so that a planted amplitude of 1 equals the noise's power per frequency.
     */
    private static List<Integer> detect(int[] planted, double amplitude, double noise, long seed) {
        Random r = new Random(seed);
        double[] w = new double[P * D];
        // Along a unit Fourier basis row, noise of std s gives a coefficient of squared norm s^2 d, so 2 s^2 d per
        // frequency (cos and sin); a planted amplitude a gives a^2 p / 2 per component (|cos_k|^2 = p / 2), a^2 p
        // per frequency. s = sqrt(p / (2 d)) makes a = 1 equal the noise's power per frequency.
        double s = noise * Math.sqrt(P / (2.0 * D));
        for (int i = 0; i < w.length; i++) {
            w[i] = s * r.nextGaussian();
        }
        for (int k : planted) {
            double[] u = unit(r);
            double[] v = unit(r);
            for (int x = 0; x < P; x++) {
                double c = Math.cos(2 * Math.PI * k * x / P);
                double sn = Math.sin(2 * Math.PI * k * x / P);
                for (int j = 0; j < D; j++) {
                    w[x * D + j] += amplitude * (c * u[j] + sn * v[j]);
                }
            }
        }
        FourierBasis basis = FourierBasis.of(P);
        Dense coefficients = basis.transformRows(Dense.of(P, D, w));
        return FormingFrequencies.of(FourierBasis.frequencyNorms(coefficients));
    }

    private static double[] unit(Random r) {
        double[] u = new double[D];
        double n = 0;
        for (int j = 0; j < D; j++) {
            u[j] = r.nextGaussian();
            n += u[j] * u[j];
        }
        for (int j = 0; j < D; j++) {
            u[j] /= Math.sqrt(n);
        }
        return u;
    }
}
