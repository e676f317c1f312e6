package io.grokstream.gateway.intervene;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.gateway.api.ApiException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The rows of a task's data, found by what a request names: {@code {x, y}} for a residue task (x and y placed at the
 * task's residue positions), or the row's token ids. An intervention reads only the task's own inputs, whose labels
 * it scores.
 */
public final class TaskRows {
    private final TaskDefined task;
    private final Map<String, Integer> byTokens = new HashMap<>();
    private final int[] grid;

    public TaskRows(TaskDefined task) {
        this.task = task;
        int[][] inputs = task.data().inputs();
        for (int r = 0; r < inputs.length; r++) {
            byTokens.putIfAbsent(Arrays.toString(inputs[r]), r);
        }
        this.grid = gridOf(task);
    }

    public TaskDefined task() {
        return task;
    }

    /**
     * rowOf[x * p + y] = the row with input (x, y), when the task's rows are its p x p residue grid, each pair once;
     * else null.
     */
    public int[] grid() {
        return grid == null ? null : grid.clone();
    }

    /** The row a request's value names, or a 400 naming {@code field}. */
    public int rowOf(JsonNode v, String field) {
        int[] tokens;
        if (v.isObject()) {
            tokens = placed(v, field);
        } else if (v.isArray()) {
            tokens = new int[v.size()];
            for (int i = 0; i < tokens.length; i++) {
                if (!v.get(i).isIntegralNumber() || !v.get(i).canConvertToInt()) {
                    throw ApiException.badRequest(field, field + "[" + i + "] must be an integer token id");
                }
                tokens[i] = v.get(i).asInt();
            }
        } else {
            throw ApiException.badRequest(field, field + " must be {x, y} or a list of token ids");
        }
        Integer row = byTokens.get(Arrays.toString(tokens));
        if (row == null) {
            throw ApiException.badRequest(field, field + " " + Arrays.toString(tokens) + " is not an input of task "
                    + task.taskId());
        }
        return row;
    }

    private int[] placed(JsonNode v, String field) {
        TaskDefined.Residues r = task.residues();
        if (r == null) {
            throw ApiException.badRequest(field, field + ": {x, y} needs a residue task; give the token ids");
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("x") && !f.equals("y")) {
                throw ApiException.badRequest(field + "." + f, "unknown field " + field + "." + f + "; known: x, y");
            }
        }
        int[] tokens = task.data().inputs()[0].clone();
        tokens[r.xPosition()] = residue(v.get("x"), field + ".x", r.p());
        tokens[r.yPosition()] = residue(v.get("y"), field + ".y", r.p());
        return tokens;
    }

    private static int residue(JsonNode v, String field, int p) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0 || v.asInt() >= p) {
            throw ApiException.badRequest(field, field + " must be an integer in [0, " + p + ")");
        }
        return v.asInt();
    }

    private static int[] gridOf(TaskDefined task) {
        TaskDefined.Residues r = task.residues();
        if (r == null) {
            return null;
        }
        int p = r.p();
        int[][] inputs = task.data().inputs();
        if ((long) p * p != inputs.length) {
            return null;
        }
        int[] rowOf = new int[p * p];
        Arrays.fill(rowOf, -1);
        for (int row = 0; row < inputs.length; row++) {
            int x = inputs[row][r.xPosition()];
            int y = inputs[row][r.yPosition()];
            if (x < 0 || x >= p || y < 0 || y >= p || rowOf[x * p + y] >= 0) {
                return null;
            }
            rowOf[x * p + y] = row;
        }
        return rowOf;
    }
}
