package io.grokstream.trainer.engine;

import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A task's data checked against a model and split for training: which rows train and which validate, and for
 * every target the sequence position it reads, its output group's unembedding and its loss weight.
 *
 * <p>The forward pass only needs the residual stream at {@link #queryPositions()} in the last layer (the distinct
 * target positions): for Nanda's task that is the '=' position alone.
 */
final class TaskLayout {

    /** One predicted label, resolved against the model. */
    record ResolvedTarget(String name, int position, int queryIndex, String unembed, int classes, double lossWeight) {
    }

    private final int[][] inputs;
    private final int[][] labels;
    private final int[] trainRows;
    private final int[] validationRows;
    private final List<ResolvedTarget> targets;
    private final int[] queryPositions;

    TaskLayout(ModelConfig model, TaskDefined task) {
        if (task == null || task.data() == null) {
            throw new IllegalArgumentException("task must carry its materialised data");
        }
        TaskDefined.TaskData data = task.data();
        if (task.seqLen() != model.nCtx()) {
            throw new IllegalArgumentException("task seqLen " + task.seqLen() + " differs from model nCtx " + model.nCtx());
        }
        if (task.targets() == null || task.targets().isEmpty()) {
            throw new IllegalArgumentException("task " + task.taskId() + " declares no targets");
        }
        this.inputs = data.inputs();
        this.labels = data.labels();
        if (inputs.length == 0 || labels.length != inputs.length) {
            throw new IllegalArgumentException("task data needs rows with one label row each, got " + inputs.length
                    + " inputs and " + labels.length + " labels");
        }
        TreeSet<Integer> positions = new TreeSet<>();
        for (TaskDefined.Target t : task.targets()) {
            positions.add(t.position());
        }
        this.queryPositions = positions.stream().mapToInt(Integer::intValue).toArray();
        List<ResolvedTarget> resolved = new ArrayList<>();
        for (TaskDefined.Target t : task.targets()) {
            if (t.position() < 0 || t.position() >= model.nCtx()) {
                throw new IllegalArgumentException("target " + t.name() + " reads position " + t.position()
                        + " outside [0, " + model.nCtx() + ")");
            }
            OutputGroup group = model.outputs().stream()
                    .filter(g -> g.name().equals(t.group()) || model.outputs().size() == 1 && t.group() == null)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("target " + t.name() + " names output group "
                            + t.group() + ", the model has " + model.outputs()));
            if (group.classes() != t.classes()) {
                throw new IllegalArgumentException("target " + t.name() + " has " + t.classes()
                        + " classes, output group " + group.name() + " has " + group.classes());
            }
            if (!(t.lossWeight() >= 0) || Double.isInfinite(t.lossWeight())) {
                throw new IllegalArgumentException("target " + t.name() + " lossWeight must be finite and >= 0, got "
                        + t.lossWeight());
            }
            resolved.add(new ResolvedTarget(t.name(), t.position(), Arrays.binarySearch(queryPositions, t.position()),
                    model.unembedName(group), t.classes(), t.lossWeight()));
        }
        this.targets = List.copyOf(resolved);
        for (int r = 0; r < inputs.length; r++) {
            if (inputs[r].length != model.nCtx()) {
                throw new IllegalArgumentException("row " + r + " has " + inputs[r].length + " tokens, expected " + model.nCtx());
            }
            for (int tok : inputs[r]) {
                if (tok < 0 || tok >= model.dVocab()) {
                    throw new IllegalArgumentException("row " + r + " has token " + tok + " outside [0, " + model.dVocab() + ")");
                }
            }
            if (labels[r].length != targets.size()) {
                throw new IllegalArgumentException("row " + r + " has " + labels[r].length + " labels, expected " + targets.size());
            }
            for (int k = 0; k < targets.size(); k++) {
                if (labels[r][k] < 0 || labels[r][k] >= targets.get(k).classes()) {
                    throw new IllegalArgumentException("row " + r + " label " + labels[r][k] + " of target "
                            + targets.get(k).name() + " outside [0, " + targets.get(k).classes() + ")");
                }
            }
        }
        int[] train = data.trainRows() == null ? new int[0] : data.trainRows().clone();
        Arrays.sort(train);
        if (train.length == 0) {
            throw new IllegalArgumentException("task has no training rows");
        }
        boolean[] isTrain = new boolean[inputs.length];
        for (int r : train) {
            if (r < 0 || r >= inputs.length || isTrain[r]) {
                throw new IllegalArgumentException("training row " + r + " is out of range or repeated");
            }
            isTrain[r] = true;
        }
        this.trainRows = train;
        this.validationRows = java.util.stream.IntStream.range(0, inputs.length).filter(r -> !isTrain[r]).toArray();
    }

    int[] trainRows() {
        return trainRows;
    }

    int[] validationRows() {
        return validationRows;
    }

    List<ResolvedTarget> targets() {
        return targets;
    }

    int[] queryPositions() {
        return queryPositions.clone();
    }

    /** Token ids of {@code rows}, flattened row-major as int64 for an NDArray of shape [rows, nCtx]. */
    long[] tokens(int[] rows) {
        int n = inputs[0].length;
        long[] out = new long[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            for (int p = 0; p < n; p++) {
                out[i * n + p] = inputs[rows[i]][p];
            }
        }
        return out;
    }

    /** Labels of target {@code k} for {@code rows}. */
    int[] labels(int[] rows, int k) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]][k];
        }
        return out;
    }

    int seqLen() {
        return inputs[0].length;
    }
}
