package io.grokstream.dataset.api;

import io.grokstream.contracts.TaskDefined;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A definition with its statistics and the first rows as a preview (the full data: data.csv, data.json). */
@Schema(description = "A task definition, its label statistics and a preview of its first rows")
public record TaskDetail(
        String taskId, String kind, Map<String, Object> parameters,
        @Schema(description = "token strings; token id = index") List<String> vocabulary,
        int seqLen, List<TaskDefined.Target> targets,
        @Schema(description = "residue grid (p, x position, y position) for modular, exponent and miiii; else null")
        TaskDefined.Residues residues,
        int rows, int trainRows, String sha256,
        @Schema(description = "per target: histogram, normalised entropy, most and least frequent class share")
        List<TaskDefined.TargetStatistics> statistics,
        List<String> warnings, Instant definedAt,
        @Schema(description = "the first rows") List<PreviewRow> preview) {

    public static final int PREVIEW_ROWS = 20;

    /** One row: its index, whether it trains, token ids and strings, and one label per target. */
    public record PreviewRow(int row, boolean train, int[] inputs, List<String> tokens, int[] labels) {
    }

    public static TaskDetail of(TaskDefined task) {
        List<PreviewRow> preview = new ArrayList<>();
        int[] train = task.data().trainRows();
        for (int r = 0; r < Math.min(PREVIEW_ROWS, task.data().rows()); r++) {
            int[] inputs = task.data().inputs()[r];
            preview.add(new PreviewRow(r, Arrays.binarySearch(train, r) >= 0, inputs,
                    Arrays.stream(inputs).mapToObj(task.vocabulary()::get).toList(), task.data().labels()[r]));
        }
        return new TaskDetail(task.taskId(), task.kind(), task.parameters(), task.vocabulary(), task.seqLen(),
                task.targets(), task.residues(), task.data().rows(), train.length, task.sha256(), task.statistics(),
                task.warnings(), task.definedAt(), preview);
    }
}
