package io.grokstream.reproduce;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesTest {
    private final Series loss = new Series("loss", new long[]{10, 20, 30, 40, 50}, new double[]{5, 3, 0.5, 2, 0.1});

    @Test
    void firstCrossingsHonourTheStartingStep() {
        assertEquals(30, loss.firstBelow(1, 0).getAsLong());
        assertEquals(50, loss.firstBelow(1, 35).getAsLong());
        assertEquals(10, loss.firstAtOrAbove(4).getAsLong());
        assertEquals(40, loss.firstAtOrAbove(2, 25).getAsLong());
        assertTrue(loss.firstBelow(0.01, 0).isEmpty());
    }

    @Test
    void valueAtIsTheLastPointAtOrBeforeTheStep() {
        assertEquals(3, loss.valueAt(29).getAsDouble());
        assertEquals(0.5, loss.valueAt(30).getAsDouble());
        assertTrue(loss.valueAt(9).isEmpty());
    }

    @Test
    void extremesAreTakenOverTheWindowOnly() {
        assertEquals(2, loss.maxBetween(25, 50).getAsDouble());
        assertEquals(40, loss.argMaxBetween(25, 50).getAsLong());
        assertEquals(0.5, loss.minBetween(20, 40).getAsDouble());
        assertTrue(loss.maxBetween(51, 60).isEmpty());
    }

    @Test
    void downsampleKeepsFirstAndLastAndEvenSpacing() {
        Series d = loss.downsample(3);
        assertEquals(3, d.size());
        assertEquals(10, d.step(0));
        assertEquals(30, d.step(1));
        assertEquals(50, d.step(2));
        assertEquals(loss, loss.downsample(10));
    }

    @Test
    void stepsMustAscend() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Series("x", new long[]{1, 1}, new double[]{0, 0}));
        assertTrue(e.getMessage().contains("ascend"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Series("x", new long[]{1}, new double[]{0, 0}));
    }
}
