package io.grokstream.analysis.math;

import java.util.List;

/**
 * One target's logits over the full p x p input grid in the 2-D real Fourier basis ({@link FourierBasis} along x
 * and along y): how much of them each frequency holds, its key frequencies, and its restricted and excluded loss.
 *
 * <p>Nanda et al. (2023, Section 5.1) restrict the logits of {@code (x + y) mod p} to the directions
 * {@code cos/sin(2 pi w (x + y) / p)}, which only fit a target that is a function of {@code x + y}. A target of the
 * prime-residue task, {@code (x0 + x1 p) mod q}, is not; so here frequency k's subspace is every 2-D component whose
 * x- and y-frequencies are each 0 or k, except the constant: {@code (0, k)}, {@code (k, 0)} and {@code (k, k)} with
 * their cos and sin, 8 directions. It contains Nanda's two directions (cos(w(x+y)) = cos wx cos wy - sin wx sin wy),
 * the subspaces of different k are orthogonal, and components mixing two non-zero frequencies belong to none.
 * <ul>
 *   <li><b>frequency norms</b>: entry 0 the constant component's norm over the classes, entry k the norm of the
 *       logits' projection on frequency k's subspace;</li>
 *   <li><b>key frequencies</b>: {@link FormingFrequencies}' rule on those norms (3x the uniform share);</li>
 *   <li><b>restricted loss</b>: cross-entropy over every input of the constant plus the key subspaces' part;</li>
 *   <li><b>excluded loss</b>: cross-entropy over the training inputs of the logits less the key subspaces' part.</li>
 * </ul>
 */
public final class GridFourier {
    private final FourierBasis basis;
    private final Dense logits;
    private final int classes;
    /** coefficients[k][i][c]: component i (see {@link #components}) of frequency k's subspace, class c; k = 0 the constant. */
    private final double[][][] coefficients;
    private final double[] frequencyNorms;

    private GridFourier(FourierBasis basis, Dense logits, double[][][] coefficients) {
        this.basis = basis;
        this.logits = logits;
        this.classes = logits.cols();
        this.coefficients = coefficients;
        this.frequencyNorms = new double[coefficients.length];
        for (int k = 0; k < coefficients.length; k++) {
            double s = 0;
            for (double[] component : coefficients[k]) {
                for (double v : component) {
                    s += v * v;
                }
            }
            frequencyNorms[k] = Math.sqrt(s);
        }
    }

    /**
     * @param gridLogits [p * p, classes], row {@code x * p + y} holding input (x, y)'s logits
     * @param products   computes the one large product (the transform along x)
     */
    public static GridFourier of(Dense gridLogits, FourierBasis basis, Products products) {
        int p = basis.p();
        int c = gridLogits.cols();
        if (gridLogits.rows() != p * p) {
            throw new IllegalArgumentException("the grid Fourier transform needs " + p * p + " rows (every (x, y)), got "
                    + gridLogits.rows());
        }
        // Along x: [p, p * c] rows x, columns (y, class); then each needed (a, b) component along y.
        double[] alongX = products.multiply(basis.matrix().toArray(), gridLogits.toArray(), p, p, p * c);
        double[] b = basis.matrix().toArray();
        double[][][] coefficients = new double[basis.frequencies() + 1][][];
        for (int k = 0; k <= basis.frequencies(); k++) {
            int[][] comps = components(k);
            coefficients[k] = new double[comps.length][];
            for (int i = 0; i < comps.length; i++) {
                coefficients[k][i] = alongY(alongX, b, comps[i][0], comps[i][1], p, c);
            }
        }
        return new GridFourier(basis, gridLogits, coefficients);
    }

    /** The (x-row, y-row) basis components of frequency k's subspace; k = 0 the constant alone. */
    static int[][] components(int k) {
        if (k == 0) {
            return new int[][]{{FourierBasis.CONSTANT, FourierBasis.CONSTANT}};
        }
        int cos = FourierBasis.cosRow(k);
        int sin = FourierBasis.sinRow(k);
        int zero = FourierBasis.CONSTANT;
        return new int[][]{{zero, cos}, {zero, sin}, {cos, zero}, {sin, zero}, {cos, cos}, {cos, sin}, {sin, cos},
                {sin, sin}};
    }

    private static double[] alongY(double[] alongX, double[] b, int a, int row, int p, int c) {
        double[] out = new double[c];
        for (int y = 0; y < p; y++) {
            double by = b[row * p + y];
            int base = (a * p + y) * c;
            for (int j = 0; j < c; j++) {
                out[j] += by * alongX[base + j];
            }
        }
        return out;
    }

    /** Entry 0 the constant, entry k = 1..(p-1)/2 frequency k's subspace (norm over every class). */
    public double[] frequencyNorms() {
        return frequencyNorms.clone();
    }

    /** {@link FormingFrequencies}' rule on {@link #frequencyNorms()}, ascending. */
    public List<Integer> keyFrequencies() {
        return FormingFrequencies.of(frequencyNorms);
    }

    /** Restricted and excluded loss with the given key frequencies. */
    public record Losses(double restricted, double excluded) {
    }

    /**
     * @param labels     the class of each grid cell (row {@code x * p + y})
     * @param trainCells the training cells (for the excluded loss)
     * @throws IllegalArgumentException for a frequency outside 1..(p-1)/2
     */
    public Losses losses(List<Integer> frequencies, int[] labels, int[] trainCells) {
        int p = basis.p();
        if (labels.length != p * p) {
            throw new IllegalArgumentException("need one label per grid cell: " + labels.length + " labels, "
                    + p * p + " cells");
        }
        for (int w : frequencies) {
            if (w < 1 || w > basis.frequencies()) {
                throw new IllegalArgumentException("key frequency " + w + " outside 1.." + basis.frequencies());
            }
        }
        // The constant component is the same in every cell (B[0, x] B[0, y] = 1/p); with no key frequencies the
        // restricted logits are that one row everywhere and the excluded logits the logits themselves.
        double[] b = basis.matrix().toArray();
        double[] constant = new double[classes];
        for (int j = 0; j < classes; j++) {
            constant[j] = b[0] * b[0] * coefficients[0][0][j];
        }
        double[] keyPart = frequencies.isEmpty() ? null : part(frequencies);
        double[] raw = logits.raw();
        double[] row = new double[classes];
        double constantLse = CrossEntropy.logSumExp(constant, 0, classes);
        double r = 0;
        for (int cell = 0; cell < p * p; cell++) {
            int label = label(labels, cell);
            if (keyPart == null) {
                r += constantLse - constant[label];
                continue;
            }
            for (int j = 0, o = cell * classes; j < classes; j++) {
                row[j] = constant[j] + keyPart[o + j];
            }
            r += CrossEntropy.logSumExp(row, 0, classes) - row[label];
        }
        r /= p * p;
        if (trainCells.length == 0) {
            return new Losses(r, 0);
        }
        if (keyPart == null) {
            return new Losses(r, CrossEntropy.mean(logits, labels, trainCells));
        }
        double e = 0;
        for (int cell : trainCells) {
            for (int j = 0, o = cell * classes; j < classes; j++) {
                row[j] = raw[o + j] - keyPart[o + j];
            }
            e += CrossEntropy.logSumExp(row, 0, classes) - row[label(labels, cell)];
        }
        return new Losses(r, e / trainCells.length);
    }

    private int label(int[] labels, int cell) {
        int label = labels[cell];
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " of cell " + cell + " outside 0.." + (classes - 1));
        }
        return label;
    }

    /** The logits' part in the subspaces of {@code frequencies} (0: the constant), [p * p, classes] row-major. */
    private double[] part(List<Integer> frequencies) {
        int p = basis.p();
        double[] b = basis.matrix().toArray();
        double[] out = new double[p * p * classes];
        for (int k : frequencies) {
            int[][] comps = components(k);
            for (int i = 0; i < comps.length; i++) {
                double[] coef = coefficients[k][i];
                int a = comps[i][0];
                int row = comps[i][1];
                for (int x = 0; x < p; x++) {
                    double bx = b[a * p + x];
                    for (int y = 0; y < p; y++) {
                        double w = bx * b[row * p + y];
                        int base = (x * p + y) * classes;
                        for (int j = 0; j < classes; j++) {
                            out[base + j] += w * coef[j];
                        }
                    }
                }
            }
        }
        return out;
    }
}
