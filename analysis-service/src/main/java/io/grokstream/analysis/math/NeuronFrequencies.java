package io.grokstream.analysis.math;

import io.grokstream.contracts.NeuronKeyRule;

import java.util.ArrayList;
import java.util.List;

/**
 * Which frequency each MLP neuron uses, the key frequencies, and the neuron periodicity count (omega).
 *
 * <p><b>Key frequencies</b> (Nanda et al. 2023, Section 4.2 and Appendix C, "neuron clusters"): the neuron
 * activations at the target position over all p^2 inputs (x, y) are centred per neuron, and each neuron's p x p
 * grid A_n is transformed in both inputs, {@code F_n = B A_n B^T} with the {@link FourierBasis} B. Because B is
 * orthonormal, {@code ||F_n||^2} is the neuron's variance (times p^2), and the share of it in the
 * {const, cos k, sin k} x {const, cos k, sin k} block is the fraction explained by frequency k. A neuron belongs to
 * the cluster of its best frequency when that fraction exceeds {@link Rule#explainedThreshold()} (0.85 in the
 * paper). <i>Key-frequency rule (grokstream's, the paper reads clusters off a plot)</i>: a frequency is key when
 * its cluster holds at least {@code max(minClusterNeurons, ceil(minClusterShare * d_mlp))} neurons.
 *
 * <p><b>Omega</b> (Syrkis 2025, "miiii", the Omega-spike of active frequencies in the neurons): from the same 2-D
 * spectrum, neuron n's magnitude at frequency k is the norm of its {const, cos k, sin k}^2 block; k is
 * <i>active</i> in the neuron when that magnitude exceeds mean + 2 std of the neuron's (p-1)/2 frequency
 * magnitudes. Omega is the number of frequencies active in at least {@link Rule#omegaNeuronShare()} of
 * the neurons; tracked over training it spikes around generalisation and falls during cleanup.
 *
 * <p>The transform over x is one matrix product ({@code p^3 d_mlp} multiply-adds); over y only the components
 * the blocks need are formed ({@code 4 p^2 d_mlp}), and each neuron's total energy comes from Parseval.
 *
 * @param bestFrequency     per neuron the frequency explaining most variance (0: a dead, constant neuron)
 * @param explainedFraction per neuron the fraction of variance its best frequency explains
 * @param clusterSizes      index k: neurons above the threshold whose best frequency is k (index 0 unused)
 * @param keyFrequencies    ascending
 * @param activeNeuronCounts index k: neurons in which frequency k is active (omega's raw data)
 * @param omega             frequencies active in at least the rule's share of neurons
 * @param meanActivePerNeuron mean number of active frequencies per live neuron
 */
public record NeuronFrequencies(int[] bestFrequency, double[] explainedFraction, int[] clusterSizes,
                                List<Integer> keyFrequencies, int[] activeNeuronCounts, int omega,
                                double meanActivePerNeuron) {

    /** The thresholds; {@link #NANDA} is the default. */
    public record Rule(double explainedThreshold, double minClusterShare, int minClusterNeurons,
                       double omegaNeuronShare) {
        public Rule {
            if (!(explainedThreshold > 0 && explainedThreshold < 1)) {
                throw new IllegalArgumentException("explainedThreshold must be in (0, 1), got " + explainedThreshold);
            }
            if (!(minClusterShare >= 0 && minClusterShare < 1)) {
                throw new IllegalArgumentException("minClusterShare must be in [0, 1), got " + minClusterShare);
            }
            if (minClusterNeurons < 1) {
                throw new IllegalArgumentException("minClusterNeurons must be at least 1, got " + minClusterNeurons);
            }
            if (!(omegaNeuronShare > 0 && omegaNeuronShare <= 1)) {
                throw new IllegalArgumentException("omegaNeuronShare must be in (0, 1], got " + omegaNeuronShare);
            }
        }
    }

    public static final Rule NANDA = new Rule(NeuronKeyRule.EXPLAINED, NeuronKeyRule.MIN_CLUSTER_SHARE,
            NeuronKeyRule.MIN_CLUSTER_NEURONS, 0.05);

    public NeuronFrequencies {
        bestFrequency = bestFrequency.clone();
        explainedFraction = explainedFraction.clone();
        clusterSizes = clusterSizes.clone();
        keyFrequencies = List.copyOf(keyFrequencies);
        activeNeuronCounts = activeNeuronCounts.clone();
    }

    @Override
    public int[] bestFrequency() {
        return bestFrequency.clone();
    }

    @Override
    public double[] explainedFraction() {
        return explainedFraction.clone();
    }

    @Override
    public int[] clusterSizes() {
        return clusterSizes.clone();
    }

    @Override
    public int[] activeNeuronCounts() {
        return activeNeuronCounts.clone();
    }

    /** Neurons above the threshold, as a share of all neurons. */
    public double explainedNeuronShare(Rule rule) {
        int n = 0;
        for (double f : explainedFraction) {
            if (f > rule.explainedThreshold()) {
                n++;
            }
        }
        return explainedFraction.length == 0 ? 0 : (double) n / explainedFraction.length;
    }

    /**
     * @param activations [p^2, d_mlp], row {@code x * p + y} holds the neurons for input (x, y)
     */
    public static NeuronFrequencies analyse(Dense activations, FourierBasis basis, Rule rule) {
        return analyse(activations, basis, rule, Products.JAVA);
    }

    /** The same, with the big transform over x computed by {@code products}. */
    public static NeuronFrequencies analyse(Dense activations, FourierBasis basis, Rule rule, Products products) {
        int p = basis.p();
        int n = activations.cols();
        if (activations.rows() != p * p) {
            throw new IllegalArgumentException("neuron activations need p^2 = " + p * p + " rows, got "
                    + activations.rows());
        }
        int freqs = basis.frequencies();
        double[] b = basis.matrix().raw();
        // Transform over x: rows of A grouped by x form a [p, p*n] matrix (column y*n + j): g[a][y][j].
        // Centring only removes the (const, const) component, so the raw grid is transformed and that component
        // left out: the block sums below skip it, and the total subtracts it.
        // float32 activations (the forward pass's on a float32 engine) stay float32 through the product.
        float[] af = activations.floatsOrNull();
        boolean f32 = af != null && products.float32();
        float[] gF = f32 ? products.multiply(Products.narrow(b), af, p, p, p * n) : null;
        double[] g = f32 ? null : products.multiply(b, activations.raw(), p, p, p * n);
        double[] total = new double[n];
        double[][] block = new double[n][freqs + 1];
        // Neurons are independent: blocks of them in parallel.
        int width = 64;
        java.util.stream.IntStream.range(0, (n + width - 1) / width).parallel()
                .forEach(c -> energies(g, gF, b, p, n, c * width, Math.min(n, (c + 1) * width), total, block));

        int[] best = new int[n];
        double[] fraction = new double[n];
        int[] clusters = new int[freqs + 1];
        int[] active = new int[freqs + 1];
        long activeSum = 0;
        int live = 0;
        for (int j = 0; j < n; j++) {
            if (total[j] <= 1e-18) {
                continue;
            }
            live++;
            int bk = 1;
            for (int k = 2; k <= freqs; k++) {
                if (block[j][k] > block[j][bk]) {
                    bk = k;
                }
            }
            best[j] = bk;
            fraction[j] = block[j][bk] / total[j];
            if (fraction[j] > rule.explainedThreshold()) {
                clusters[bk]++;
            }
            activeSum += markActive(block[j], active);
        }
        int minCluster = Math.max(rule.minClusterNeurons(), (int) Math.ceil(rule.minClusterShare() * n));
        List<Integer> key = new ArrayList<>();
        int omega = 0;
        for (int k = 1; k <= freqs; k++) {
            if (clusters[k] >= minCluster) {
                key.add(k);
            }
            if (live > 0 && active[k] >= rule.omegaNeuronShare() * live) {
                omega++;
            }
        }
        return new NeuronFrequencies(best, fraction, clusters, key, active, omega,
                live == 0 ? 0 : (double) activeSum / live);
    }

    /**
     * For neurons [j0, j1): total centred energy (Parseval over y, minus the (const, const) component that centring
     * removes) and the energy of each frequency's {const, cos k, sin k}^2 block, forming only the y components the
     * blocks need: all of them for the constant x row, {0, cos k, sin k} for the rows of frequency k. The transform
     * over x is {@code g}, or {@code gF} when it was computed in float32 (then g is null).
     */
    private static void energies(double[] g, float[] gF, double[] b, int p, int n, int j0, int j1, double[] total,
                                 double[][] block) {
        int w = j1 - j0;
        double[] sq = new double[w];
        double[] f = new double[w];
        double[] slab = new double[p * w];               // g[a][y][j0..j1) copied contiguous per row a
        for (int a = 0; a < p; a++) {
            for (int y = 0; y < p; y++) {
                int from = (a * p + y) * n + j0;
                if (gF == null) {
                    System.arraycopy(g, from, slab, y * w, w);
                } else {
                    for (int jj = 0, to = y * w; jj < w; jj++) {
                        slab[to + jj] = gF[from + jj];
                    }
                }
            }
            for (int y = 0; y < p; y++) {
                for (int jj = 0, yo = y * w; jj < w; jj++) {
                    double v = slab[yo + jj];
                    sq[jj] += v * v;                      // Parseval over y: the neuron's whole energy
                }
            }
            if (a == 0) {
                // F[const, const] = sum_y B[0, y] G[0, y], the component centring removes.
                java.util.Arrays.fill(f, 0);
                for (int y = 0; y < p; y++) {
                    double by = b[y];
                    for (int jj = 0; jj < w; jj++) {
                        f[jj] += by * slab[y * w + jj];
                    }
                }
                for (int jj = 0; jj < w; jj++) {
                    sq[jj] -= f[jj] * f[jj];
                }
            }
            // One pass over the row per component: fusing the components into one pass measured slower (the JIT
            // does not vectorise a loop that stores into several arrays that might alias).
            int fa = FourierBasis.frequencyOf(a);
            int count = fa == 0 ? p - 1 : 3;
            for (int ci = 0; ci < count; ci++) {
                int col = fa == 0 ? 1 + ci : ci == 0 ? FourierBasis.CONSTANT : ci == 1 ? FourierBasis.cosRow(fa)
                        : FourierBasis.sinRow(fa);
                java.util.Arrays.fill(f, 0);
                for (int y = 0; y < p; y++) {
                    double by = b[col * p + y];
                    int yo = y * w;
                    for (int jj = 0; jj < w; jj++) {
                        f[jj] += by * slab[yo + jj];
                    }
                }
                int k = fa == 0 ? FourierBasis.frequencyOf(col) : fa;
                for (int jj = 0; jj < w; jj++) {
                    block[j0 + jj][k] += f[jj] * f[jj];
                }
            }
        }
        System.arraycopy(sq, 0, total, j0, w);
    }

    /** Marks the frequencies whose magnitude exceeds mean + 2 std (Syrkis 2025); returns how many. */
    private static int markActive(double[] energy, int[] active) {
        int freqs = energy.length - 1;
        double[] mag = new double[freqs];
        double mean = 0;
        for (int k = 1; k <= freqs; k++) {
            mag[k - 1] = Math.sqrt(energy[k]);
            mean += mag[k - 1];
        }
        mean /= freqs;
        double var = 0;
        for (double m : mag) {
            var += (m - mean) * (m - mean);
        }
        double threshold = mean + 2 * Math.sqrt(var / freqs);
        int count = 0;
        for (int k = 1; k <= freqs; k++) {
            if (mag[k - 1] > threshold) {
                active[k]++;
                count++;
            }
        }
        return count;
    }
}
