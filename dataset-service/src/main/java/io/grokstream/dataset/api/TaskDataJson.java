package io.grokstream.dataset.api;

import io.grokstream.contracts.TaskDefined;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The full data of a task as JSON, with what is needed to read it and check its hash. */
@Schema(description = "A task's full data: inputs[row][position] token ids, labels[row][target], sorted training rows")
public record TaskDataJson(String taskId, String sha256, List<String> vocabulary, int seqLen,
                           List<TaskDefined.Target> targets, int[][] inputs, int[][] labels, int[] trainRows) {

    public static TaskDataJson of(TaskDefined task) {
        return new TaskDataJson(task.taskId(), task.sha256(), task.vocabulary(), task.seqLen(), task.targets(),
                task.data().inputs(), task.data().labels(), task.data().trainRows());
    }
}
