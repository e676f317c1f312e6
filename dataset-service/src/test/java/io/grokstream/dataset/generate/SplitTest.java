package io.grokstream.dataset.generate;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitTest {

    @Test
    void nandaSplitTrainsOnFloorOfThirtyPercentOfTheGrid() {
        int[] train = Split.trainRows(113 * 113, 0.3, 598);
        assertEquals(3830, train.length); // int(0.3 * 12769), as in Nanda et al.'s code
        for (int i = 1; i < train.length; i++) {
            assertTrue(train[i - 1] < train[i], "sorted and distinct");
        }
        assertTrue(train[0] >= 0 && train[train.length - 1] < 113 * 113);
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        assertArrayEquals(Split.trainRows(1000, 0.5, 1), Split.trainRows(1000, 0.5, 1));
        assertFalse(Arrays.equals(Split.trainRows(1000, 0.5, 1), Split.trainRows(1000, 0.5, 2)));
    }

    @Test
    void fisherYatesGivesAPermutation() {
        int[] order = Split.permutation(500, new SplittableRandom(3));
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 500; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void fisherYatesIsUniformOverThePermutationsOfThree() {
        // 6 permutations of 3 elements; 60,000 draws: each within 5% of 10,000 (about 5 standard deviations).
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 60_000; i++) {
            counts.merge(Arrays.toString(Split.permutation(3, random)), 1, Integer::sum);
        }
        assertEquals(6, counts.size());
        counts.values().forEach(c -> assertTrue(Math.abs(c - 10_000) < 500, counts.toString()));
    }

    @Test
    void aFractionLeavingNoValidationRowIsRefused() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Split.trainRows(10, 0.05, 1));
        assertEquals("parameters.trainFraction", e.field());
    }
}
