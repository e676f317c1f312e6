package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Sorting: {@code START list MID sorted}, a list of {@code length} symbols (with or without repeats; a variable
 * length uniform in 1..length, padded with PAD, if asked) and its ascending sort. Token ids: symbols 0..V-1,
 * then PAD (variable length only), START, MID. Target {@code s<i>} is read at position {@code length + 1 + i}
 * (MID for i = 0) and predicts the i-th sorted token, so a causal model sees the sorted prefix before it; class
 * = token id (symbols, PAD). All targets share one output group, {@code sorted}. Lists are distinct.
 */
public final class Sorting implements TaskKind {
    public static final String NAME = "sorting";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "START list MID sorted: lists of `length` symbols out of `symbols`, a target at every sorted position, "
                + "one shared output group";
    }

    @Override
    public List<ParameterDef> parameters() {
        return CommonParameters.with(
                ParameterDef.integer("length", 5, 1, 32, "list length L (the maximum if variableLength)"),
                ParameterDef.integer("symbols", 10, 2, 100, "alphabet size V"),
                ParameterDef.bool("repeats", true, "whether a list may repeat a symbol (false needs length <= symbols)"),
                ParameterDef.bool("variableLength", false, "lengths uniform in 1..length, padded with PAD"),
                ParameterDef.integer("rows", 10_000, 2, Integer.MAX_VALUE, "number of distinct lists (at most the service's max rows)"));
    }

    @Override
    public String label(Params params) {
        return NAME + "-l" + params.intValue("length") + "-v" + params.intValue("symbols");
    }

    @Override
    public GeneratedTask generate(Params params, Limits limits) {
        int length = params.intValue("length");
        int symbols = params.intValue("symbols");
        boolean repeats = params.bool("repeats");
        boolean variable = params.bool("variableLength");
        int rows = params.intValue("rows");
        if (!repeats && length > symbols) {
            throw new InvalidRequestException("parameters.length", "without repeats length must be at most symbols="
                    + symbols + ", got " + length);
        }
        limits.checkRows("parameters.rows", rows);
        long distinct = distinctLists(length, symbols, repeats, variable);
        if (rows > distinct) {
            throw new InvalidRequestException("parameters.rows", "rows must be at most the " + distinct
                    + " distinct lists, got " + rows);
        }
        int pad = symbols;
        int start = variable ? symbols + 1 : symbols;
        int mid = start + 1;
        List<int[]> lists = DistinctSampler.draw(rows, DistinctSampler.samplingRandom(params.intValue(CommonParameters.SEED)),
                random -> drawList(random, length, symbols, repeats, variable, pad));
        int seqLen = 2 * length + 2;
        int[][] inputs = new int[rows][];
        int[][] labels = new int[rows][];
        for (int r = 0; r < rows; r++) {
            int[] list = lists.get(r);
            int[] sorted = list.clone();
            Arrays.sort(sorted); // PAD = symbols sorts after every symbol
            int[] row = new int[seqLen];
            row[0] = start;
            System.arraycopy(list, 0, row, 1, length);
            row[length + 1] = mid;
            System.arraycopy(sorted, 0, row, length + 2, length);
            inputs[r] = row;
            labels[r] = sorted;
        }
        int classes = variable ? symbols + 1 : symbols;
        List<TaskDefined.Target> targets = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            targets.add(new TaskDefined.Target("s" + i, length + 1 + i, classes, "sorted", 1.0));
        }
        List<String> vocabulary = new ArrayList<>();
        for (int s = 0; s < symbols; s++) {
            vocabulary.add(Integer.toString(s));
        }
        if (variable) {
            vocabulary.add("PAD");
        }
        vocabulary.add("START");
        vocabulary.add("MID");
        return new GeneratedTask(vocabulary, seqLen, targets, null,
                new TaskDefined.TaskData(inputs, labels, CommonParameters.split(params, rows)));
    }

    private static int[] drawList(SplittableRandom random, int length, int symbols, boolean repeats, boolean variable,
                                  int pad) {
        int n = variable ? 1 + random.nextInt(length) : length;
        int[] list = new int[length];
        Arrays.fill(list, pad);
        if (repeats) {
            for (int i = 0; i < n; i++) {
                list[i] = random.nextInt(symbols);
            }
        } else {
            int[] order = Split.permutation(symbols, random);
            System.arraycopy(order, 0, list, 0, n);
        }
        return list;
    }

    /** How many distinct lists exist, saturating at {@code Long.MAX_VALUE}. */
    static long distinctLists(int length, int symbols, boolean repeats, boolean variable) {
        long total = 0;
        for (int n = variable ? 1 : length; n <= length; n++) {
            long count = 1;
            for (int i = 0; i < n; i++) {
                count = saturatingMultiply(count, repeats ? symbols : symbols - i);
            }
            total = total + count < 0 ? Long.MAX_VALUE : total + count;
        }
        return total;
    }

    private static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }
}
