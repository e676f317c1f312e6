package io.grokstream.analysis.math;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Known answers of the per-target grid Fourier measures on logits written down in closed form. */
class GridFourierTest {
    private static final int P = 23;
    private static final FourierBasis BASIS = FourierBasis.of(P);

    /** L[x, y, c] = gain * sum_w cos(2 pi w (x + y - c) / p): Nanda's logits at frequencies {@code ws}. */
    private static Dense additionLogits(double gain, int... ws) {
        double[] l = new double[P * P * P];
        for (int x = 0; x < P; x++) {
            for (int y = 0; y < P; y++) {
                for (int c = 0; c < P; c++) {
                    for (int w : ws) {
                        l[(x * P + y) * P + c] += gain * Math.cos(2 * Math.PI * w * Math.floorMod(x + y - c, P) / P);
                    }
                }
            }
        }
        return Dense.adopt(P * P, P, l);
    }

    private static int[] additionLabels() {
        return IntStream.range(0, P * P).map(cell -> (cell / P + cell % P) % P).toArray();
    }

    private static final int[] TRAIN = IntStream.range(0, P * P).filter(cell -> cell % 3 == 0).toArray();

    @Test
    void logitsBuiltFromTwoFrequenciesHaveExactlyThoseKeyFrequencies() {
        GridFourier f = GridFourier.of(additionLogits(3, 4, 9), BASIS, Products.JAVA);
        assertEquals(List.of(4, 9), f.keyFrequencies());
        double[] norms = f.frequencyNorms();
        // Each class column of cos(w(x + y - c)) has squared norm p^2 / 2; p columns: p^3 / 2 times gain^2.
        double expected = 3 * Math.sqrt(P * P * P / 2.0);
        for (int k = 0; k < norms.length; k++) {
            assertEquals(k == 4 || k == 9 ? expected : 0, norms[k], 1e-8, "norm at frequency " + k);
        }
    }

    @Test
    void restrictedLossKeepsEverythingAndExcludedLossLeavesChanceWithTheKeyFrequencies() {
        Dense logits = additionLogits(3, 4, 9);
        int[] labels = additionLabels();
        GridFourier f = GridFourier.of(logits, BASIS, Products.JAVA);
        double full = CrossEntropy.mean(logits, labels, null);
        double fullTrain = CrossEntropy.mean(logits, labels, TRAIN);
        GridFourier.Losses own = f.losses(List.of(4, 9), labels, TRAIN);
        assertEquals(full, own.restricted(), 1e-9, "the key subspaces hold all of the logits");
        assertEquals(Math.log(P), own.excluded(), 1e-9, "nothing is left: uniform logits");
        GridFourier.Losses other = f.losses(List.of(2, 5), labels, TRAIN);
        assertEquals(Math.log(P), other.restricted(), 1e-9, "frequencies the logits do not use keep nothing");
        assertEquals(fullTrain, other.excluded(), 1e-9, "and removing them changes nothing");
    }

    @Test
    void aFunctionOfXAloneCountsAtItsFrequency() {
        double[] l = new double[P * P * 2];
        for (int x = 0; x < P; x++) {
            for (int y = 0; y < P; y++) {
                l[(x * P + y) * 2] = Math.cos(2 * Math.PI * 6 * x / P);
            }
        }
        double[] norms = GridFourier.of(Dense.adopt(P * P, 2, l), BASIS, Products.JAVA).frequencyNorms();
        for (int k = 0; k < norms.length; k++) {
            assertEquals(k == 6 ? P / Math.sqrt(2) : 0, norms[k], 1e-9, "norm at frequency " + k);
        }
    }

    @Test
    void aFrequencyOutsideTheBasisIsRefused() {
        GridFourier f = GridFourier.of(additionLogits(1, 2), BASIS, Products.JAVA);
        assertThrows(IllegalArgumentException.class, () -> f.losses(List.of(12), additionLabels(), TRAIN));
        assertThrows(IllegalArgumentException.class, () -> GridFourier.of(Dense.adopt(3, 2, new double[6]), BASIS,
                Products.JAVA));
    }
}
