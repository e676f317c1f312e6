package io.grokstream.dataset.api;

import io.grokstream.contracts.TaskDefined;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A catalog entry without its data. */
@Schema(description = "A task definition without its data")
public record TaskSummary(
        @Schema(description = "content-derived id: the same request always gives the same id",
                example = "modular-add-p113-0123456789ab") String taskId,
        @Schema(description = "task kind") String kind,
        @Schema(description = "the normalised parameters, defaults filled in") Map<String, Object> parameters,
        @Schema(description = "number of tokens (token id = index)") int vocabularySize,
        @Schema(description = "tokens per row") int seqLen,
        @Schema(description = "number of rows") int rows,
        @Schema(description = "number of training rows (the rest validate)") int trainRows,
        @Schema(description = "targets: name, position read, classes, output group, loss weight") List<TaskDefined.Target> targets,
        @Schema(description = "hex sha256 of the canonical data encoding") String sha256,
        @Schema(description = "warnings, e.g. labels far from uniform") List<String> warnings,
        @Schema(description = "when the task was first defined") Instant definedAt) {

    public static TaskSummary of(TaskDefined task) {
        return new TaskSummary(task.taskId(), task.kind(), task.parameters(), task.vocabulary().size(), task.seqLen(),
                task.data().rows(), task.data().trainRows().length, task.targets(), task.sha256(), task.warnings(),
                task.definedAt());
    }
}
