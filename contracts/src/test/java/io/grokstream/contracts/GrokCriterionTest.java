package io.grokstream.contracts;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrokCriterionTest {

    @Test
    void thePlatformsCriterionIsMemorisedAt99TrainAndGrokkedAt95Validation() {
        GrokCriterion c = GrokCriterion.STANDARD;
        assertEquals(0.99, c.memorisedTrainAccuracy());
        assertEquals(0.95, c.grokkedValidationAccuracy());
        assertTrue(c.memorised(0.99), "the threshold itself counts");
        assertFalse(c.memorised(0.989));
        assertTrue(c.grokked(0.95));
        assertFalse(c.grokked(0.9499));
        assertFalse(c.grokked(Double.NaN), "no accuracy yet is not grokked");
    }

    @Test
    void thresholdsOutsideZeroToOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GrokCriterion(0, 0.95));
        assertThrows(IllegalArgumentException.class, () -> new GrokCriterion(0.99, 1.01));
        assertThrows(IllegalArgumentException.class, () -> new GrokCriterion(Double.NaN, 0.95));
    }
}
