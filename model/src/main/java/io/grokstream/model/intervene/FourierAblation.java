package io.grokstream.model.intervene;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes Fourier frequencies from functions of residues: the components along cos(2 pi k i / n) and
 * sin(2 pi k i / n), i = 0..n-1, for each frequency k of the set (the Fourier basis of Nanda et al. 2023, Section 4).
 * For 0 < k < n/2 the two vectors are orthogonal to each other, to the constant and to every other frequency's, so
 * removing a set is the orthogonal projection onto what is left: the other frequencies and the constant stay exactly.
 *
 * <p>Two uses: along the classes of a logit vector (one input's logits over the residues c of the answer), and over
 * the p x p input grid of an activation (along x, then along y: every component whose x- or y-frequency is in the
 * set is removed, the terms of cos(w(x + y)) included).
 */
public final class FourierAblation {
    private final int n;
    private final double[][] basis;

    /**
     * @param n           the length of the residue axis (p, or a target's class count)
     * @param frequencies each in [1, (n - 1) / 2]
     * @throws IllegalArgumentException naming a frequency outside that range
     */
    public FourierAblation(int n, int[] frequencies) {
        if (n < 3) {
            throw new IllegalArgumentException("a residue axis of " + n + " has no frequency to remove");
        }
        this.n = n;
        List<double[]> vectors = new ArrayList<>();
        for (int k : frequencies) {
            if (k < 1 || k > maxFrequency(n)) {
                throw new IllegalArgumentException("frequency " + k + " outside [1, " + maxFrequency(n) + "]");
            }
            vectors.add(normalised(i -> Math.cos(2 * Math.PI * k * i / n)));
            vectors.add(normalised(i -> Math.sin(2 * Math.PI * k * i / n)));
        }
        this.basis = vectors.toArray(double[][]::new);
    }

    /** The largest frequency with both a cosine and a sine on an axis of length n. */
    public static int maxFrequency(int n) {
        return (n - 1) / 2;
    }

    /** Removes the frequencies from {@code v[offset + i * stride]}, i = 0..n-1, in place. */
    public void removeInPlace(double[] v, int offset, int stride) {
        for (double[] b : basis) {
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += v[offset + i * stride] * b[i];
            }
            for (int i = 0; i < n; i++) {
                v[offset + i * stride] -= dot * b[i];
            }
        }
    }

    /**
     * Removes the frequencies from an activation over the input grid, in place: {@code grid[(x * n + y) * width + c]}
     * for x, y in [0, n) and channel c; along x, then along y, for every channel.
     */
    public void removeFromGrid(double[] grid, int width) {
        if (grid.length != n * n * width) {
            throw new IllegalArgumentException("grid: need " + n + " x " + n + " x " + width + " values, got " + grid.length);
        }
        for (int y = 0; y < n; y++) {
            for (int c = 0; c < width; c++) {
                removeInPlace(grid, y * width + c, n * width);
            }
        }
        for (int x = 0; x < n; x++) {
            for (int c = 0; c < width; c++) {
                removeInPlace(grid, x * n * width + c, width);
            }
        }
    }

    private double[] normalised(java.util.function.IntToDoubleFunction f) {
        double[] v = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            v[i] = f.applyAsDouble(i);
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            v[i] /= norm;
        }
        return v;
    }
}
