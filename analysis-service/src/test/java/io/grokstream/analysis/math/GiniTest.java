package io.grokstream.analysis.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GiniTest {

    @Test
    void flatVectorHasGiniZero() {
        assertEquals(0, Gini.of(new double[]{2, 2, 2, 2}), 1e-12);
    }

    @Test
    void singleNonZeroEntryHasGiniOneMinusOneOverN() {
        assertEquals(1 - 1.0 / 4, Gini.of(new double[]{0, 0, 5, 0}), 1e-12);
    }

    @Test
    void handComputedExample() {
        // sorted (1, 2, 3), ||c||_1 = 6: 1 - 2 [ (1/6)(2.5/3) + (2/6)(1.5/3) + (3/6)(0.5/3) ] = 2/9
        assertEquals(2.0 / 9, Gini.of(new double[]{3, 1, 2}), 1e-12);
    }

    @Test
    void scalingDoesNotChangeGini() {
        double[] c = {0.1, 4, 2.5, 0.7};
        double[] scaled = {1, 40, 25, 7};
        assertEquals(Gini.of(c), Gini.of(scaled), 1e-12);
    }

    @Test
    void negativeMagnitudeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Gini.of(new double[]{1, -1}));
        assertThrows(IllegalArgumentException.class, () -> Gini.of(new double[0]));
    }
}
