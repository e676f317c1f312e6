package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared checks and helpers for generator tests. */
final class GeneratorAssertions {
    static final Limits LIMITS = new Limits(200_000, 1000);

    private GeneratorAssertions() {
    }

    static GeneratedTask generate(TaskKind kind, Map<String, Object> raw) {
        return kind.generate(kind.normalise(raw), LIMITS);
    }

    /** Every token id inside the vocabulary, every label inside its target's classes. */
    static void assertWellFormed(GeneratedTask task) {
        TaskDefined.TaskData data = task.data();
        for (int[] row : data.inputs()) {
            assertEquals(task.seqLen(), row.length);
            for (int token : row) {
                assertTrue(token >= 0 && token < task.vocabulary().size(), "token " + token);
            }
        }
        for (int[] row : data.labels()) {
            for (int t = 0; t < row.length; t++) {
                assertTrue(row[t] >= 0 && row[t] < task.targets().get(t).classes(), "label " + row[t]);
            }
        }
        for (TaskDefined.Target target : task.targets()) {
            assertTrue(target.position() >= 0 && target.position() < task.seqLen());
        }
    }

    static long decode(int[] row, int from, int width, int base) {
        long n = 0;
        for (int i = from; i < from + width; i++) {
            n = n * base + row[i];
        }
        return n;
    }
}
