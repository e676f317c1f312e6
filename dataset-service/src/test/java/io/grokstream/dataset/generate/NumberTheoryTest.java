package io.grokstream.dataset.generate;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NumberTheoryTest {

    @Test
    void millerRabinAgreesWithASieveBelowTwoHundredThousand() {
        int n = 200_000;
        boolean[] composite = new boolean[n];
        for (int i = 2; (long) i * i < n; i++) {
            for (int j = i * i; j < n; j += i) {
                composite[j] = true;
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i >= 2 && !composite[i], NumberTheory.isPrime(i), "isPrime(" + i + ")");
        }
    }

    @Test
    void millerRabinIsRightOnLargeKnownNumbers() {
        assertTrue(NumberTheory.isPrime(2_147_483_647L)); // Mersenne prime 2^31 - 1
        assertTrue(NumberTheory.isPrime(999_999_937L));
        assertFalse(NumberTheory.isPrime(25_326_001L)); // strong pseudoprime to bases 2, 3, 5
        assertFalse(NumberTheory.isPrime(2_147_483_646L));
    }

    @Test
    void modPowAndInverseMatchBigInteger() {
        for (long m : new long[]{2, 7, 101, 113, 2_147_483_647L}) {
            for (long b = 0; b < 50; b++) {
                for (long e = 0; e < 12; e++) {
                    assertEquals(BigInteger.valueOf(b).modPow(BigInteger.valueOf(e), BigInteger.valueOf(m)).longValue(),
                            NumberTheory.modPow(b, e, m), b + "^" + e + " mod " + m);
                }
            }
        }
        for (int y = 1; y < 113; y++) {
            assertEquals(1, (long) y * NumberTheory.modInverse(y, 113) % 113);
        }
    }

    @Test
    void digitsAreWrittenMostSignificantFirstAndZeroPadded() {
        int[] out = new int[5];
        NumberTheory.writeDigits(11, 2, 5, out, 0);
        assertEquals("[0, 1, 0, 1, 1]", java.util.Arrays.toString(out));
        assertEquals(3, NumberTheory.digitCount(999, 10));
        assertEquals(1, NumberTheory.digitCount(0, 10));
        assertEquals(29, NumberTheory.primesBelow(113).size());
    }
}
