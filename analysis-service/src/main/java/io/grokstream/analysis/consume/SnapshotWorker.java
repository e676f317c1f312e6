package io.grokstream.analysis.consume;

import io.grokstream.analysis.AnalysisConfig;
import io.grokstream.analysis.measure.Measures;
import io.grokstream.analysis.measure.SnapshotAnalyzer;
import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns a polled batch of snapshot records into published measures: decodes each record (unreadable ones go to
 * the dead-letter topic), skips what the {@link MeasureLedger} says is done, and, when shedding, analyses only the
 * newest snapshot of each experiment in the batch and reports how many it skipped (bounded backlog). Snapshots
 * whose model config or task is missing or wrong are dead-lettered with the reason. One analysis at a time: the
 * live consumer and a replay share the CPU and the memory bound.
 */
@ApplicationScoped
public class SnapshotWorker {
    private static final Logger LOG = Logger.getLogger(SnapshotWorker.class);

    /** What one batch did. */
    public record BatchResult(int analysed, int alreadyMeasured, int shed, int deadLettered) {
        BatchResult plus(BatchResult o) {
            return new BatchResult(analysed + o.analysed, alreadyMeasured + o.alreadyMeasured, shed + o.shed,
                    deadLettered + o.deadLettered);
        }
    }

    private record Decoded(ConsumerRecord<String, byte[]> record, SnapshotCodec.Snapshot snapshot) {
    }

    private final AnalysisConfig config;
    private final EventPublisher publisher;
    private final TaskCatalog tasks;
    private final MeasureLedger ledger;
    private final SnapshotAnalyzer analyzer;
    private final ReentrantLock analysing = new ReentrantLock();

    public SnapshotWorker(AnalysisConfig config, EventPublisher publisher, TaskCatalog tasks, MeasureLedger ledger,
                          SnapshotAnalyzer analyzer) {
        this.config = config;
        this.publisher = publisher;
        this.tasks = tasks;
        this.ledger = ledger;
        this.analyzer = analyzer;
    }

    /**
     * @param shed     analyse only the newest snapshot per experiment (the live consumer); a replay analyses all
     * @param consumer name written into dead letters
     */
    public BatchResult process(List<ConsumerRecord<String, byte[]>> records, boolean shed, String consumer)
            throws InterruptedException {
        return process(records, shed, consumer, gap -> { });
    }

    /** As {@link #process(List, boolean, String)}, telling {@code onShed} of each snapshot it skipped. */
    public BatchResult process(List<ConsumerRecord<String, byte[]>> records, boolean shed, String consumer,
                               java.util.function.Consumer<OpenGaps.Gap> onShed) throws InterruptedException {
        int dead = 0;
        int done = 0;
        Map<String, List<Decoded>> byExperiment = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            SnapshotCodec.Snapshot s;
            try {
                s = SnapshotCodec.fromRecord(r);
            } catch (RuntimeException e) {
                deadLetter(r, consumer, e);
                dead++;
                continue;
            }
            if (ledger.isMeasured(s.experimentId(), s.step(), config.version())) {
                done++;
                continue;
            }
            byExperiment.computeIfAbsent(s.experimentId(), k -> new ArrayList<>()).add(new Decoded(r, s));
        }
        int analysed = 0;
        int shedCount = 0;
        for (List<Decoded> list : byExperiment.values()) {
            list.sort(Comparator.comparingLong(d -> d.snapshot().step()));
            List<Decoded> chosen = list;
            int skipped = 0;
            if (shed && list.size() > 1) {
                Decoded newest = list.get(list.size() - 1);
                skipped = (int) list.stream().mapToLong(d -> d.snapshot().step())
                        .filter(step -> step != newest.snapshot().step()).distinct().count();
                chosen = List.of(newest);
                shedCount += skipped;
                for (Decoded d : list.subList(0, list.size() - 1)) {
                    ConsumerRecord<String, byte[]> r = d.record();
                    onShed.accept(new OpenGaps.Gap(new org.apache.kafka.common.TopicPartition(r.topic(),
                            r.partition()), r.offset(), d.snapshot().experimentId(), d.snapshot().step()));
                }
            }
            for (Decoded d : chosen) {
                if (ledger.isMeasured(d.snapshot().experimentId(), d.snapshot().step(), config.version())) {
                    done++;
                    continue;
                }
                try {
                    ProgressMeasured m = analyse(d.snapshot(), skipped);
                    publisher.publishAndWait(m);
                    ledger.record(m);
                    analysed++;
                } catch (SnapshotRejected e) {
                    deadLetter(d.record(), consumer, e);
                    dead++;
                }
            }
        }
        return new BatchResult(analysed, done, shedCount, dead);
    }

    /** Why a readable snapshot cannot be measured: it goes to the dead-letter topic. */
    static final class SnapshotRejected extends Exception {
        SnapshotRejected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    ProgressMeasured analyse(SnapshotCodec.Snapshot s, int skipped) throws InterruptedException, SnapshotRejected {
        String taskId = s.metadata().get(SnapshotCodec.META_TASK);
        String configJson = s.metadata().get(SnapshotCodec.META_CONFIG);
        if (taskId == null || configJson == null) {
            throw new SnapshotRejected("snapshot metadata lacks " + (taskId == null ? SnapshotCodec.META_TASK
                    : SnapshotCodec.META_CONFIG), null);
        }
        ModelConfig cfg;
        try {
            cfg = EventCodec.JSON.readValue(configJson, ModelConfig.class);
        } catch (Exception e) {
            throw new SnapshotRejected("snapshot model_config is not a readable ModelConfig: " + e.getMessage(), e);
        }
        Optional<TaskDefined> task = tasks.await(taskId, config.taskWait());
        if (task.isEmpty()) {
            throw new SnapshotRejected("task " + taskId + " was not defined on grokstream.tasks.v1 within "
                    + config.taskWait(), null);
        }
        String sha = s.metadata().get(SnapshotCodec.META_TASK_SHA);
        if (sha != null && task.get().sha256() != null && !sha.equals(task.get().sha256())) {
            throw new SnapshotRejected("snapshot was trained on task data " + sha + " but task " + taskId
                    + " now has " + task.get().sha256(), null);
        }
        analysing.lockInterruptibly();
        try {
            long t0 = System.nanoTime();
            Measures m = analyzer.analyse(cfg, s.tensors(), task.get());
            double millis = (System.nanoTime() - t0) / 1e6;
            LOG.debugf("measured %s step %d in %.1f ms", s.experimentId(), s.step(), millis);
            return new ProgressMeasured(s.experimentId(), s.step(), config.version(), m.scalars(), m.spectra(),
                    m.keyFrequencies(), m.grids(), m.gridShapes(), skipped, millis);
        } catch (RuntimeException e) {
            throw new SnapshotRejected("analysis failed: " + e.getMessage(), e);
        } finally {
            analysing.unlock();
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String consumer, Throwable e) {
        LOG.warnf("dead-lettering snapshot record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
        EventPublisher.await(publisher.send(DeadLetters.of(r, consumer, e)));
    }
}
