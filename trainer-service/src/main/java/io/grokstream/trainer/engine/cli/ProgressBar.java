package io.grokstream.trainer.engine.cli;

import io.grokstream.contracts.StepMetrics;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, redrawn at every metrics event: steps done, rate, ETA and the current losses
 * and accuracies. Messages (anomalies) print on their own line above it.
 */
final class ProgressBar {

    private static final int WIDTH = 28;

    private final PrintStream err;
    private final long total;
    private final boolean enabled;
    private long startStep;
    private long startNanos = System.nanoTime();
    private String line = "";

    ProgressBar(PrintStream err, long total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    void start(long fromStep) {
        startStep = fromStep;
        startNanos = System.nanoTime();
    }

    void update(StepMetrics m) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        long done = m.step() - startStep;
        double rate = secs > 0 ? done / secs : 0;
        double eta = rate > 0 ? (total - m.step()) / rate : Double.NaN;
        int filled = (int) Math.min(WIDTH, Math.round(WIDTH * (double) m.step() / total));
        line = String.format("[%s%s] %d/%d %3.0f%% %.1f it/s ETA %s | train %.3g (%.3f) val %.3g (%.3f)",
                "#".repeat(filled), ".".repeat(WIDTH - filled), m.step(), total, 100.0 * m.step() / total, rate,
                duration(eta), m.trainLoss(), m.trainAccuracy(), m.validationLoss(), m.validationAccuracy());
        draw();
    }

    void message(String text) {
        if (!enabled) {
            return;
        }
        err.print("\r\033[K" + text + "\n");
        draw();
    }

    void finish() {
        if (enabled && !line.isEmpty()) {
            err.println();
        }
    }

    private void draw() {
        if (enabled) {
            err.print("\r\033[K" + line);
            err.flush();
        }
    }

    static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "--";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
