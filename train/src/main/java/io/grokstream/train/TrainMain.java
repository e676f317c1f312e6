package io.grokstream.train;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.trainer.engine.TrainingJobs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code ./grokstream train}: trains one modular-addition experiment without Kafka, on the same engine the workers
 * use ({@link TrainingJobs}), writing what the workers would publish to a directory ({@link DirectoryListener}) and
 * drawing a progress bar on stderr ({@link TrainProgress}).
 */
@Command(name = "grokstream train", mixinStandardHelpOptions = true, version = "grokstream 0.1.0", sortOptions = false,
        exitCodeOnInvalidInput = TrainMain.USAGE, customSynopsis = "grokstream train --out=DIR [OPTIONS]",
        description = {"Trains one modular-addition experiment on this machine without Kafka, on the engine the "
                + "trainer workers use; Nanda et al. (2023)'s model and optimizer unless told otherwise.",
                "Writes DIR/snapshots/step-NNNNNNN.safetensors, DIR/checkpoint.safetensors, DIR/metrics.jsonl, "
                        + "DIR/events.jsonl and DIR/experiment.json; prints a summary (memorised step, grok step, "
                        + "first step at validation accuracy >= 0.99). Ctrl-C cancels the run and waits for its "
                        + "final snapshot and checkpoint.",
                "Exit code: 0 done, 1 the run failed, 64 a usage error."},
        footer = {"%nExample:", "  ./grokstream train --p 113 --frac 0.3 --steps 10000 --grokfast ema --out runs/p113-ema"})
public final class TrainMain implements Callable<Integer> {
    /** The command line itself is wrong (sysexits.h EX_USAGE), as the {@code cli} module's commands answer. */
    static final int USAGE = 64;

    @Spec CommandSpec spec;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the run's files go")
    Path out;
    @Option(names = "--resume", paramLabel = "FILE", description = "continue a run bit-identically from its "
            + "DIR/checkpoint.safetensors")
    Path resume;
    @Option(names = "--id", paramLabel = "ID", description = "the experiment's id (default: the name of DIR)")
    String id;
    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;
    @Mixin TrainOptions options;

    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /** The command with its exit codes, writing to {@code out} and {@code err} (tests pass their own). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TrainMain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) { // a value the task or the model refuses
                commandLine.getErr().println("grokstream train: " + e.getMessage() + " (see --help)");
                return USAGE;
            }
            throw e;
        });
        return cli;
    }

    /** The experiment the command line asks for, on {@code task}. */
    ExperimentSubmitted experiment(TaskDefined task) {
        return options.experiment(id != null ? id : out.getFileName().toString(), task, Instant.now());
    }

    @Override
    public Integer call() throws IOException {
        TaskDefined task = options.task();
        ExperimentSubmitted experiment = experiment(task);
        SnapshotCodec.Snapshot checkpoint = resume == null ? null : SnapshotCodec.decode(Files.readAllBytes(resume));
        Files.createDirectories(out.resolve("snapshots"));
        Files.writeString(out.resolve("experiment.json"),
                EventCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(experiment));
        TrainProgress progress = new TrainProgress(System.err, experiment.budget().maxSteps(), !quiet,
                System.console() != null);
        try (DirectoryListener listener = new DirectoryListener(out, progress)) {
            CancelOnShutdown.run(TrainingJobs.create(experiment, task, checkpoint, listener), listener);
            progress.close();
            spec.commandLine().getOut().println(listener.summary());
            return listener.failed() ? 1 : 0;
        }
    }
}
