package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.grokstream.dataset.generate.GeneratorAssertions.assertWellFormed;
import static io.grokstream.dataset.generate.GeneratorAssertions.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModularArithmeticTest {
    private final ModularArithmetic kind = new ModularArithmetic();

    @Test
    void everyOperationMatchesBruteForceModSeven() {
        int p = 7;
        for (String op : ModularArithmetic.OPERATIONS) {
            GeneratedTask task = generate(kind, Map.of("operation", op, "p", p));
            assertWellFormed(task);
            int rows = op.equals("divide") ? p * (p - 1) : p * p;
            assertEquals(rows, task.data().rows(), op);
            for (int r = 0; r < rows; r++) {
                int[] row = task.data().inputs()[r];
                int x = row[0];
                int y = row[1];
                assertEquals(p, row[2], "'=' is token p");
                assertEquals(bruteForce(op, x, y, p), task.data().labels()[r][0], op + "(" + x + ", " + y + ")");
            }
        }
    }

    /** The answer by search: the z in [0, p) that satisfies the defining equation. */
    private static int bruteForce(String op, int x, int y, int p) {
        for (int z = 0; z < p; z++) {
            boolean ok = switch (op) {
                case "add" -> (x + y - z) % p == 0;
                case "subtract" -> ((x - y - z) % p + p) % p == 0;
                case "multiply" -> (x * y - z) % p == 0;
                case "divide" -> (z * y - x) % p == 0;
                case "quadratic" -> (x * x + x * y + y * y - z) % p == 0;
                default -> throw new IllegalArgumentException(op);
            };
            if (ok) {
                return z;
            }
        }
        throw new AssertionError("no answer");
    }

    @Test
    void nandaDefaultsDescribeTheResidueGrid() {
        GeneratedTask task = generate(kind, Map.of());
        assertEquals(114, task.vocabulary().size());
        assertEquals("=", task.vocabulary().get(113));
        assertEquals(3, task.seqLen());
        assertEquals(List.of(new TaskDefined.Target("result", 2, 113, "result", 1.0)), task.targets());
        assertEquals(new TaskDefined.Residues(113, 0, 1), task.residues());
        assertEquals(12769, task.data().rows());
        assertEquals(3830, task.data().trainRows().length);
    }

    @Test
    void compositeOrTooLargeModuliAreRefused() {
        InvalidRequestException composite = assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("p", 100)));
        assertEquals("parameters.p", composite.field());
        InvalidRequestException large = assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("p", 1009)));
        assertEquals("parameters.p", large.field());
        InvalidRequestException rows = assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("p", 449))); // 201,601 rows
        assertEquals("parameters.p", rows.field());
    }

    @Test
    void unknownOperationsAndParametersAreRefused() {
        assertEquals("parameters.operation", assertThrows(InvalidRequestException.class,
                () -> kind.normalise(Map.of("operation", "power"))).field());
        assertEquals("parameters.q", assertThrows(InvalidRequestException.class,
                () -> kind.normalise(Map.of("q", 3))).field());
        assertEquals("parameters.p", assertThrows(InvalidRequestException.class,
                () -> kind.normalise(Map.of("p", 11.5))).field());
    }

    @Test
    void grokfastLayoutWritesXOpYEqualsAndLeavesYZeroOut() {
        // Lee et al.'s multiplication_mod_p_data: x in 0..p-1, y in 1..p-1, tokens [x, op, y, eq] with eq = p and
        // op = p + 1, label x * y mod p
        int p = 7;
        GeneratedTask task = generate(kind, Map.of("operation", "multiply", "p", p, "layout", "grokfast"));
        assertWellFormed(task);
        assertEquals(p * (p - 1), task.data().rows());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "=", "∘"), task.vocabulary());
        assertEquals(4, task.seqLen());
        assertEquals(List.of(new TaskDefined.Target("result", 3, p, "result", 1.0)), task.targets());
        assertEquals(new TaskDefined.Residues(p, 0, 2), task.residues());
        for (int r = 0; r < task.data().rows(); r++) {
            int[] row = task.data().inputs()[r];
            assertEquals(List.of(p + 1, p), List.of(row[1], row[3]), "'∘' then '='");
            assertTrue(row[2] != 0, "y = 0 is left out");
            assertEquals(row[0] * row[2] % p, task.data().labels()[r][0]);
        }
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("layout", "lee")));
        assertEquals("parameters.layout", e.field());
    }
}
