package io.grokstream.bench.forecast;

import io.grokstream.analysis.forward.JavaForward;
import io.grokstream.analysis.math.NeuronFrequencies;
import io.grokstream.analysis.math.Products;
import io.grokstream.analysis.measure.Measures;
import io.grokstream.analysis.measure.SnapshotAnalyzer;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.model.ModelConfig;
import io.grokstream.testkit.ModularAdditionTask;
import io.grokstream.trainer.engine.TrainingJobs;
import io.grokstream.trainer.engine.TrainingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./grokstream bench forecast-record}: trains the recorded runs of {@link RecordedRuns#PLAN} on the trainer's
 * engine (no Kafka), measures every snapshot with the analysis service's measure suite ({@link SnapshotAnalyzer}),
 * and writes one CSV row per snapshot ({@link RecordedRuns#COLUMNS}): the data {@link ForecastEvaluation} replays
 * through the forecaster. The grokking step of a run is the first metrics step (every 10 steps) whose validation
 * accuracy reaches {@link GrokCriterion#STANDARD}'s threshold, blank when the run did not grok within its budget.
 */
@Command(name = "grokstream bench forecast-record", mixinStandardHelpOptions = true, version = "grokstream 0.1.0",
        description = {"Trains the recorded runs of the forecast evaluation (modular addition, p = 23..53, seeds, "
                + "weight decays, GrokFast), measures each snapshot with the analysis suite, writes the per-snapshot "
                + "scalars as CSV."})
public final class ForecastRecord implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the CSV to write")
    Path out;
    @Option(names = "--only", paramLabel = "NAME", description = "record only the runs whose name contains NAME")
    String only;
    @Option(names = "--from", paramLabel = "N", description = "skip the plan's first N runs (a recording resumed)")
    int from;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ForecastRecord()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        SnapshotAnalyzer analyzer = new SnapshotAnalyzer(new JavaForward(Products.JAVA), NeuronFrequencies.NANDA,
                Products.JAVA);
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", RecordedRuns.COLUMNS));
        for (RecordedRuns.Spec spec : RecordedRuns.PLAN.subList(from, RecordedRuns.PLAN.size())) {
            if (only != null && !spec.name().contains(only)) {
                continue;
            }
            long t0 = System.nanoTime();
            Recorder r = record(spec, analyzer);
            for (String row : r.rows) {
                lines.add(spec.csvPrefix() + "," + (r.grokStep == null ? "" : r.grokStep) + "," + row);
            }
            System.err.printf("%s: %d snapshots, grokked at %s, %.0f s%n", spec.name(), r.rows.size(),
                    r.grokStep == null ? "-" : r.grokStep, (System.nanoTime() - t0) / 1e9);
            Files.write(out, lines); // after each run: a stopped recording keeps what it has
        }
        return 0;
    }

    private static Recorder record(RecordedRuns.Spec spec, SnapshotAnalyzer analyzer) {
        TaskDefined task = ModularAdditionTask.of(spec.p(), spec.frac(), spec.seed());
        ModelConfig model = ModelConfig.nanda(spec.p());
        OptimizerConfig nanda = NandaPreset.optimizer();
        OptimizerConfig opt = new OptimizerConfig(nanda.lr(), spec.weightDecay(), nanda.beta1(), nanda.beta2(),
                nanda.eps(), nanda.warmupSteps(), nanda.batchSize());
        GrokFastConfig filter = "ema".equals(spec.grokfast()) ? GrokFastConfig.ema(0.98, 2.0) : GrokFastConfig.none();
        ExperimentSubmitted e = new ExperimentSubmitted(spec.name(), "bench", spec.name(), task.taskId(),
                task.sha256(), model, opt, filter, new TrainingBudget(spec.budget(), null), spec.seed(),
                new Cadence(10, spec.snapshotEvery(), spec.snapshotEvery(), 0, Integer.MAX_VALUE),
                false, null, null, Instant.now());
        Recorder r = new Recorder(model, task, analyzer);
        TrainingJobs.create(e, task, null, r).run();
        if (r.failure != null) {
            throw new IllegalStateException(spec.name() + " failed: " + r.failure.reason());
        }
        return r;
    }

    /** Measures each snapshot on the training thread (the run waits: the recording is offline). */
    private static final class Recorder implements TrainingListener {
        final List<String> rows = new ArrayList<>();
        final ModelConfig model;
        final TaskDefined task;
        final SnapshotAnalyzer analyzer;
        Long grokStep;
        TrainingFailed failure;

        Recorder(ModelConfig model, TaskDefined task, SnapshotAnalyzer analyzer) {
            this.model = model;
            this.task = task;
            this.analyzer = analyzer;
        }

        @Override
        public void started(String device, long resumedFromStep) {
        }

        @Override
        public void metrics(StepMetrics m) {
            if (grokStep == null && GrokCriterion.STANDARD.grokked(m.validationAccuracy())) {
                grokStep = m.step();
            }
        }

        @Override
        public void snapshot(SnapshotCodec.Snapshot s) {
            Measures m = analyzer.analyse(model, s.tensors(), task);
            rows.add(RecordedRuns.row(s.step(), m.scalars()));
        }

        @Override
        public void checkpoint(SnapshotCodec.Snapshot state) {
        }

        @Override
        public void anomaly(TrainingAnomaly anomaly) {
        }

        @Override
        public void completed(TrainingCompleted completed) {
        }

        @Override
        public void failed(TrainingFailed failed) {
            this.failure = failed;
        }
    }
}
