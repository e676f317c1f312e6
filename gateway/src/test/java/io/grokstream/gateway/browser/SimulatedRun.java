package io.grokstream.gateway.browser;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.SnapshotReason;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.model.Tensor;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes to the real broker what the dataset service, a trainer and the analysis service would for one small
 * modular-addition run (p = 23), with a grokking-shaped curve: train loss falls early, validation loss stays high
 * and collapses near step 1,500, and the embedding's Fourier spectrum concentrates on the planted key frequencies
 * {3, 7}. The dashboard test watches these events arrive; the numbers only need to look like a real run.
 */
final class SimulatedRun implements AutoCloseable {

    static final int P = 23;
    static final String TASK_ID = "modular-add-p23-browsertest";
    static final List<Integer> KEY_FREQUENCIES = List.of(3, 7);
    /** The one neuron whose activation grid the run publishes. */
    static final String NEURON_0 = Measure.NEURON_ACTIVATION_OF.member(0);

    private final EventPublisher trainer;
    private final EventPublisher analysis;
    private final EventPublisher dataset;

    /** Publishes as the trainer, the analysis and the dataset service do, each as its own Kafka user. */
    SimulatedRun() {
        trainer = publisher(KafkaUser.TRAINER, "browser-test-trainer", "/grokstream/trainer/browser-test");
        analysis = publisher(KafkaUser.ANALYSIS, "browser-test-analysis", "/grokstream/analysis/browser-test");
        dataset = publisher(KafkaUser.DATASET, "browser-test-dataset", "/grokstream/dataset/browser-test");
    }

    private static EventPublisher publisher(KafkaUser user, String clientId, String source) {
        return new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(KafkaBrokerResource.access(user), clientId)),
                source);
    }

    /** x + y mod p over all p^2 pairs, tokens {@code x y =}, the first 30% of rows for training. */
    void defineTask() {
        int rows = P * P;
        int[][] inputs = new int[rows][];
        int[][] labels = new int[rows][];
        for (int x = 0; x < P; x++) {
            for (int y = 0; y < P; y++) {
                inputs[x * P + y] = new int[] {x, y, P};
                labels[x * P + y] = new int[] {(x + y) % P};
            }
        }
        int[] train = new int[rows * 3 / 10];
        for (int i = 0; i < train.length; i++) {
            train[i] = i;
        }
        List<String> vocabulary = new ArrayList<>();
        for (int i = 0; i < P; i++) {
            vocabulary.add(Integer.toString(i));
        }
        vocabulary.add("=");
        dataset.publishAndWait(new TaskDefined(TASK_ID, "modular", Map.of("p", P, "operation", "add"), vocabulary, 3,
                List.of(new TaskDefined.Target("out", 2, P, "out", 1.0)), new TaskDefined.Residues(P, 0, 1),
                new TaskDefined.TaskData(inputs, labels, train), "0".repeat(64), List.of(), List.of(), Instant.now()));
    }

    void start(String experimentId) {
        trainer.publishAndWait(new TrainingStarted(experimentId, "browser-test-worker", "cpu", 0, Instant.now()));
    }

    /** StepMetrics for every {@code every} steps in (from, to]. */
    void metrics(String experimentId, long from, long to, long every) {
        for (long step = from + every; step <= to; step += every) {
            double train = 4.6 * Math.exp(-step / 150.0) + 2e-4;
            double val = 5.5 / (1 + Math.exp((step - 1500) / 80.0)) + 4.0 * Math.exp(-step / 100.0) + 3e-3;
            double trainAcc = trainAccuracy(step);
            double valAcc = validationAccuracy(step);
            double weights = 2200 * Math.exp(-step / 2500.0) + 300;
            trainer.publish(new StepMetrics(experimentId, step, train, val, trainAcc, valAcc, Map.of(), Map.of(),
                    Map.of("embed.W_E", 0.5), Map.of("embed.W_E", 0.5), 1.5 * Math.exp(-step / 700.0) + 0.05,
                    Map.of("embed.W_E", weights / 3), weights, 1e-3, 95 + step % 7));
        }
        trainer.flush();
    }

    static double trainAccuracy(long step) {
        return Math.min(1, 1 - Math.exp(-step / 120.0));
    }

    /** Grokking near step 1,500. */
    static double validationAccuracy(long step) {
        return 0.04 + 0.96 / (1 + Math.exp(-(step - 1500) / 60.0));
    }

    /**
     * A ProgressMeasured with the scalars the grokking forecast reads (the accuracies of {@link #metrics}, restricted
     * and excluded loss, Gini), no spectra or grids.
     */
    void accuracyMeasures(String experimentId, long step) {
        Map<String, Double> scalars = Map.of(Measure.TRAIN_ACCURACY.wire(), trainAccuracy(step),
                Measure.TEST_ACCURACY.wire(), validationAccuracy(step),
                Measure.RESTRICTED_LOSS.wire(), 4.5 * Math.exp(-step / 500.0) + 1e-3,
                Measure.EXCLUDED_LOSS.wire(), 0.01 + 6 * Math.min(1, step / 1600.0),
                Measure.GINI_EMBED.wire(), 0.2 + 0.7 * Math.min(1, step / 1600.0));
        analysis.publish(new ProgressMeasured(experimentId, step, "test-1", scalars, Map.of(), List.of(3, 7),
                Map.of(), Map.of(), 0, 12.5));
        analysis.flush();
    }

    /** A ProgressMeasured whose spectra concentrate on the key frequencies as training goes on. */
    void measures(String experimentId, long step) {
        double t = Math.min(1, step / 1600.0);
        double[] fourier = new double[P];            // const, cos 1, sin 1, ..., cos 11, sin 11
        for (int i = 0; i < P; i++) {
            int k = (i + 1) / 2;
            boolean key = i > 0 && KEY_FREQUENCIES.contains(k);
            fourier[i] = key ? 1 + 6 * t : 1.2 * (1 - 0.85 * t) + 0.05 * ((i * 7) % 5);
        }
        double[] grid = new double[P * P];           // a neuron tuned to frequency 3: cos(2π·3(x+y)/p)
        for (int x = 0; x < P; x++) {
            for (int y = 0; y < P; y++) {
                grid[x * P + y] = Math.max(0, t * Math.cos(2 * Math.PI * 3 * (x + y) / P) + 0.3 * (1 - t) * Math.sin(x * y));
            }
        }
        double[] svdE = new double[16];
        double[] svdU = new double[16];
        for (int i = 0; i < 16; i++) {
            svdE[i] = i < 4 ? 9 - i : 2.0 * (1 - t) + 0.1 / (i + 1);
            svdU[i] = 7.0 / (i + 1);
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put(Measure.RESTRICTED_LOSS.wire(), 4.5 * Math.exp(-step / 500.0) + 1e-3);
        scalars.put(Measure.EXCLUDED_LOSS.wire(), 0.01 + 6 * t * t);
        scalars.put(Measure.GINI_EMBED.wire(), 0.2 + 0.7 * t);
        scalars.put(Measure.GINI_UNEMBED.wire(), 0.25 + 0.6 * t);
        scalars.put(Measure.OMEGA.wire(), (double) (step < 800 ? 2 : step < 1400 ? 9 : 4));
        Map<String, double[]> spectra = new LinkedHashMap<>();
        spectra.put(Measure.EMBED_FOURIER_NORMS.wire(), fourier);
        spectra.put(Measure.SINGULAR_VALUES_OF.member("embed.W_E"), svdE);
        spectra.put(Measure.SINGULAR_VALUES_OF.member("unembed.W_U"), svdU);
        analysis.publish(new ProgressMeasured(experimentId, step, "test-1", scalars, spectra,
                t > 0.4 ? KEY_FREQUENCIES : List.of(3), Map.of(NEURON_0, grid), Map.of(NEURON_0, new int[] {P, P}), 0, 12.5));
        analysis.flush();
    }

    /** Publishes an event of the analysis service that the test built itself (e.g. chosen key frequencies). */
    void analysed(ProgressMeasured measured) {
        analysis.publishAndWait(measured);
    }

    void phase(String experimentId, String phase, long step) {
        analysis.publishAndWait(new PhaseDetected(experimentId, phase, step, "browser test", "test-1"));
    }

    /** A weight snapshot (a small safetensors file), so the page lists a checkpoint with its download links. */
    /** A snapshot holding {@code weights}, as a trainer publishes it. */
    void snapshot(String experimentId, long step, Map<String, Tensor> weights) {
        EventPublisher.await(trainer.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN,
                new SnapshotCodec.Snapshot(experimentId, step, weights, Map.of(SnapshotCodec.META_TASK, TASK_ID))));
    }

    void snapshot(String experimentId, long step) {
        snapshot(experimentId, step, (SnapshotReason) null);
    }

    /** A small snapshot saying why the trainer took it (null: a snapshot from before reasons). */
    void snapshot(String experimentId, long step, SnapshotReason reason) {
        float[] w = new float[(P + 1) * 8];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i);
        }
        Map<String, String> meta = new LinkedHashMap<>(Map.of(SnapshotCodec.META_TASK, TASK_ID));
        if (reason != null) {
            meta.put(SnapshotCodec.META_REASON, reason.wire());
        }
        EventPublisher.await(trainer.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN,
                new SnapshotCodec.Snapshot(experimentId, step, Map.of("embed.W_E", Tensor.ofFloats(w, P + 1, 8)), meta)));
    }

    @Override
    public void close() {
        trainer.close();
        analysis.close();
        dataset.close();
    }
}
