package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.grokstream.dataset.generate.GeneratorAssertions.assertWellFormed;
import static io.grokstream.dataset.generate.GeneratorAssertions.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrimeResiduesTest {
    private final PrimeResidues kind = new PrimeResidues();

    @Test
    void everyTargetIsTheBaseElevenNumberModItsPrime() {
        GeneratedTask task = generate(kind, Map.of("p", 11));
        assertWellFormed(task);
        List<Integer> primes = List.of(2, 3, 5, 7);
        assertEquals(primes.size(), task.targets().size());
        for (int t = 0; t < primes.size(); t++) {
            int q = primes.get(t);
            assertEquals(new TaskDefined.Target("q" + q, 2, q, "q" + q, 1.0 / Math.log(q)), task.targets().get(t));
        }
        assertEquals(121, task.data().rows());
        for (int r = 0; r < 121; r++) {
            int[] row = task.data().inputs()[r];
            int n = row[0] + row[1] * 11;
            for (int t = 0; t < primes.size(); t++) {
                assertEquals(n % primes.get(t), task.data().labels()[r][t], "n=" + n + " q=" + primes.get(t));
            }
        }
    }

    @Test
    void p113HasTwentyNineTargetsOverTheFullGrid() {
        GeneratedTask task = generate(kind, Map.of());
        assertEquals(29, task.targets().size());
        assertEquals("q109", task.targets().get(28).name());
        assertEquals(12769, task.data().rows());
        assertEquals(new TaskDefined.Residues(113, 0, 1), task.residues());
    }

    @Test
    void maskedPrimesHaveNoTarget() {
        GeneratedTask task = generate(kind, Map.of("p", 11, "mask", List.of(3, 2)));
        assertEquals(List.of("q5", "q7"), task.targets().stream().map(TaskDefined.Target::name).toList());
        assertEquals("parameters.mask", assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("p", 11, "mask", List.of(4)))).field());
        assertEquals("parameters.mask", assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("p", 5, "mask", List.of(2, 3)))).field());
    }

    @Test
    void shuffledControlKeepsEveryHistogramAndBreaksTheLabels() {
        GeneratedTask plain = generate(kind, Map.of("p", 23));
        GeneratedTask shuffled = generate(kind, Map.of("p", 23, "shuffleLabels", true));
        assertEquals(Arrays.deepToString(plain.data().inputs()), Arrays.deepToString(shuffled.data().inputs()));
        for (int t = 0; t < plain.targets().size(); t++) {
            int[] a = column(plain, t);
            int[] b = column(shuffled, t);
            assertFalse(Arrays.equals(a, b), "target " + t + " unchanged");
            Arrays.sort(a);
            Arrays.sort(b);
            assertEquals(Arrays.toString(a), Arrays.toString(b), "histogram of target " + t);
        }
    }

    private static int[] column(GeneratedTask task, int t) {
        return Arrays.stream(task.data().labels()).mapToInt(row -> row[t]).toArray();
    }
}
