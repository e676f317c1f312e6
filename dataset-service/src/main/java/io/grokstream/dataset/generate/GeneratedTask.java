package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;

import java.util.List;
import java.util.Map;

/**
 * What a generator materialises: the sequence layout, targets, residue grid (or {@code null}), the rows with
 * their labels and the sorted training indices, plus parameters the generator derived (e.g. class names of an
 * uploaded CSV) that belong in the definition.
 */
public record GeneratedTask(List<String> vocabulary, int seqLen, List<TaskDefined.Target> targets,
                            TaskDefined.Residues residues, TaskDefined.TaskData data,
                            Map<String, Object> derivedParameters) {

    public GeneratedTask {
        if (data.inputs().length != data.labels().length) {
            throw new IllegalArgumentException("inputs and labels differ in row count");
        }
        for (int[] row : data.inputs()) {
            if (row.length != seqLen) {
                throw new IllegalArgumentException("a row has " + row.length + " tokens, seqLen is " + seqLen);
            }
        }
        for (int[] row : data.labels()) {
            if (row.length != targets.size()) {
                throw new IllegalArgumentException("a row has " + row.length + " labels for " + targets.size() + " targets");
            }
        }
        derivedParameters = derivedParameters == null ? Map.of() : Map.copyOf(derivedParameters);
    }

    public GeneratedTask(List<String> vocabulary, int seqLen, List<TaskDefined.Target> targets,
                         TaskDefined.Residues residues, TaskDefined.TaskData data) {
        this(vocabulary, seqLen, targets, residues, data, Map.of());
    }
}
