package io.grokstream.testkit;

import io.grokstream.contracts.TaskDefined;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModularAdditionTaskTest {

    @Test
    void nandasSplitTrainsTheFloorOfThirtyPercentOfTheGridInRowOrder() {
        TaskDefined task = ModularAdditionTask.of(113, 0.3, 0);
        int[] train = task.data().trainRows();
        assertEquals(113 * 113, task.data().rows());
        assertEquals(3830, train.length, "int(0.3 * 12769)");
        assertArrayEquals(Arrays.stream(train).sorted().distinct().toArray(), train, "sorted, each row once");
        assertArrayEquals(new int[]{5, 7, 113}, task.data().inputs()[5 * 113 + 7], "x-major rows x y =");
        assertArrayEquals(new int[]{(100 + 50) % 113}, task.data().labels()[100 * 113 + 50]);
        assertEquals("modular-add-p113-f0.3-s0", task.taskId());
    }

    @Test
    void theSeedAloneDecidesTheSplitAndTheHashFollowsIt() {
        TaskDefined a = ModularAdditionTask.of(23, 0.5, 1);
        TaskDefined b = ModularAdditionTask.of("other-id", 23, 0.5, 1);
        TaskDefined c = ModularAdditionTask.of(23, 0.5, 2);
        assertArrayEquals(a.data().trainRows(), b.data().trainRows());
        assertEquals(a.sha256(), b.sha256());
        assertNotEquals(a.sha256(), c.sha256());
    }

    @Test
    void aModulusOrFractionOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModularAdditionTask.of(1, 0.3, 0));
        assertThrows(IllegalArgumentException.class, () -> ModularAdditionTask.of(23, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ModularAdditionTask.of(23, 1.5, 0));
    }
}
