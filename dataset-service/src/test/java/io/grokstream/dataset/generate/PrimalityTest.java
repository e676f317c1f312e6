package io.grokstream.dataset.generate;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.grokstream.dataset.generate.GeneratorAssertions.assertWellFormed;
import static io.grokstream.dataset.generate.GeneratorAssertions.decode;
import static io.grokstream.dataset.generate.GeneratorAssertions.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrimalityTest {
    private final Primality kind = new Primality();

    private static boolean trialDivision(long n) {
        if (n < 2) {
            return false;
        }
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void binaryDigitsDecodeToTheNumberAndLabelsMatchTrialDivision() {
        GeneratedTask task = generate(kind, Map.of("from", 0, "to", 300, "base", 2));
        assertWellFormed(task);
        assertEquals(10, task.seqLen()); // 9 binary digits for 299, then '='
        assertEquals(9, task.targets().get(0).position());
        assertEquals("=", task.vocabulary().get(task.data().inputs()[0][9]));
        for (int r = 0; r < 300; r++) {
            long n = decode(task.data().inputs()[r], 0, 9, 2);
            assertEquals(r, n);
            assertEquals(trialDivision(n) ? 1 : 0, task.data().labels()[r][0], "n=" + n);
        }
    }

    @Test
    void singleTokenEncodingUsesOneTokenPerNumber() {
        GeneratedTask task = generate(kind, Map.of("from", 1000, "to", 1100, "encoding", "token"));
        assertWellFormed(task);
        assertEquals(101, task.vocabulary().size());
        for (int r = 0; r < 100; r++) {
            int[] row = task.data().inputs()[r];
            long n = Long.parseLong(task.vocabulary().get(row[0]));
            assertEquals(1000 + r, n);
            assertEquals(trialDivision(n) ? 1 : 0, task.data().labels()[r][0]);
        }
    }

    @Test
    void anEmptyOrOversizedRangeIsRefused() {
        assertEquals("parameters.to", assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("from", 50, "to", 50))).field());
        assertEquals("parameters.to", assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("from", 0, "to", 300_000))).field());
    }
}
