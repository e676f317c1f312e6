package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.client.GatewayClient;
import io.grokstream.client.GatewayClient.Next;
import io.grokstream.contracts.ExperimentStatus;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code watch}: follows one experiment live over server-sent events, with a progress bar. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follows GET /api/experiments/ID/stream: a live progress bar (step of budget, steps/s, ETA, "
                + "train/validation loss and accuracy) and a line for each status change, detected phase and "
                + "checkpoint. Reconnects if the stream drops. Ctrl-C stops watching, not the run.",
                "Exit code: 0 completed, 1 failed, 3 cancelled."})
final class WatchCommand implements Callable<Integer> {
    /** How each end of a run ends the command. */
    static final Map<ExperimentStatus, Integer> EXIT = Map.of(ExperimentStatus.COMPLETED, 0, ExperimentStatus.FAILED, 1,
            ExperimentStatus.CANCELLED, 3);
    static final int RECONNECTS = 30;
    /** Characters of a printed progress line: room for the bar, rate, ETA, losses and status (no terminal to ask). */
    static final int BAR_WIDTH = 150;

    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--lines", description = "one line per second instead of a redrawn bar (the default when the "
            + "output is not a terminal)") boolean lines;

    @Override
    public Integer call() throws InterruptedException {
        GatewayClient client = gateway.client();
        JsonNode detail = client.experiment(id); // 401/404 before streaming
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = !lines && System.console() != null;
        out.printf("%s  %s  task %s%n", id, detail.path("name").asText(""), detail.path("taskId").asText(""));
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(Math.max(1, detail.path("maxSteps").asLong()))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).showSpeed()
                .setUpdateIntervalMillis(terminal ? 200 : 1000)
                .setConsumer(terminal ? new ConsoleProgressBarConsumer(System.err) : new DelegatingProgressBarConsumer(out::println, BAR_WIDTH))
                .build()) {
            Follower follower = new Follower(bar, terminal ? new PrintWriter(System.err, true) : out, terminal);
            follower.status(detail);
            for (int attempt = 0; follower.exit == null; attempt++) {
                if (attempt > RECONNECTS) {
                    spec.commandLine().getErr().println("grokstream: the stream dropped " + RECONNECTS + " times; giving up");
                    return GrokstreamCli.UNREACHABLE;
                }
                if (attempt > 0) {
                    Thread.sleep(2000);
                }
                client.stream(id, follower::event);
            }
            return follower.exit;
        }
    }

    /** Folds the stream's events into the bar and the lines above it. */
    static final class Follower {
        private final ProgressBar bar;
        private final PrintWriter lines;
        private final boolean terminal;
        private ExperimentStatus status = ExperimentStatus.SUBMITTED;
        private String losses = "";
        Integer exit;

        Follower(ProgressBar bar, PrintWriter lines, boolean terminal) {
            this.bar = bar;
            this.lines = lines;
            this.terminal = terminal;
        }

        Next event(String name, JsonNode data) {
            switch (name) {
                case "state", "status" -> status(data);
                case "metrics" -> {
                    bar.stepTo(Math.max(bar.getCurrent(), data.path("step").asLong()));
                    losses = String.format(java.util.Locale.ROOT, "loss %s/%s acc %s/%s",
                            Table.num(Json.number(data, "trainLoss")), Table.num(Json.number(data, "validationLoss")),
                            Table.percent(Json.number(data, "trainAccuracy")), Table.percent(Json.number(data, "validationAccuracy")));
                    if (status == ExperimentStatus.SUBMITTED) {
                        status = ExperimentStatus.RUNNING;
                    }
                }
                case "phase" -> say("phase " + data.path("phase").asText() + " at step " + data.path("step").asLong()
                        + (data.hasNonNull("evidence") ? ": " + data.path("evidence").asText() : ""));
                case "checkpoint" -> say("snapshot at step " + data.path("step").asLong() + " (" + data.path("bytes").asLong()
                        + " bytes)");
                default -> {
                    // measures and other events: the dashboard draws them
                }
            }
            bar.setExtraMessage("  " + losses + "  " + status.wire());
            return exit == null ? Next.MORE : Next.STOP;
        }

        void status(JsonNode data) {
            if (data.path("maxSteps").asLong() > 0) {
                bar.maxHint(data.path("maxSteps").asLong());
            }
            bar.stepTo(Math.max(bar.getCurrent(), data.path("step").asLong()));
            ExperimentStatus now = GatewayClient.statusOf(data).orElse(status);
            if (now != status) {
                say("status: " + now.wire() + (data.hasNonNull("grokStep") ? " (grokked at step " + data.path("grokStep").asLong() + ")" : "")
                        + (data.hasNonNull("endReason") ? " (" + data.path("endReason").asText() + ")" : ""));
                status = now;
            }
            exit = EXIT.get(status);
        }

        private void say(String line) {
            lines.print(terminal ? "\r\033[K" : "");
            lines.println(line);
            lines.flush();
        }
    }
}
