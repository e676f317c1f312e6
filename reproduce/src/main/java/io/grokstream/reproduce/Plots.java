package io.grokstream.reproduce;

import io.grokstream.chart.SvgChart;

import java.util.Locale;

/** The figures several studies draw: curves over training steps with the detected phases as dashed lines. */
public final class Plots {
    private static final int MAX_POINTS = 1500;

    private Plots() {
    }

    /** Adds {@code s} as a line labelled {@code label}, at most {@value #MAX_POINTS} points (nothing when empty). */
    public static SvgChart add(SvgChart chart, String label, Series s) {
        if (s.isEmpty()) {
            return chart;
        }
        Series d = s.downsample(MAX_POINTS);
        return chart.line(label, java.util.Arrays.stream(d.steps()).asDoubleStream().toArray(), d.values());
    }

    public static SvgChart phases(SvgChart chart, RunData run) {
        for (RunData.Phase p : run.phases()) {
            if (!"memorisation".equals(p.name())) {
                chart.marker(p.step(), p.name().replace('_', ' ') + " " + p.step());
            }
        }
        return chart;
    }

    /** Train and validation loss on a log axis (Nanda et al. Fig. 2 style), phases marked. */
    public static SvgChart losses(RunData run, String title) {
        SvgChart chart = new SvgChart(title, "step", "cross-entropy loss (log)").logY();
        add(chart, "train loss", run.metric("trainLoss"));
        add(chart, "validation loss", run.metric("validationLoss"));
        return phases(chart, run);
    }

    public static SvgChart accuracies(RunData run, String title) {
        SvgChart chart = new SvgChart(title, "step", "accuracy").yRange(0, 1);
        add(chart, "train accuracy", run.metric("trainAccuracy"));
        add(chart, "validation accuracy", run.metric("validationAccuracy"));
        return phases(chart, run);
    }

    /** A step count with thousands separators, or "never" when absent. */
    public static String step(java.util.OptionalLong s) {
        return s.isPresent() ? String.format(Locale.ROOT, "%,d", s.getAsLong()) : "never";
    }

    public static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
