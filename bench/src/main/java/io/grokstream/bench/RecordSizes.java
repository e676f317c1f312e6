package io.grokstream.bench;

import io.grokstream.analysis.forward.JavaForward;
import io.grokstream.analysis.forward.OrtProducts;
import io.grokstream.analysis.math.NeuronFrequencies;
import io.grokstream.analysis.math.Products;
import io.grokstream.analysis.measure.Measures;
import io.grokstream.analysis.measure.SnapshotAnalyzer;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;
import io.grokstream.testkit.ModularAdditionTask;
import io.grokstream.testkit.PlantedWeights;
import io.grokstream.trainer.engine.TrainingJobs;
import io.grokstream.trainer.engine.TrainingListener;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code ./grokstream bench sizes}: the bytes each kind of record costs the broker, the capacity plan's byte inputs.
 * Trains Nanda's p = 113 experiment on the trainer's engine for a few hundred steps and takes its real records: the
 * ExperimentSubmitted, the TrainingStarted, StepMetrics and TrainingCompleted events, the last snapshot and the
 * checkpoint, each encoded by the platform's own codecs with its CloudEvents headers (EventCodec, SnapshotCodec), and
 * the ProgressMeasured the analysis service's measure suite makes of that snapshot and of a grokked model (testkit's
 * planted weights). Each is measured as the broker stores it: a zstd-compressed v2 record batch of that one record
 * (the producers' compression; an experiment's records are too far apart to share a batch).
 */
@Command(name = "grokstream bench-sizes", mixinStandardHelpOptions = true, version = "grokstream 0.1.0",
        sortOptions = false, exitCodeOnInvalidInput = PlatformBench.USAGE,
        description = {"Bytes on the broker of each record kind of a real p = 113 run (the capacity plan's inputs): "
                + "trains Nanda's experiment on the trainer's engine and measures its records, and the measures of "
                + "its last snapshot and of a grokked model, as zstd record batches."})
public final class RecordSizes implements Callable<Integer> {
    @Option(names = "--steps", paramLabel = "N", description = "steps to train (default ${DEFAULT-VALUE}; ~0.1 s each "
            + "on 2 cores)")
    int steps = 300;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RecordSizes()).execute(args));
    }

    @Override
    public Integer call() {
        if (steps < 10) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--steps must be >= 10, got " + steps);
        }
        TaskDefined task = ModularAdditionTask.of(NandaPreset.P, NandaPreset.TRAIN_FRACTION, NandaPreset.SPLIT_SEED);
        ModelConfig model = NandaPreset.model();
        String id = UUID.randomUUID().toString();
        ExperimentSubmitted e = new ExperimentSubmitted(id, "bench", "bench-sizes " + id, task.taskId(), task.sha256(),
                model, NandaPreset.optimizer(), GrokFastConfig.none(), new TrainingBudget(steps, null), 0,
                new Cadence(Cadence.defaults().metricsEvery(), steps, steps, 0, steps), false, null, null, Instant.now());
        Last last = new Last(id, steps);
        System.err.printf(Locale.ROOT, "sizes: training %d steps of Nanda's p=%d model on the trainer's engine%n",
                steps, NandaPreset.P);
        TrainingJobs.create(e, task, null, last).run();
        Products products = OrtProducts.create(Runtime.getRuntime().availableProcessors());
        SnapshotAnalyzer analyzer = new SnapshotAnalyzer(new JavaForward(products), NeuronFrequencies.NANDA, products);
        Map<String, Tensor> grokked = PlantedWeights.of(model, NandaPreset.P, new int[]{14, 35, 41}, 3);

        System.out.printf(Locale.ROOT, "%-44s %12s %12s %7s%n", "record (p = 113, Nanda's model)", "value bytes",
                "on broker", "ratio");
        row("ExperimentSubmitted  " + Topics.EXPERIMENTS, EventCodec.toRecord(e, "gateway"));
        row("TrainingStarted      " + Topics.TRAINING, EventCodec.toRecord(last.started, "trainer"));
        row("StepMetrics          " + Topics.TRAINING, EventCodec.toRecord(last.metrics, "trainer"));
        row("TrainingCompleted    " + Topics.TRAINING, EventCodec.toRecord(last.completed, "trainer"));
        row("snapshot             " + Topics.SNAPSHOTS, SnapshotCodec.toRecord(Topics.SNAPSHOTS,
                EventType.SNAPSHOT_TAKEN, last.snapshot, "trainer"));
        row("checkpoint           " + Topics.CHECKPOINTS, SnapshotCodec.toRecord(Topics.CHECKPOINTS,
                EventType.CHECKPOINT_SAVED, last.checkpoint, "trainer"));
        row("ProgressMeasured     (step " + steps + " weights)", EventCodec.toRecord(
                measured(analyzer, model, last.snapshot.tensors(), task, id, steps), "analysis"));
        row("ProgressMeasured     (grokked weights)", EventCodec.toRecord(
                measured(analyzer, model, grokked, task, id, steps), "analysis"));
        System.out.printf(Locale.ROOT, "(on broker: one zstd v2 record batch of the record, key and headers included: "
                + "what the producer sends, replicas copy and consumers fetch; trained %d steps at %.1f ms/step)%n",
                steps, last.stepMillis);
        return 0;
    }

    private static GrokEvent measured(SnapshotAnalyzer analyzer, ModelConfig model, Map<String, Tensor> weights,
                                      TaskDefined task, String id, long step) {
        long t0 = System.nanoTime();
        Measures m = analyzer.analyse(model, weights, task);
        double ms = (System.nanoTime() - t0) / 1e6;
        return new ProgressMeasured(id, step, "1", m.scalars(), m.spectra(), m.keyFrequencies(), m.grids(),
                m.gridShapes(), 0, ms);
    }

    private static void row(String label, ProducerRecord<String, byte[]> r) {
        long onBroker = batchBytes(r, Compression.zstd().build());
        System.out.printf(Locale.ROOT, "%-44s %,12d %,12d %7.2f%n", label, r.value().length, onBroker,
                (double) r.value().length / onBroker);
    }

    /** The bytes of a v2 record batch holding {@code r} alone, compressed as given. */
    static long batchBytes(ProducerRecord<String, byte[]> r, Compression compression) {
        SimpleRecord record = new SimpleRecord(System.currentTimeMillis(),
                r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8), r.value(), r.headers().toArray());
        return MemoryRecords.withRecords(compression, record).sizeInBytes();
    }

    /** The run's last record of each kind. */
    private static final class Last implements TrainingListener {
        private final String id;
        private final long steps;
        private TrainingStarted started;
        private StepMetrics metrics;
        private SnapshotCodec.Snapshot snapshot;
        private SnapshotCodec.Snapshot checkpoint;
        private TrainingCompleted completed;
        private double stepMillis;
        private final long t0 = System.nanoTime();

        Last(String id, long steps) {
            this.id = id;
            this.steps = steps;
        }

        @Override
        public void started(String device, long resumedFromStep) {
            started = new TrainingStarted(id, "bench-worker-1", device, resumedFromStep, Instant.now());
        }

        @Override
        public void metrics(StepMetrics m) {
            metrics = m;
            stepMillis = m.stepMillis();
            if (m.step() % 50 == 0 || m.step() == steps) {
                double s = (System.nanoTime() - t0) / 1e9;
                System.err.printf(Locale.ROOT, "sizes: step %d/%d, %.1f steps/s, ETA %.0f s%n", m.step(), steps,
                        m.step() / s, (steps - m.step()) / (m.step() / s));
            }
        }

        @Override
        public void snapshot(SnapshotCodec.Snapshot s) {
            snapshot = s;
        }

        @Override
        public void checkpoint(SnapshotCodec.Snapshot s) {
            checkpoint = s;
        }

        @Override
        public void anomaly(TrainingAnomaly a) {
        }

        @Override
        public void completed(TrainingCompleted c) {
            completed = c;
        }

        @Override
        public void failed(TrainingFailed f) {
            throw new IllegalStateException("the sizing run failed: " + f.reason());
        }
    }
}
