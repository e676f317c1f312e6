package io.grokstream.gateway.view;

import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.contracts.UnreadableRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Every view the gateway serves, as one fold over grokstream's topics: the task catalog, experiments with status
 * and progress, metric and measure histories, phases, stored snapshots and dead letters. {@link #apply} is the
 * fold step; it deduplicates on {@code ce_id} and on (experiment, step), so folding the same topics twice gives
 * the same state ({@link #canonical()}). Thread-safe: one lock guards all of it (writes come from one fold thread;
 * reads copy out).
 */
public final class ViewState {
    private final Object lock = new Object();
    private final SnapshotStore snapshots;
    private final int maxDeadLetters;
    private final Map<String, TaskDefined> tasks = new TreeMap<>();
    private final Map<String, ExperimentState> experiments = new TreeMap<>();
    private final Set<String> seenIds = new HashSet<>();
    private final Deque<DeadLetterEntry> deadLetters = new ArrayDeque<>();
    private final Set<String> deadLetteredBy = new HashSet<>();
    private long deadLetterTotal;

    public ViewState(SnapshotStore snapshots, int maxDeadLetters) {
        this.snapshots = snapshots;
        this.maxDeadLetters = maxDeadLetters;
    }

    /**
     * Folds one record into the views and returns what changed, for live subscribers.
     *
     * @throws UnreadableRecordException when the record cannot be decoded (the caller dead-letters it)
     */
    public List<LiveEvent> apply(ConsumerRecord<String, byte[]> record) {
        return switch (record.topic()) {
            case Topics.DEADLETTER -> {
                deadLetter(record);
                yield List.of();
            }
            case Topics.SNAPSHOTS -> snapshot(record);
            case Topics.CHECKPOINTS -> List.of(); // training state for resuming workers: no gateway view
            default -> event(record);
        };
    }

    private List<LiveEvent> event(ConsumerRecord<String, byte[]> record) {
        String ceId = CloudEvents.id(record.headers()).orElse(null);
        synchronized (lock) {
            if (ceId != null && seenIds.contains(ceId)) {
                return List.of();
            }
        }
        GrokEvent event = EventCodec.decode(record.headers(), record.value());
        return apply(event, ceId);
    }

    /** Folds one decoded event (also used for the gateway's own submissions, to read them back at once). */
    public List<LiveEvent> apply(GrokEvent event, String ceId) {
        synchronized (lock) {
            if (ceId != null && !seenIds.add(ceId)) {
                return List.of();
            }
            if (event instanceof TaskDefined t) {
                tasks.put(t.taskId(), t);
                return List.of();
            }
            ExperimentState s = experiments.computeIfAbsent(event.subject(), ExperimentState::new);
            List<LiveEvent> out = new ArrayList<>();
            if (event instanceof ExperimentSubmitted e) {
                if (s.submit(e)) {
                    out.add(status(s));
                }
            } else if (event instanceof ExperimentCancelled e) {
                s.cancelled(e);
                out.add(status(s));
            } else if (event instanceof TrainingStarted e) {
                s.started(e);
                out.add(status(s));
            } else if (event instanceof StepMetrics m) {
                ExperimentStatus before = s.status;
                s.metrics(m);
                out.add(live(LiveEvent.METRICS, s, m));
                if (before != s.status) {
                    out.add(status(s));
                }
            } else if (event instanceof TrainingCompleted e) {
                s.completed(e);
                out.add(status(s));
            } else if (event instanceof TrainingFailed e) {
                s.failed(e);
                out.add(status(s));
            } else if (event instanceof TrainingAnomaly) {
                s.anomalies++;
            } else if (event instanceof ProgressMeasured m) {
                if (s.measured(m)) {
                    out.add(live(LiveEvent.MEASURES, s, MeasurePoint.of(m).withoutSpectra()));
                }
            } else if (event instanceof PhaseDetected p) {
                if (s.phase(p)) {
                    out.add(live(LiveEvent.PHASE, s, p));
                    out.add(status(s));
                }
            }
            out.removeIf(e -> e == null);
            return out;
        }
    }

    private List<LiveEvent> snapshot(ConsumerRecord<String, byte[]> record) {
        SnapshotCodec.Snapshot snap = SnapshotCodec.fromRecord(record);
        synchronized (lock) {
            ExperimentState s = experiments.computeIfAbsent(snap.experimentId(), ExperimentState::new);
            if (s.snapshots.containsKey(snap.step())) {
                return List.of();
            }
            if (snapshots == null || snapshots.put(snap.experimentId(), snap.step(), record.value())) {
                s.snapshots.put(snap.step(), (long) record.value().length);
                LiveEvent e = live(LiveEvent.CHECKPOINT, s, new CheckpointInfo(snap.step(), record.value().length));
                return e == null ? List.of() : List.of(e);
            }
            return List.of();
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r) {
        String topic = CloudEvents.get(r.headers(), DeadLetters.ORIGINAL_TOPIC).orElse(null);
        Integer partition = CloudEvents.get(r.headers(), DeadLetters.ORIGINAL_PARTITION).map(ViewState::intOrNull).orElse(null);
        Long offset = CloudEvents.get(r.headers(), DeadLetters.ORIGINAL_OFFSET).map(ViewState::longOrNull).orElse(null);
        String consumer = CloudEvents.get(r.headers(), DeadLetters.CONSUMER).orElse(null);
        DeadLetterEntry e = new DeadLetterEntry(r.offset(), r.key(),
                CloudEvents.get(r.headers(), DeadLetters.REASON).orElse(null), topic, partition, offset, consumer,
                CloudEvents.type(r.headers()).orElse(null), CloudEvents.id(r.headers()).orElse(null), r.timestamp(),
                r.value() == null ? 0 : r.value().length);
        synchronized (lock) {
            deadLetterTotal++;
            deadLetters.addLast(e);
            while (deadLetters.size() > maxDeadLetters) {
                deadLetters.removeFirst();
            }
            deadLetteredBy.add(consumer + "|" + topic + "|" + partition + "|" + offset);
        }
    }

    /** Whether {@code consumer} already dead-lettered the record at these coordinates (seen on the topic). */
    public boolean alreadyDeadLettered(String consumer, String topic, int partition, long offset) {
        synchronized (lock) {
            return deadLetteredBy.contains(consumer + "|" + topic + "|" + partition + "|" + offset);
        }
    }

    private LiveEvent status(ExperimentState s) {
        return s.submitted == null ? null : live(LiveEvent.STATUS, s, s.summary());
    }

    private static LiveEvent live(String name, ExperimentState s, Object data) {
        String team = s.submitted == null ? null : s.submitted.team();
        boolean pub = s.submitted != null && s.submitted.publicRead();
        return new LiveEvent(name, s.experimentId, team, pub, data);
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
                    .sorted(java.util.Comparator.comparing(ExperimentSummary::submittedAt,
                            java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder()))
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

    public List<MetricPoint> metrics(String id) {
        return read(id, List.of(), s -> List.copyOf(s.metrics.values()));
    }

    public List<MeasurePoint> measures(String id) {
        return read(id, List.of(), s -> List.copyOf(s.measures.values()));
    }

    public Optional<ProgressMeasured> latestMeasured(String id) {
        return read(id, Optional.empty(), s -> Optional.ofNullable(s.latestMeasured));
    }

    public List<CheckpointInfo> checkpoints(String id) {
        return read(id, List.of(), s -> s.snapshots.entrySet().stream()
                .map(e -> new CheckpointInfo(e.getKey(), e.getValue())).toList());
    }

    /** One experiment's view under the lock, or {@code absent} when the experiment is unknown. */
    private <T> T read(String id, T absent, java.util.function.Function<ExperimentState, T> view) {
        synchronized (lock) {
            ExperimentState s = experiments.get(id);
            return s == null ? absent : view.apply(s);
        }
    }

    public boolean hasCheckpoint(String id, long step) {
        synchronized (lock) {
            ExperimentState s = experiments.get(id);
            return s != null && s.snapshots.containsKey(step);
        }
    }

    public byte[] checkpointBytes(String id, long step) {
        return snapshots.read(id, step);
    }

    public List<DeadLetterEntry> deadLetters() {
        synchronized (lock) {
            return List.copyOf(deadLetters);
        }
    }

    public long deadLetterTotal() {
        synchronized (lock) {
            return deadLetterTotal;
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
            m.put("metric_points", experiments.values().stream().mapToLong(s -> s.metrics.size()).sum());
            m.put("measure_points", experiments.values().stream().mapToLong(s -> s.measures.size()).sum());
            m.put("snapshots", experiments.values().stream().mapToLong(s -> s.snapshots.size()).sum());
            m.put("dead_letters", deadLetterTotal);
            return m;
        }
    }

    /**
     * Everything the views hold, in a deterministic order: two folds over the same topics give equal maps
     * (the view-rebuild test compares them).
     */
    public Map<String, Object> canonical() {
        synchronized (lock) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tasks", tasks.values().stream().map(TaskSummary::of).toList());
            Map<String, Object> exps = new TreeMap<>();
            for (ExperimentState s : experiments.values()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("detail", s.submitted == null ? null : s.detail());
                e.put("metrics", List.copyOf(s.metrics.values()));
                e.put("measures", List.copyOf(s.measures.values()));
                e.put("latestMeasured", s.latestMeasured);
                e.put("snapshots", new TreeMap<>(s.snapshots));
                exps.put(s.experimentId, e);
            }
            out.put("experiments", exps);
            out.put("deadLetters", List.copyOf(deadLetters));
            return out;
        }
    }

    private static Integer intOrNull(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longOrNull(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
