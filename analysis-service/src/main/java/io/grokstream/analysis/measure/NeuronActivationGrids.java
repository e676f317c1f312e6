package io.grokstream.analysis.measure;

import io.grokstream.analysis.math.Dense;
import io.grokstream.analysis.math.NeuronFrequencies;
import io.grokstream.contracts.Measure;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Activation heatmaps of a few MLP neurons over the (x, y) input grid, the picture of Nanda et al. 2023 (Figure 3
 * and Appendix: a neuron's last-position {@code blocks.0.mlp.hook_post} as a function of x and y is periodic).
 * Reads the activations the analyzer already has, in grid order (row x * p + y); runs no network.
 *
 * <p><b>Which neurons</b>: at most {@link #MAX_NEURONS}. First one per key-frequency cluster (the neuron whose best
 * frequency is that key frequency with the highest explained fraction; clusters taken by that fraction, highest
 * first), then the remaining neurons by explained fraction, highest first; ties by neuron index.
 *
 * <p><b>Size</b>: each grid is p^2 values. Values are rounded to {@link #SIGNIFICANT_DIGITS} significant digits
 * (JSON doubles print as their shortest decimal, so a value costs about 7 bytes instead of about 20), and grids are
 * only published for p <= {@link #MAX_P}: four grids at p = 127 are 64,516 values, about 0.5 MB of JSON at worst,
 * which keeps the whole {@code ProgressMeasured} record under the measures topic's 1 MiB
 * {@code max.message.bytes} (broker default); at p = 113 the record measures about 390 kB with Nanda's config
 * (NeuronActivationGridsTest).
 */
public final class NeuronActivationGrids {
    public static final int MAX_NEURONS = 4;
    public static final int MAX_P = 127;
    public static final int SIGNIFICANT_DIGITS = 4;
    private static final MathContext ROUNDING = new MathContext(SIGNIFICANT_DIGITS);

    private NeuronActivationGrids() {
    }

    /**
     * Puts {@code neuron_activation.<n>} grids of shape [p, p] (row x, column y) into {@code out}; nothing when
     * p > {@link #MAX_P}.
     *
     * @param neurons grid-ordered activations [p * p, d_mlp], row x * p + y
     */
    static void add(Dense neurons, int p, NeuronFrequencies nf, MeasureSink out) {
        if (neurons.rows() != p * p) {
            throw new IllegalArgumentException("neurons must have p^2 = " + p * p + " rows, got " + neurons.rows());
        }
        if (p > MAX_P) {
            return;
        }
        for (int n : select(nf)) {
            double[] grid = new double[p * p];
            for (int cell = 0; cell < grid.length; cell++) {
                grid[cell] = round(neurons.get(cell, n));
            }
            out.grid(Measure.NEURON_ACTIVATION_OF, n, grid, p, p);
        }
    }

    /** The neurons to draw, in the order described in the class comment. */
    static List<Integer> select(NeuronFrequencies nf) {
        double[] fraction = nf.explainedFraction();
        int[] best = nf.bestFrequency();
        Comparator<Integer> byFraction = Comparator.<Integer>comparingDouble(n -> orMinus(fraction[n])).reversed()
                .thenComparingInt(n -> n);
        List<Integer> chosen = new ArrayList<>();
        nf.keyFrequencies().stream()
                .map(k -> IntStream.range(0, fraction.length).filter(n -> best[n] == k).boxed()
                        .min(byFraction).orElse(-1))
                .filter(n -> n >= 0)
                .sorted(byFraction)
                .limit(MAX_NEURONS)
                .forEach(chosen::add);
        IntStream.range(0, fraction.length).boxed().filter(n -> !chosen.contains(n)).sorted(byFraction)
                .limit(MAX_NEURONS - chosen.size()).forEach(chosen::add);
        return chosen;
    }

    /** Rounds to {@link #SIGNIFICANT_DIGITS} significant digits; non-finite values pass through. */
    static double round(double v) {
        if (!Double.isFinite(v) || v == 0) {
            return v;
        }
        // Scale to SIGNIFICANT_DIGITS integer digits, round half away from zero, scale back: a power of ten up to
        // 1e22 is an exact double, so the division returns the double nearest the decimal (which prints short).
        int k = SIGNIFICANT_DIGITS - 1 - (int) Math.floor(Math.log10(Math.abs(v)));
        if (k > 22 || k < -22) {
            return new BigDecimal(v).round(ROUNDING).doubleValue();
        }
        double scale = POWERS_OF_TEN[Math.abs(k)];
        double magnitude = k >= 0 ? Math.floor(Math.abs(v) * scale + 0.5) / scale
                : Math.floor(Math.abs(v) / scale + 0.5) * scale;
        return Math.copySign(magnitude, v);
    }

    private static final double[] POWERS_OF_TEN = IntStream.rangeClosed(0, 22).mapToDouble(i -> Math.pow(10, i)).toArray();

    private static double orMinus(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }
}
