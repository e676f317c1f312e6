package io.grokstream.analysis.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CopyingScoreTest {

    @Test
    void identityCircuitCopiesFully() {
        Dense embedV = Dense.of(3, 2, 1, 0, 0, 1, 0, 0);   // tokens 0, 1 into the head
        Dense outU = Dense.of(2, 3, 1, 0, 0, 0, 1, 0);     // back to the same tokens
        assertEquals(1.0, CopyingScore.of(embedV, outU), 1e-12);
    }

    @Test
    void negatedCircuitDoesNotCopy() {
        Dense embedV = Dense.of(2, 2, 1, 0, 0, 1);
        Dense outU = Dense.of(2, 2, -1, 0, 0, -1);
        assertEquals(0.0, CopyingScore.of(embedV, outU), 1e-12);
    }

    @Test
    void handComputedMixedSpectrum() {
        // diag(3, -1) has positive mass 3 of total 4; a rotation by 90 degrees has eigenvalues +-i (real part 0).
        assertEquals(0.75, CopyingScore.positiveShare(Dense.of(2, 2, 3, 0, 0, -1)), 1e-12);
        assertEquals(0.0, CopyingScore.positiveShare(Dense.of(2, 2, 0, -1, 1, 0)), 1e-12);
    }
}
