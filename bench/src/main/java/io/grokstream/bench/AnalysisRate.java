package io.grokstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;
import io.grokstream.testkit.ModularAdditionTask;
import io.grokstream.testkit.PlantedWeights;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code ./grokstream bench analysis-rate}: the snapshots per second one analysis instance sustains, the capacity
 * plan's analysis input. Against the benchmark platform ({@code scripts/grokstream-bench} starts it), a synthetic
 * publisher puts Nanda's p = 113 snapshots (testkit's grokked planted weights, with the metadata a trainer writes)
 * on grokstream.snapshots.v1 as fast as GPU trainers would: {@code --experiments} experiments, each a snapshot every
 * {@code --snapshot-every} steps at {@code --steps-per-second}, more than one instance can measure. By default each
 * experiment publishes one snapshot, so the service (SnapshotWorker) sheds none and measures every one on its live
 * path: the rate is the instance's capacity. With fewer experiments than snapshots it sheds a backlog to the newest
 * per experiment and fills the gaps one per idle poll (AnalysisLoops), which this also shows. It then reads
 * grokstream.measures.v1 until every snapshot is measured and reports the rate measured (all snapshots over the time
 * from the first published to the last measured), the service's own analysisMillis (median, p99), the measures'
 * record bytes, and the analysis JVM's CPU over the run ({@code --analysis-pid}).
 */
@Command(name = "bench.jar analysis-rate", mixinStandardHelpOptions = true, version = "grokstream 0.1.0",
        sortOptions = false, exitCodeOnInvalidInput = PlatformBench.USAGE,
        description = {"Snapshots per second one analysis instance sustains: a synthetic publisher puts p = 113 "
                + "snapshots on the benchmark platform's broker at GPU trainers' rate, and the measures are counted "
                + "until every snapshot is measured (KAFKA_BOOTSTRAP_SERVERS, GROKSTREAM_CREDENTIALS_DIR)."})
public final class AnalysisRate implements Callable<Integer> {
    @Option(names = "--experiments", paramLabel = "N", description = "synthetic experiments (default ${DEFAULT-VALUE}: "
            + "one snapshot each, so the service sheds nothing and every snapshot takes the live path; fewer "
            + "experiments with several snapshots each show the overload path: the newest measured, gaps filled later)")
    int experiments = 120;
    @Option(names = "--steps-per-second", paramLabel = "S", description = "each experiment's training rate, a GPU "
            + "trainer's (default ${DEFAULT-VALUE}, the capacity plan's assumed GPU rate)")
    double stepsPerSecond = 250;
    @Option(names = "--snapshot-every", paramLabel = "N", description = "steps between snapshots (default ${DEFAULT-VALUE})")
    int snapshotEvery = 100;
    @Option(names = "--snapshots", paramLabel = "N", description = "timed snapshots in all (default ${DEFAULT-VALUE})")
    int snapshots = 120;
    @Option(names = "--warmup", paramLabel = "N", description = "snapshots measured first, untimed (default ${DEFAULT-VALUE})")
    int warmup = 10;
    @Option(names = "--timeout", paramLabel = "S", description = "seconds to wait for the measures (default ${DEFAULT-VALUE})")
    int timeoutSeconds = 900;
    @Option(names = "--analysis-pid", paramLabel = "PID", description = "the analysis JVM, for its CPU time (Linux /proc)")
    Long analysisPid;

    private final KafkaAccess access = KafkaAccess.fromEnvironment(
            System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:29092"));

    public static void main(String[] args) {
        System.exit(new CommandLine(new AnalysisRate()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (experiments < 1 || snapshots < experiments || warmup < 1 || stepsPerSecond <= 0 || snapshotEvery < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "need experiments >= 1, snapshots >= "
                    + "experiments, warmup >= 1, steps-per-second > 0, snapshot-every >= 1");
        }
        TaskDefined task = ModularAdditionTask.of("bench-rate-add-p" + NandaPreset.P, NandaPreset.P,
                NandaPreset.TRAIN_FRACTION, NandaPreset.SPLIT_SEED);
        ModelConfig model = NandaPreset.model();
        Map<String, Tensor> weights = PlantedWeights.of(model, NandaPreset.P, new int[]{14, 35, 41}, 3);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(SnapshotCodec.META_TASK, task.taskId());
        meta.put(SnapshotCodec.META_TASK_SHA, task.sha256());
        meta.put(SnapshotCodec.META_CONFIG, EventCodec.JSON.writeValueAsString(model));
        meta.put("dtype", model.dtype());
        meta.put("kind", "snapshot");
        try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(access, "bench-analysis-rate"));
             var publisher = new EventPublisher(producer, "bench-analysis-rate");
             var measures = new KafkaConsumer<String, byte[]>(KafkaSettings.consumer(access, null, "bench-rate-measures"))) {
            List<TopicPartition> parts = measures.partitionsFor(Topics.MEASURES).stream()
                    .map(p -> new TopicPartition(Topics.MEASURES, p.partition())).toList();
            measures.assign(parts);
            measures.seekToEnd(parts);
            parts.forEach(measures::position);
            EventPublisher.await(publisher.send(EventCodec.toRecord(task, "bench-analysis-rate")));
            String warm = UUID.randomUUID().toString();
            for (int i = 1; i <= warmup; i++) {
                publisher.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN,
                        new SnapshotCodec.Snapshot(warm, (long) i * snapshotEvery, weights, meta));
            }
            publisher.flush();
            say("warm-up: %d snapshots of one experiment published; waiting for their measures", warmup);
            collect(measures, Set.of(warm), warmup, System.nanoTime());
            return timed(publisher, measures, weights, meta);
        }
    }

    private int timed(EventPublisher publisher, KafkaConsumer<String, byte[]> measures, Map<String, Tensor> weights,
                      Map<String, String> meta) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < experiments; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        double perSecond = experiments * stepsPerSecond / snapshotEvery;
        say("publishing %d snapshots of %d experiments at %.1f steps/s each, a snapshot every %d steps: %.2f "
                + "snapshots/s offered", snapshots, experiments, stepsPerSecond, snapshotEvery, perSecond);
        long cpu0 = cpuTicks();
        long t0 = System.nanoTime();
        long firstPublished = System.currentTimeMillis();
        for (int k = 0; k < snapshots; k++) {
            // why: experiment k mod E publishes its (k / E + 1)-th snapshot; together they publish one every 1/rate s
            long due = t0 + (long) (k / perSecond * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            publisher.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN, new SnapshotCodec.Snapshot(
                    ids.get(k % experiments), (long) (k / experiments + 1) * snapshotEvery, weights, meta));
        }
        publisher.flush();
        double publishSeconds = (System.nanoTime() - t0) / 1e9;
        say("published in %.1f s (%.2f snapshots/s); waiting for the measures", publishSeconds, snapshots / publishSeconds);
        Measured m = collect(measures, Set.copyOf(ids), snapshots, t0);
        long cpu1 = cpuTicks();
        double seconds = (m.lastAt - firstPublished) / 1000.0;
        double rate = m.count / seconds;
        System.out.printf(Locale.ROOT, "ANALYSIS-RATE offered %.2f snapshots/s (%d experiments x %.0f steps/s / %d), "
                        + "%d snapshots published in %.1f s%n", perSecond, experiments, stepsPerSecond, snapshotEvery,
                snapshots, publishSeconds);
        System.out.printf(Locale.ROOT, "ANALYSIS-RATE measured %d of %d; first published -> last measured %.1f s: "
                        + "%.2f snapshots/s sustained = %.0f ms per snapshot%n", m.count, snapshots, seconds, rate,
                1000 / rate);
        System.out.printf(Locale.ROOT, "ANALYSIS-RATE between the first and third quartile of the measures: %.2f "
                + "snapshots/s%n", m.middleRate());
        System.out.printf(Locale.ROOT, "ANALYSIS-RATE analysisMillis (the measure suite in the service): %s%n",
                stats(m.millis));
        System.out.printf(Locale.ROOT, "ANALYSIS-RATE ProgressMeasured value bytes: mean %.0f; %d measured out of "
                + "order (backlog shed newest-first, gaps filled later)%n", m.valueBytes / (double) Math.max(1, m.count),
                m.skipped);
        if (cpu0 >= 0 && cpu1 >= 0) {
            double cores = (cpu1 - cpu0) / 100.0 / seconds;   // why: /proc stat times are in USER_HZ = 100 ticks/s
            System.out.printf(Locale.ROOT, "ANALYSIS-RATE analysis JVM: %.2f cores busy on average (%.0f ms CPU per "
                    + "snapshot)%n", cores, (cpu1 - cpu0) * 10.0 / m.count);
        }
        System.out.printf(Locale.ROOT, "ANALYSIS-RATE load average at the end: %.2f (%d cores)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        return m.count == snapshots ? 0 : 1;
    }

    /** What the measures topic said of this run's experiments. */
    private static final class Measured {
        int count;
        long lastAt;
        long valueBytes;
        int skipped;
        final List<Double> millis = new ArrayList<>();
        final List<Long> at = new ArrayList<>();

        /** Snapshots per second measured between the first and the third quartile of the measures (no ramp, no tail). */
        double middleRate() {
            List<Long> t = at.stream().sorted().toList();
            int a = t.size() / 4;
            int b = t.size() * 3 / 4;
            return b > a && t.get(b) > t.get(a) ? (b - a) * 1000.0 / (t.get(b) - t.get(a)) : Double.NaN;
        }
    }

    private Measured collect(KafkaConsumer<String, byte[]> consumer, Set<String> ids, int expected, long t0)
            throws Exception {
        Measured m = new Measured();
        Map<String, Long> lastStep = new HashMap<>();
        Map<String, Set<Long>> seen = new HashMap<>();
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        long nextLog = System.nanoTime() + 5_000_000_000L;
        while (m.count < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (!ids.contains(r.key())) {
                    continue;
                }
                JsonNode n = EventCodec.JSON.readTree(r.value());
                if (!n.has("analysisMillis") || !seen.computeIfAbsent(r.key(), k -> new java.util.HashSet<>())
                        .add(n.get("step").asLong())) {
                    continue;   // a PhaseDetected, or a step measured again
                }
                long step = n.get("step").asLong();
                if (step < lastStep.getOrDefault(r.key(), 0L)) {
                    m.skipped++;
                }
                lastStep.merge(r.key(), step, Math::max);
                m.count++;
                m.lastAt = r.timestamp();
                m.at.add(r.timestamp());
                m.valueBytes += r.value().length;
                m.millis.add(n.get("analysisMillis").asDouble());
            }
            if (System.nanoTime() > nextLog) {
                double s = (System.nanoTime() - t0) / 1e9;
                say("%d/%d measured, %.2f/s so far, ETA %.0f s", m.count, expected, m.count / s,
                        m.count == 0 ? Double.NaN : (expected - m.count) / (m.count / s));
                nextLog = System.nanoTime() + 5_000_000_000L;
            }
        }
        return m;
    }

    /** Median, 99th percentile and worst of {@code millis} (nearest rank). */
    static String stats(List<Double> millis) {
        double[] s = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            return "n=0";
        }
        return String.format(Locale.ROOT, "n=%d median %.1f ms, p99 %.1f ms, max %.1f ms", s.length,
                s[(int) Math.ceil(0.5 * s.length) - 1], s[(int) Math.ceil(0.99 * s.length) - 1], s[s.length - 1]);
    }

    /** utime + stime of the analysis JVM in clock ticks, or -1 when not asked for or not readable. */
    private long cpuTicks() {
        if (analysisPid == null) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", analysisPid.toString(), "stat"));
            // why: fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void say(String format, Object... args) {
        System.err.printf(Locale.ROOT, "analysis-rate: " + format + "%n", args);
    }
}
