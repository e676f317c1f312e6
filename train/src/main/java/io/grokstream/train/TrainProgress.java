package io.grokstream.train;

import io.grokstream.contracts.StepMetrics;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The run's progress on stderr (stdout keeps the summary): a bar of steps done with rate and ETA and the current
 * losses and accuracies, redrawn on a terminal and a line a second elsewhere; messages (the device, anomalies)
 * print on their own line above it. {@code --quiet} turns it all off.
 */
final class TrainProgress implements AutoCloseable {
    /** Characters of a printed progress line when there is no terminal to ask. */
    static final int LINE_WIDTH = 150;

    private final PrintStream err;
    private final long total;
    private final boolean enabled;
    private final boolean terminal;
    private ProgressBar bar;

    TrainProgress(PrintStream err, long total, boolean enabled, boolean terminal) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
        this.terminal = terminal;
    }

    /** Starts the bar at the step the run starts from (a resumed run's rate counts its own steps only). */
    void start(long fromStep) {
        if (!enabled) {
            return;
        }
        bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(Math.max(1, total))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).showSpeed()
                .startsFrom(fromStep, Duration.ZERO)
                .setUpdateIntervalMillis(terminal ? 200 : 1000)
                .setConsumer(terminal ? new ConsoleProgressBarConsumer(err)
                        : new DelegatingProgressBarConsumer(err::println, LINE_WIDTH))
                .build();
    }

    void update(StepMetrics m) {
        if (bar == null) {
            return;
        }
        bar.stepTo(m.step());
        bar.setExtraMessage(String.format(Locale.ROOT, " train %.3g (%.3f) val %.3g (%.3f)", m.trainLoss(),
                m.trainAccuracy(), m.validationLoss(), m.validationAccuracy()));
    }

    void message(String text) {
        if (!enabled) {
            return;
        }
        err.print(terminal ? "\r\033[K" : "");
        err.println(text);
        err.flush();
    }

    /** Draws the bar a last time and ends its line. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
