package io.grokstream.gateway.view;

import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.UnreadableRecordException;
import io.grokstream.gateway.view.ViewStore.Family;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every view the gateway serves, as one fold over grokstream's topics into a {@link ViewStore}: the task catalog,
 * experiments with status and progress, metric and measure histories, phases, stored snapshots and dead letters.
 * {@link #apply} is the fold step: one atomic store write with the record's offset. It deduplicates on
 * {@code ce_id} and on (experiment, step), so folding the same topics twice gives the same state
 * ({@link #canonical()}). Heap holds each experiment's state without its histories, the catalog and the newest
 * dead letters; histories, spectra and the latest grids are read from the store on demand ({@link HistoryReads}).
 * Thread-safe: one lock orders the writes (from the fold thread and the gateway's own submissions).
 */
public final class ViewState {
    private final Object lock = new Object();
    private final ViewStore store;
    private final SnapshotStore snapshots;
    private final Map<String, TaskDefined> tasks = new TreeMap<>();
    private final Map<String, ExperimentState> experiments = new TreeMap<>();
    private final DeadLetterLog deadLetters;
    private final HistoryReads histories;
    private final ExperimentFold experimentFold;

    /** The views the store holds (empty when it is new); {@code snapshots} null keeps no snapshot bytes. */
    public ViewState(ViewStore store, SnapshotStore snapshots, int maxDeadLetters) {
        this.store = store;
        this.snapshots = snapshots;
        this.deadLetters = new DeadLetterLog(store, maxDeadLetters);
        this.histories = new HistoryReads(store);
        this.experimentFold = new ExperimentFold(store, snapshots, experiments);
        store.forEach(Family.TASKS, (k, v) -> {
            TaskDefined t = EventCodec.decode(TaskDefined.class, v);
            tasks.put(t.taskId(), t);
        });
        store.forEach(Family.EXPERIMENTS, (k, v) -> {
            ExperimentState s = ViewCodec.read(v, ExperimentState.class);
            experiments.put(s.experimentId, s);
        });
    }

    /** Where the fold resumes: the next offset per partition, stored with the views. */
    public Map<TopicPartition, Long> offsets() {
        return store.offsets();
    }

    public ViewStore store() {
        return store;
    }

    /**
     * Folds one record into the views, with its offset in the same store write, and returns what changed, for
     * live subscribers.
     *
     * @throws UnreadableRecordException when the record cannot be decoded (the caller dead-letters it)
     */
    public List<LiveEvent> apply(ConsumerRecord<String, byte[]> record) {
        synchronized (lock) {
            try (ViewStore.Batch batch = store.batch()) {
                batch.offset(record.topic(), record.partition(), record.offset() + 1);
                List<LiveEvent> out = switch (record.topic()) {
                    case Topics.DEADLETTER -> {
                        deadLetters.fold(record, batch);
                        yield List.of();
                    }
                    case Topics.SNAPSHOTS -> experimentFold.snapshot(record, batch);
                    case Topics.CHECKPOINTS -> List.of(); // training state for resuming workers: no gateway view
                    case Topics.WEBHOOKS, Topics.WEBHOOK_DELIVERIES -> List.of(); // webhook/WebhookRegistry's
                    default -> event(record, batch);
                };
                store.write(batch);
                return out;
            }
        }
    }

    /**
     * Moves the stored offset past a record the fold could not read (once it is dead-lettered), so a restart does
     * not meet it again; never backwards, since later records of its partition may be folded already.
     */
    public void passOver(ConsumerRecord<String, byte[]> record) {
        synchronized (lock) {
            if (record.offset() + 1 > store.offset(record.topic(), record.partition())) {
                try (ViewStore.Batch batch = store.batch()) {
                    store.write(batch.offset(record.topic(), record.partition(), record.offset() + 1));
                }
            }
        }
    }

    private List<LiveEvent> event(ConsumerRecord<String, byte[]> record, ViewStore.Batch batch) {
        String ceId = CloudEvents.id(record.headers()).orElse(null);
        if (ceId != null && store.contains(Family.SEEN, ViewStore.key(ceId))) {
            return List.of();
        }
        return fold(EventCodec.decode(record.headers(), record.value()), ceId, batch, record.value());
    }

    /** Folds one decoded event (also used for the gateway's own submissions, to read them back at once). */
    public List<LiveEvent> apply(GrokEvent event, String ceId) {
        synchronized (lock) {
            try (ViewStore.Batch batch = store.batch()) {
                List<LiveEvent> out = fold(event, ceId, batch, null);
                store.write(batch);
                return out;
            }
        }
    }

    /** {@code encoded}: the event's bytes as received (stored as they are where whole events are kept), or null. */
    private List<LiveEvent> fold(GrokEvent event, String ceId, ViewStore.Batch batch, byte[] encoded) {
        if (ceId != null) {
            if (store.contains(Family.SEEN, ViewStore.key(ceId))) {
                return List.of();
            }
            batch.put(Family.SEEN, ViewStore.key(ceId), new byte[0]);
        }
        if (event instanceof TaskDefined t) {
            tasks.put(t.taskId(), t);
            batch.put(Family.TASKS, ViewStore.key(t.taskId()), EventCodec.encode(t));
            return List.of();
        }
        return experimentFold.event(event, encoded, batch);
    }

    /** Whether {@code consumer} already dead-lettered the record at these coordinates (seen on the topic). */
    public boolean alreadyDeadLettered(String consumer, String topic, int partition, long offset) {
        return deadLetters.alreadyDeadLettered(consumer, topic, partition, offset);
    }

    // ---- reads -------------------------------------------------------------------------------------------

    public List<TaskSummary> tasks() {
        synchronized (lock) {
            return tasks.values().stream().map(TaskSummary::of).toList();
        }
    }

    public Optional<TaskDefined> task(String id) {
        synchronized (lock) {
            return Optional.ofNullable(tasks.get(id));
        }
    }

    public List<TaskDefined> taskDefinitions() {
        synchronized (lock) {
            return List.copyOf(tasks.values());
        }
    }

    /** Summaries of the submitted experiments that pass {@code filter}, newest submission first. */
    public List<ExperimentSummary> summaries(Predicate<ExperimentSubmitted> filter) {
        synchronized (lock) {
            return experiments.values().stream().filter(s -> s.submitted != null && filter.test(s.submitted))
                    .map(ExperimentState::summary)
                    .sorted(Comparator.comparing(ExperimentSummary::submittedAt,
                            Comparator.nullsLast(Comparator.reverseOrder()))
                            .thenComparing(ExperimentSummary::experimentId))
                    .toList();
        }
    }

    public Optional<ExperimentSubmitted> submission(String id) {
        return read(id, Optional.empty(), s -> Optional.ofNullable(s.submitted));
    }

    public Optional<ExperimentSummary> summary(String id) {
        return read(id, Optional.empty(), s -> s.submitted == null ? Optional.empty() : Optional.of(s.summary()));
    }

    public Optional<ExperimentDetail> detail(String id) {
        return read(id, Optional.empty(), s -> s.submitted == null ? Optional.empty() : Optional.of(s.detail()));
    }

    /** An experiment's histories, spectra, latest measures and snapshot list, read from the store. */
    public HistoryReads histories() {
        return histories;
    }

    /** The whole metric history of an experiment, by step. */
    public List<MetricPoint> metrics(String id) {
        return histories.metrics(id, StepRange.ALL);
    }

    /** The whole measure history of an experiment, by step, without spectra. */
    public List<MeasurePoint> measures(String id) {
        return histories.measures(id, StepRange.ALL);
    }

    public Optional<ProgressMeasured> latestMeasured(String id) {
        return histories.latestMeasured(id);
    }

    public List<CheckpointInfo> checkpoints(String id) {
        return histories.checkpoints(id);
    }

    /** One experiment's view under the lock, or {@code absent} when the experiment is unknown. */
    private <T> T read(String id, T absent, Function<ExperimentState, T> view) {
        synchronized (lock) {
            ExperimentState s = experiments.get(id);
            return s == null ? absent : view.apply(s);
        }
    }

    public boolean hasCheckpoint(String id, long step) {
        return store.contains(Family.SNAPSHOTS, ViewStore.stepKey(id, step));
    }

    public byte[] checkpointBytes(String id, long step) {
        return snapshots.read(id, step);
    }

    public List<DeadLetterEntry> deadLetters() {
        synchronized (lock) {
            return deadLetters.newest();
        }
    }

    public long deadLetterTotal() {
        synchronized (lock) {
            return deadLetters.total();
        }
    }

    /** How many experiments stand at {@code status} (the trainers' waiting work: submitted plus running). */
    public long countWithStatus(ExperimentStatus status) {
        synchronized (lock) {
            return experiments.values().stream().filter(s -> s.submitted != null && s.status == status).count();
        }
    }

    /** Sizes for the metrics endpoint: tasks, experiments, metric points, measure points, snapshots. */
    public Map<String, Long> sizes() {
        synchronized (lock) {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("tasks", (long) tasks.size());
            m.put("experiments", experiments.values().stream().filter(s -> s.submitted != null).count());
            m.put("metric_points", experiments.values().stream().mapToLong(s -> s.metricCount).sum());
            m.put("measure_points", experiments.values().stream().mapToLong(s -> s.measureCount).sum());
            m.put("snapshots", experiments.values().stream().mapToLong(s -> s.snapshotCount).sum());
            m.put("dead_letters", deadLetters.total());
            return m;
        }
    }

    /**
     * Everything the views hold, in a deterministic order: two folds over the same topics give equal maps
     * (the view-rebuild test compares them, and a resumed gateway's with a refolded one's).
     */
    public Map<String, Object> canonical() {
        synchronized (lock) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tasks", tasks.values().stream().map(TaskSummary::of).toList());
            Map<String, Object> exps = new TreeMap<>();
            for (ExperimentState s : experiments.values()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("detail", s.submitted == null ? null : s.detail());
                e.put("metrics", histories.metrics(s.experimentId, StepRange.ALL));
                e.put("measures", histories.withSpectra(s.experimentId,
                        histories.measures(s.experimentId, StepRange.ALL), name -> true));
                e.put("latestMeasured", histories.latestMeasured(s.experimentId).orElse(null));
                e.put("snapshots", histories.checkpoints(s.experimentId));
                exps.put(s.experimentId, e);
            }
            out.put("experiments", exps);
            out.put("deadLetters", deadLetters.newest());
            return out;
        }
    }
}
