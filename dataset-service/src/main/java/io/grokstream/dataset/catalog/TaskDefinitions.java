package io.grokstream.dataset.catalog;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.dataset.generate.CsvTable;
import io.grokstream.dataset.generate.CustomCsv;
import io.grokstream.dataset.generate.GeneratedTask;
import io.grokstream.dataset.generate.InvalidRequestException;
import io.grokstream.dataset.generate.Limits;
import io.grokstream.dataset.generate.Params;
import io.grokstream.dataset.generate.TaskKind;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns a checked request into a complete {@link TaskDefined}: materialises the data, computes the hash,
 * statistics and warnings, and refuses a definition too big for the tasks topic. Pure: no Kafka here.
 */
public final class TaskDefinitions {
    /** Room left under the topic limit for the record's key, headers and batch overhead. */
    public static final int MAX_DEFINITION_BYTES = Topics.MAX_MESSAGE_BYTES - 64 * 1024;

    private final Limits limits;

    public TaskDefinitions(Limits limits) {
        this.limits = Objects.requireNonNull(limits);
    }

    public TaskDefined define(TaskKind kind, Params params) {
        return assemble(TaskIds.of(kind, params), kind.name(), params, kind.generate(params, limits));
    }

    public TaskDefined defineCustom(CustomCsv kind, Params params, CsvTable table) {
        return assemble(TaskIds.of(kind, params), kind.name(), params, kind.generate(table, params, limits));
    }

    static TaskDefined assemble(String taskId, String kind, Params params, GeneratedTask task) {
        Map<String, Object> parameters = new TreeMap<>(params.asMap());
        parameters.putAll(task.derivedParameters());
        List<TaskDefined.TargetStatistics> statistics = LabelStatistics.all(task.targets(), task.data().labels());
        List<String> warnings = new ArrayList<>();
        for (TaskDefined.TargetStatistics s : statistics) {
            String warning = LabelStatistics.warning(s);
            if (warning != null) {
                warnings.add(warning);
            }
        }
        TaskDefined definition = new TaskDefined(taskId, kind, parameters, task.vocabulary(), task.seqLen(),
                task.targets(), task.residues(), task.data(), DataHash.sha256(task.data()), statistics,
                List.copyOf(warnings), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        int size = EventCodec.encode(definition).length;
        if (size > MAX_DEFINITION_BYTES) {
            throw new InvalidRequestException("parameters", String.format(
                    "the definition would be %,d bytes of JSON, over the %,d-byte limit of %s; ask for fewer rows or targets",
                    size, MAX_DEFINITION_BYTES, Topics.TASKS));
        }
        return definition;
    }
}
