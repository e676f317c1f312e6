package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.grokstream.dataset.generate.GeneratorAssertions.assertWellFormed;
import static io.grokstream.dataset.generate.GeneratorAssertions.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SortingTest {
    private final Sorting kind = new Sorting();

    @Test
    void everySortedPositionIsTheSortedListAndTargetsShareOneGroup() {
        GeneratedTask task = generate(kind, Map.of("length", 4, "symbols", 6, "rows", 500));
        assertWellFormed(task);
        int start = task.vocabulary().indexOf("START");
        int mid = task.vocabulary().indexOf("MID");
        assertEquals(10, task.seqLen());
        Set<String> lists = new HashSet<>();
        for (int r = 0; r < 500; r++) {
            int[] row = task.data().inputs()[r];
            assertEquals(start, row[0]);
            assertEquals(mid, row[5]);
            int[] list = Arrays.copyOfRange(row, 1, 5);
            assertTrue(lists.add(Arrays.toString(list)), "list drawn twice");
            int[] sorted = list.clone();
            Arrays.sort(sorted);
            assertEquals(Arrays.toString(sorted), Arrays.toString(Arrays.copyOfRange(row, 6, 10)));
            assertEquals(Arrays.toString(sorted), Arrays.toString(task.data().labels()[r]));
        }
        for (int i = 0; i < 4; i++) {
            TaskDefined.Target target = task.targets().get(i);
            assertEquals(new TaskDefined.Target("s" + i, 5 + i, 6, "sorted", 1.0), target);
            // the position read holds MID or the previous sorted token: a causal model never sees its answer
            assertTrue(target.position() < 6 + i);
        }
    }

    @Test
    void withoutRepeatsEverySymbolAppearsOnce() {
        GeneratedTask task = generate(kind, Map.of("length", 5, "symbols", 5, "repeats", false, "rows", 120));
        assertEquals(120, task.data().rows()); // all 5! permutations
        for (int[] row : task.data().inputs()) {
            assertEquals(5, Arrays.stream(row, 1, 6).distinct().count());
        }
        assertEquals("parameters.rows", assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("length", 5, "symbols", 5, "repeats", false, "rows", 121))).field());
        assertEquals("parameters.length", assertThrows(InvalidRequestException.class,
                () -> generate(kind, Map.of("length", 6, "symbols", 5, "repeats", false))).field());
    }

    @Test
    void variableLengthListsArePaddedAndPadSortsLast() {
        GeneratedTask task = generate(kind, Map.of("length", 4, "symbols", 3, "variableLength", true, "rows", 100));
        assertWellFormed(task);
        int pad = task.vocabulary().indexOf("PAD");
        assertEquals(3, pad);
        assertEquals(4, task.targets().get(0).classes());
        Set<Integer> lengths = new HashSet<>();
        for (int r = 0; r < 100; r++) {
            int[] list = Arrays.copyOfRange(task.data().inputs()[r], 1, 5);
            int n = (int) Arrays.stream(list).filter(t -> t != pad).count();
            lengths.add(n);
            for (int i = n; i < 4; i++) {
                assertEquals(pad, list[i], "padding follows the list");
            }
            int[] labels = task.data().labels()[r];
            int[] expected = Arrays.copyOf(list, 4);
            Arrays.sort(expected);
            assertEquals(Arrays.toString(expected), Arrays.toString(labels));
        }
        assertEquals(Set.of(1, 2, 3, 4), lengths);
        assertEquals(3 + 9 + 27 + 81, Sorting.distinctLists(4, 3, true, true));
    }
}
