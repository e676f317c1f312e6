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
    /** The values; for a float32 matrix ({@link #ofFloats}) widened from {@link #floats} when first read as doubles. */
    private volatile double[] data;
    /** The float32 values of a matrix made by {@link #ofFloats}, else null. */
    private final float[] floats;

    private Dense(int rows, int cols, double[] data, boolean copy) {
        this(rows, cols, copy ? data.clone() : data, null, data.length);
    }

    private Dense(int rows, int cols, double[] data, float[] floats, int length) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix dimensions must be non-negative, got " + rows + "x" + cols);
        }
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.floats = floats;
    }

    /**
     * A float32 matrix over {@code values} itself (handed over like {@link #adopt}): the large activations that a
     * float32 engine computed stay float32 on their way to the next float32 product (no conversion either way); read
     * as doubles, they are widened once, exactly.
     */
    public static Dense ofFloats(int rows, int cols, float[] values) {
        return new Dense(rows, cols, null, values, values.length);
    }

    /** Whether the values are float32 ({@link #ofFloats}). */
    public boolean float32() {
        return floats != null;
    }

    /** The float32 values themselves (not a copy: read-only), or null for a matrix of doubles. */
    float[] floatsOrNull() {
        return floats;
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
        double[] d = data;
        return d != null ? d[r * cols + c] : floats[r * cols + c];
    }

    /** A copy of the values, row-major. */
    public double[] toArray() {
        return raw().clone();
    }

    /** Read-only view for the math package's own loops. */
    double[] raw() {
        double[] d = data;
        if (d == null) {
            d = new double[floats.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = floats[i];
            }
            data = d;    // a race only widens twice: the same values
        }
        return d;
    }

    /** Copies row {@code r} into {@code into} at {@code offset}. */
    public void copyRow(int r, double[] into, int offset) {
        double[] d = data;
        if (d == null) {
            for (int j = 0, from = r * cols; j < cols; j++) {
                into[offset + j] = floats[from + j];
            }
            return;
        }
        System.arraycopy(d, r * cols, into, offset, cols);
    }

    /** Copies row {@code r} into {@code into} at {@code offset} as float32 (rounded, for a matrix of doubles). */
    public void copyRow(int r, float[] into, int offset) {
        if (floats != null) {
            System.arraycopy(floats, r * cols, into, offset, cols);
            return;
        }
        double[] d = data;
        for (int j = 0, from = r * cols; j < cols; j++) {
            into[offset + j] = (float) d[from + j];
        }
    }

    public double[] row(int r) {
        return Arrays.copyOfRange(raw(), r * cols, (r + 1) * cols);
    }

    /** Rows {@code [from, to)}. */
    public Dense rowRange(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") outside 0.." + rows);
        }
        return wrap(to - from, cols, Arrays.copyOfRange(raw(), from * cols, to * cols));
    }

    public Dense transpose() {
        double[] data = raw();
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
        return floats != null ? new Dense(newRows, newCols, null, floats, floats.length)
                : new Dense(newRows, newCols, data, false);
    }

    /** {@code this * other}. */
    public Dense times(Dense other) {
        if (cols != other.rows) {
            throw new IllegalArgumentException("cannot multiply " + rows + "x" + cols + " by " + other.rows + "x" + other.cols);
        }
        double[] out = new double[rows * other.cols];
        multiplyInto(raw(), other.raw(), out, rows, cols, other.cols);
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
        for (double v : raw()) {
            s += v * v;
        }
        return s;
    }

    /** Euclidean norm of each row. */
    public double[] rowNorms() {
        double[] data = raw();
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
        double[] data = raw();
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
