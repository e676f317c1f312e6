package io.grokstream.gateway;

import io.grokstream.gateway.view.Downsample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DownsampleTest {
    private static final List<Integer> HUNDRED = IntStream.range(0, 100).boxed().toList();

    @Test
    void keepsFirstAndLastAndSpacesTheRestEvenly() {
        // round(i * 99 / 4) for i = 0..4: 0, 24.75 -> 25, 49.5 -> 50, 74.25 -> 74, 99
        assertEquals(List.of(0, 25, 50, 74, 99), Downsample.evenly(HUNDRED, 5));
        assertEquals(List.of(0, 99), Downsample.evenly(HUNDRED, 2));
    }

    @Test
    void shortHistoriesAndNoLimitComeBackWhole() {
        assertSame(HUNDRED, Downsample.evenly(HUNDRED, null));
        assertSame(HUNDRED, Downsample.evenly(HUNDRED, 100));
        assertEquals(List.of(), Downsample.evenly(List.of(), 5));
    }

    @Test
    void fewerThanTwoPointsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Downsample.evenly(HUNDRED, 1));
    }
}
