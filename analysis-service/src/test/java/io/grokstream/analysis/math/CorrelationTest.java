package io.grokstream.analysis.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CorrelationTest {

    @Test
    void rowsCorrelateAsPearsonSays() {
        Dense m = Dense.of(3, 4,
                1, 2, 3, 4,
                2, 4, 6, 8,      // a positive multiple of row 0
                4, 3, 2, 1);     // reversed
        Dense c = Correlation.betweenRows(m);
        assertEquals(1, c.get(0, 1), 1e-12);
        assertEquals(-1, c.get(0, 2), 1e-12);
        assertEquals(1, c.get(2, 2), 1e-12);
        // (1, 0, 0, 0) vs (0, 1, 0, 0): centred (3/4, -1/4, -1/4, -1/4) and (-1/4, 3/4, -1/4, -1/4): -1/3
        assertEquals(-1.0 / 3, Correlation.betweenRows(Dense.of(2, 4, 1, 0, 0, 0, 0, 1, 0, 0)).get(0, 1), 1e-12);
    }
}
