package io.grokstream.gateway.view;

import io.grokstream.contracts.TaskDefined;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A catalog entry: the task definition without its data. */
public record TaskSummary(String id, String kind, Map<String, Object> parameters, List<String> vocabulary,
                          int vocabularySize, int seqLen, List<TaskDefined.Target> targets,
                          TaskDefined.Residues residues, int rows, int trainRows, String sha256,
                          List<TaskDefined.TargetStatistics> statistics, List<String> warnings, Instant definedAt) {

    public static TaskSummary of(TaskDefined t) {
        int rows = t.data() == null || t.data().inputs() == null ? 0 : t.data().rows();
        int train = t.data() == null || t.data().trainRows() == null ? 0 : t.data().trainRows().length;
        return new TaskSummary(t.taskId(), t.kind(), t.parameters(), t.vocabulary(),
                t.vocabulary() == null ? 0 : t.vocabulary().size(), t.seqLen(), t.targets(), t.residues(), rows,
                train, t.sha256(), t.statistics(), t.warnings(), t.definedAt());
    }
}
