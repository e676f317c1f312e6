package io.grokstream.testkit;

import io.grokstream.contracts.TaskDefined;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Nanda et al.'s task, (x + y) mod p with inputs {@code x y =}, materialised as the dataset service publishes it:
 * for the analysis service's tests and {@code BenchAnalysis} (bench), which need a task without the dataset service.
 */
public final class ModularAdditionTask {
    private ModularAdditionTask() {
    }

    /** (x + y) mod p over the full grid, rows in a shuffled order, {@code trainFraction} of them for training. */
    public static TaskDefined of(String taskId, int p, double trainFraction, long seed) {
        List<int[]> rows = new ArrayList<>();
        for (int x = 0; x < p; x++) {
            for (int y = 0; y < p; y++) {
                rows.add(new int[]{x, y, p});
            }
        }
        java.util.Collections.shuffle(rows, new Random(seed));
        int[][] inputs = rows.toArray(new int[0][]);
        int[][] labels = new int[inputs.length][];
        for (int r = 0; r < inputs.length; r++) {
            labels[r] = new int[]{(inputs[r][0] + inputs[r][1]) % p};
        }
        int nTrain = (int) Math.round(trainFraction * inputs.length);
        int[] train = java.util.stream.IntStream.range(0, nTrain).toArray();
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            vocab.add(Integer.toString(i));
        }
        vocab.add("=");
        return new TaskDefined(taskId, "modular", Map.of("p", p, "op", "add"), vocab, 3,
                List.of(new TaskDefined.Target("out", 2, p, "out", 1.0)),
                new TaskDefined.Residues(p, 0, 1),
                new TaskDefined.TaskData(inputs, labels, train), "0".repeat(64), List.of(), List.of(), Instant.now());
    }

}
