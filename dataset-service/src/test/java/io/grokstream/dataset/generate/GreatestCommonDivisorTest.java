package io.grokstream.dataset.generate;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.grokstream.dataset.generate.GeneratorAssertions.assertWellFormed;
import static io.grokstream.dataset.generate.GeneratorAssertions.decode;
import static io.grokstream.dataset.generate.GeneratorAssertions.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GreatestCommonDivisorTest {
    private final GreatestCommonDivisor kind = new GreatestCommonDivisor();

    private static int bruteForceGcd(long a, long b) {
        for (int d = (int) Math.min(a, b); d > 1; d--) {
            if (a % d == 0 && b % d == 0) {
                return d;
            }
        }
        return 1;
    }

    @Test
    void labelsAreTheCappedGcdOfTheDecodedDistinctPairs() {
        for (String sampling : new String[]{"uniform", "loguniform"}) {
            GeneratedTask task = generate(kind, Map.of("n", 200, "base", 7, "cap", 6, "rows", 2000, "sampling", sampling));
            assertWellFormed(task);
            int width = 3; // 199 = 403 in base 7
            assertEquals(2 * width + 1, task.seqLen());
            Set<Long> pairs = new HashSet<>();
            for (int r = 0; r < 2000; r++) {
                int[] row = task.data().inputs()[r];
                long a = decode(row, 0, width, 7);
                long b = decode(row, width, width, 7);
                assertTrue(a >= 1 && a < 200 && b >= 1 && b < 200);
                assertTrue(pairs.add(a * 1000 + b), "pair drawn twice");
                assertEquals(Math.min(bruteForceGcd(a, b), 6) - 1, task.data().labels()[r][0], "gcd(" + a + ", " + b + ")");
            }
        }
    }

    @Test
    void logUniformOperandsAreSmallerThanUniformOnes() {
        double uniform = medianOperand(generate(kind, Map.of("n", 1_000_000, "rows", 3000)));
        double logUniform = medianOperand(generate(kind, Map.of("n", 1_000_000, "rows", 3000, "sampling", "loguniform")));
        // median of U[1, n) is n/2; median of floor(n^u) is floor(n^(1/2)) = 1000 (its log is uniform);
        // with 3,000 draws the sample median's u is within +-0.03 at 3 sigma: 10^(3 +- 0.18)
        assertTrue(Math.abs(uniform - 500_000) < 30_000, "uniform median " + uniform);
        assertTrue(logUniform > 600 && logUniform < 1700, "log-uniform median " + logUniform);
    }

    private static double medianOperand(GeneratedTask task) {
        long[] a = java.util.Arrays.stream(task.data().inputs()).mapToLong(row -> decode(row, 0, 6, 10)).sorted().toArray();
        return a[a.length / 2];
    }

    @Test
    void impossibleRequestsAreRefused() {
        assertEquals("parameters.rows", assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("n", 10, "cap", 5, "rows", 82))).field());
        assertEquals("parameters.cap", assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("n", 10, "cap", 10))).field());
        assertEquals("parameters.rows", assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("rows", 250_000))).field());
    }
}
