package io.grokstream.analysis.measure;

import io.grokstream.contracts.TaskDefined;

/**
 * The p x p input grid of a residue task (Nanda et al. 2023, Section 4): which data row holds input (x, y), read
 * from the task's materialised data at {@code residues.xPosition / yPosition} (token id = residue). The Fourier
 * measures need every one of the p^2 pairs exactly once; {@link #of} says why not otherwise.
 *
 * @param p        the modulus
 * @param rowOf    rowOf[x * p + y] = the data row with input (x, y)
 * @param x        x of each grid cell in grid order
 * @param y        y of each grid cell in grid order
 */
public record ResidueGrid(int p, int[] rowOf, int[] x, int[] y) {

    public ResidueGrid {
        rowOf = rowOf.clone();
        x = x.clone();
        y = y.clone();
    }

    @Override
    public int[] rowOf() {
        return rowOf.clone();
    }

    @Override
    public int[] x() {
        return x.clone();
    }

    @Override
    public int[] y() {
        return y.clone();
    }

    /** The grid, or an explanation why the task has none. */
    public sealed interface Result permits Found, Missing {
    }

    public record Found(ResidueGrid grid) implements Result {
    }

    public record Missing(String reason) implements Result {
    }

    public static Result of(TaskDefined task) {
        TaskDefined.Residues r = task.residues();
        if (r == null) {
            return new Missing("task kind " + task.kind() + " has no residue inputs");
        }
        int p = r.p();
        if (p < 3 || p % 2 == 0) {
            return new Missing("modulus " + p + " is not odd");
        }
        int[] rowOf = new int[p * p];
        java.util.Arrays.fill(rowOf, -1);
        int[][] inputs = task.data().inputs();
        for (int row = 0; row < inputs.length; row++) {
            int xi = inputs[row][r.xPosition()];
            int yi = inputs[row][r.yPosition()];
            if (xi < 0 || xi >= p || yi < 0 || yi >= p) {
                return new Missing("row " + row + " has input (" + xi + ", " + yi + ") outside 0.." + (p - 1));
            }
            if (rowOf[xi * p + yi] >= 0) {
                return new Missing("input (" + xi + ", " + yi + ") occurs more than once");
            }
            rowOf[xi * p + yi] = row;
        }
        for (int cell = 0; cell < rowOf.length; cell++) {
            if (rowOf[cell] < 0) {
                return new Missing("input (" + cell / p + ", " + cell % p + ") is missing from the data");
            }
        }
        int[] xs = new int[p * p];
        int[] ys = new int[p * p];
        for (int cell = 0; cell < rowOf.length; cell++) {
            xs[cell] = cell / p;
            ys[cell] = cell % p;
        }
        return new Found(new ResidueGrid(p, rowOf, xs, ys));
    }

    /** Each grid cell's entry of a per-row array (a target's labels), in grid order. */
    public int[] byCell(int[] byRow) {
        int[] out = new int[rowOf.length];
        for (int cell = 0; cell < rowOf.length; cell++) {
            out[cell] = byRow[rowOf[cell]];
        }
        return out;
    }

    /** The grid cells of data rows (the training rows' cells). */
    public int[] cellsOf(int[] rows) {
        int[] cellOfRow = new int[rowOf.length];
        for (int cell = 0; cell < rowOf.length; cell++) {
            cellOfRow[rowOf[cell]] = cell;
        }
        return java.util.Arrays.stream(rows).map(r -> cellOfRow[r]).toArray();
    }

    /**
     * The rows of a [rows, cols] matrix in grid order, as a matrix of the same kind (float32 stays float32): the
     * matrix itself when its rows are in grid order already (every task that lists its rows x-major, as the
     * dataset service's modular tasks do).
     */
    public io.grokstream.analysis.math.Dense inGridOrder(io.grokstream.analysis.math.Dense byRow) {
        int cols = byRow.cols();
        boolean ordered = byRow.rows() == rowOf.length;
        for (int cell = 0; ordered && cell < rowOf.length; cell++) {
            ordered = rowOf[cell] == cell;
        }
        if (ordered) {
            return byRow;
        }
        if (!byRow.float32()) {
            return io.grokstream.analysis.math.Dense.adopt(rowOf.length, cols, gridOrder(byRow, cols));
        }
        float[] out = new float[rowOf.length * cols];
        for (int cell = 0; cell < rowOf.length; cell++) {
            byRow.copyRow(rowOf[cell], out, cell * cols);
        }
        return io.grokstream.analysis.math.Dense.ofFloats(rowOf.length, cols, out);
    }

    /** The rows of a [rows, cols] matrix in grid order (row-major values). */
    public double[] gridOrder(io.grokstream.analysis.math.Dense byRow, int cols) {
        double[] out = new double[rowOf.length * cols];
        for (int cell = 0; cell < rowOf.length; cell++) {
            byRow.copyRow(rowOf[cell], out, cell * cols);
        }
        return out;
    }
}
