package io.grokstream.model.intervene;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FourierAblationTest {
    private static final int N = 13;

    private static double wave(int k, int i, double phase) {
        return Math.cos(2 * Math.PI * k * i / N + phase);
    }

    @Test
    void removingAFrequencyLeavesTheConstantAndTheOtherFrequenciesExactly() {
        double[] v = new double[N];
        double[] expected = new double[N];
        for (int i = 0; i < N; i++) {
            expected[i] = 0.7 + 2 * wave(5, i, 1.1);
            v[i] = expected[i] + 3 * wave(2, i, 0.4) - wave(6, i, 2.0);
        }
        new FourierAblation(N, new int[]{2, 6}).removeInPlace(v, 0, 1);
        assertArrayEquals(expected, v, 1e-12);
    }

    @Test
    void onTheGridEveryTermWithTheFrequencyOnEitherAxisGoesAndTheRestStays() {
        int width = 2;
        double[] grid = new double[N * N * width];
        double[] kept = new double[grid.length];
        for (int x = 0; x < N; x++) {
            for (int y = 0; y < N; y++) {
                for (int c = 0; c < width; c++) {
                    double keep = c + wave(4, x, 0.3) * wave(1, y, 0) + wave(6, y, 0.5);
                    kept[(x * N + y) * width + c] = keep;
                    // cos(w(x + y)) at frequency 3 mixes both axes; a frequency-3-in-x term times a frequency-5-in-y one
                    grid[(x * N + y) * width + c] = keep + Math.cos(2 * Math.PI * 3 * (x + y) / N) + wave(3, x, 0) * wave(5, y, 1);
                }
            }
        }
        new FourierAblation(N, new int[]{3}).removeFromGrid(grid, width);
        assertArrayEquals(kept, grid, 1e-11);
    }

    @Test
    void frequenciesOutsideTheAxisAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FourierAblation(N, new int[]{7}));
        assertEquals("frequency 7 outside [1, 6]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FourierAblation(N, new int[]{0}));
    }
}
