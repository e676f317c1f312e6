package io.grokstream.chart;

import java.util.Arrays;
import java.util.List;

/** Counts of values in equal bins, drawn as an {@link SvgChart} of bars (latencies, say). */
public final class Histogram {
    private Histogram() {
    }

    /**
     * {@code values} counted in {@code bins} equal bins from 0 to {@code atLeast} rounded up to a round number (so
     * the bin edges are round too); the values at or above it are counted in one more bar, a second series.
     */
    public static SvgChart of(String title, String xLabel, String yLabel, List<Double> values, int bins, double atLeast) {
        if (bins < 1 || !(atLeast > 0)) {
            throw new IllegalArgumentException("a histogram needs bins >= 1 and a positive upper edge, got "
                    + bins + " and " + atLeast);
        }
        double max = roundUp(atLeast);
        double width = max / bins;
        double[] counts = new double[bins + 1];
        for (double v : values) {
            counts[v >= max ? bins : (int) (Math.max(0, v) / max * bins)]++;
        }
        double top = 1;
        double[] centres = new double[bins];
        for (int i = 0; i <= bins; i++) {
            top = Math.max(top, counts[i]);
            if (i < bins) {
                centres[i] = (i + 0.5) * width;
            }
        }
        String edge = Svg.label(max);
        return new SvgChart(title, xLabel, yLabel).bars(width).yRange(0, top)
                .line("below " + edge, centres, Arrays.copyOf(counts, bins))
                .line(edge + " or more", new double[]{(bins + 0.5) * width}, new double[]{counts[bins]});
    }

    /** {@code v} rounded up to a multiple of a round step (1, 2 or 5 times a power of ten) about a fifth of it. */
    static double roundUp(double v) {
        double step = Svg.niceStep(v / 5);
        return Math.ceil(v / step - 1e-9) * step;
    }
}
