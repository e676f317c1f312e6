package io.grokstream.analysis.math;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A small immutable row-major matrix of doubles, with the few products the progress measures need written as
 * cache-friendly loops (i-k-j order, which the JIT vectorises) and split over cores when large. The analysis
 * does all its Fourier transforms as matrix products with an explicit basis, so this class carries the load.
 */
public final class Dense {
    private static final long PARALLEL_THRESHOLD = 2_000_000L;

    private final int rows;
    private final int cols;
    private final double[] data;

    private Dense(int rows, int cols, double[] data, boolean copy) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix dimensions must be non-negative, got " + rows + "x" + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = copy ? data.clone() : data;
    }

    /** A matrix over a copy of {@code data} (row-major). */
    public static Dense of(int rows, int cols, double... data) {
        return new Dense(rows, cols, data, true);
    }

    /**
     * A matrix over {@code data} itself, without a copy, for the large activation matrices: the caller hands the
     * array over and must not change it afterwards.
     */
    public static Dense adopt(int rows, int cols, double[] data) {
        return new Dense(rows, cols, data, false);
    }

    static Dense wrap(int rows, int cols, double[] data) {
        return new Dense(rows, cols, data, false);
    }

    public static Dense ofRows(double[][] rowsData) {
        int r = rowsData.length;
        int c = r == 0 ? 0 : rowsData[0].length;
        double[] d = new double[r * c];
        for (int i = 0; i < r; i++) {
            if (rowsData[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + rowsData[i].length + " values, expected " + c);
            }
            System.arraycopy(rowsData[i], 0, d, i * c, c);
        }
        return wrap(r, c, d);
    }

    public static Dense fromFloats(int rows, int cols, float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new Dense(rows, cols, d, false);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int r, int c) {
        return data[r * cols + c];
    }

    /** A copy of the values, row-major. */
    public double[] toArray() {
        return data.clone();
    }

    /** Read-only view for the math package's own loops. */
    double[] raw() {
        return data;
    }

    /** Copies row {@code r} into {@code into} at {@code offset}. */
    public void copyRow(int r, double[] into, int offset) {
        System.arraycopy(data, r * cols, into, offset, cols);
    }

    public double[] row(int r) {
        return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
    }

    /** Rows {@code [from, to)}. */
    public Dense rowRange(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") outside 0.." + rows);
        }
        return wrap(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
    }

    public Dense transpose() {
        double[] t = new double[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = data[i * cols + j];
            }
        }
        return wrap(cols, rows, t);
    }

    /** The same values read as a {@code newRows x newCols} matrix. */
    public Dense reshape(int newRows, int newCols) {
        return new Dense(newRows, newCols, data, false);
    }

    /** {@code this * other}. */
    public Dense times(Dense other) {
        if (cols != other.rows) {
            throw new IllegalArgumentException("cannot multiply " + rows + "x" + cols + " by " + other.rows + "x" + other.cols);
        }
        double[] out = new double[rows * other.cols];
        multiplyInto(data, other.data, out, rows, cols, other.cols);
        return wrap(rows, other.cols, out);
    }

    /** Columns per tile: a tile of the right-hand matrix (k x 256 doubles) stays in L2 while the rows stream by. */
    private static final int TILE = 256;

    static void multiplyInto(double[] a, double[] b, double[] out, int n, int k, int m) {
        long work = (long) n * k * m;
        int tiles = (m + TILE - 1) / TILE;
        if (work >= PARALLEL_THRESHOLD && (n > 1 || tiles > 1)) {
            int cores = Runtime.getRuntime().availableProcessors();
            int rowChunks = Math.max(1, Math.min(n, 4 * cores / tiles + 1));
            int chunk = (n + rowChunks - 1) / rowChunks;
            IntStream.range(0, rowChunks * tiles).parallel().forEach(task -> {
                int t = task % tiles;
                int r = task / tiles;
                multiplyBlock(a, b, out, r * chunk, Math.min(n, (r + 1) * chunk), t * TILE, Math.min(m, (t + 1) * TILE), k, m);
            });
        } else {
            for (int t = 0; t < tiles; t++) {
                multiplyBlock(a, b, out, 0, n, t * TILE, Math.min(m, (t + 1) * TILE), k, m);
            }
        }
    }

    private static void multiplyBlock(double[] a, double[] b, double[] out, int rowFrom, int rowTo, int colFrom,
                                      int colTo, int k, int m) {
        for (int i = rowFrom; i < rowTo; i++) {
            int oi = i * m;
            int ai = i * k;
            for (int l = 0; l < k; l++) {
                double av = a[ai + l];
                if (av == 0.0) {
                    continue;
                }
                int bl = l * m;
                for (int j = colFrom; j < colTo; j++) {
                    out[oi + j] += av * b[bl + j];
                }
            }
        }
    }

    /** Sum of squares of all entries (the squared Frobenius norm). */
    public double squaredNorm() {
        double s = 0;
        for (double v : data) {
            s += v * v;
        }
        return s;
    }

    /** Euclidean norm of each row. */
    public double[] rowNorms() {
        double[] n = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                double v = data[i * cols + j];
                s += v * v;
            }
            n[i] = Math.sqrt(s);
        }
        return n;
    }

    /** Each column minus its mean over the rows. */
    public Dense centreColumns() {
        double[] mean = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                mean[j] += data[i * cols + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            mean[j] /= rows;
        }
        double[] out = new double[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = data[i * cols + j] - mean[j];
            }
        }
        return wrap(rows, cols, out);
    }

    @Override
    public String toString() {
        return "Dense[" + rows + "x" + cols + "]";
    }
}
