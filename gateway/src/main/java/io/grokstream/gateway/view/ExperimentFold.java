package io.grokstream.gateway.view;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.gateway.view.ViewStore.Family;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fold step of one experiment's events: updates its {@link ExperimentState} in heap, puts the history rows and
 * the new state into the caller's batch, and says what changed for live subscribers. Called under
 * {@link ViewState}'s lock.
 */
final class ExperimentFold {
    private final ViewStore store;
    private final SnapshotStore snapshots;
    private final Map<String, ExperimentState> experiments;

    ExperimentFold(ViewStore store, SnapshotStore snapshots, Map<String, ExperimentState> experiments) {
        this.store = store;
        this.snapshots = snapshots;
        this.experiments = experiments;
    }

    /** {@code encoded}: the event's bytes as received (stored as they are where whole events are kept), or null. */
    List<LiveEvent> event(GrokEvent event, byte[] encoded, ViewStore.Batch batch) {
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
            metrics(s, m, batch, out);
        } else if (event instanceof TrainingCompleted e) {
            s.completed(e);
            out.add(status(s));
        } else if (event instanceof TrainingFailed e) {
            s.failed(e);
            out.add(status(s));
        } else if (event instanceof TrainingAnomaly) {
            s.anomalies++;
        } else if (event instanceof ProgressMeasured m) {
            measured(s, m, encoded == null ? EventCodec.encode(m) : encoded, batch, out);
        } else if (event instanceof PhaseDetected p && s.phase(p)) {
            out.add(live(LiveEvent.PHASE, s, p));
            out.add(status(s));
        }
        batch.put(Family.EXPERIMENTS, ViewStore.key(s.experimentId), ViewCodec.json(s));
        out.removeIf(e -> e == null);
        return out;
    }

    private void metrics(ExperimentState s, StepMetrics m, ViewStore.Batch batch, List<LiveEvent> out) {
        byte[] key = ViewStore.stepKey(s.experimentId, m.step());
        ExperimentStatus before = s.status;
        s.metrics(m, !store.contains(Family.METRICS, key));
        MetricPoint point = MetricPoint.of(m);
        batch.put(Family.METRICS, key, ViewCodec.metric(point));
        out.add(live(LiveEvent.METRICS, s, m));
        if (before != s.status) {
            out.add(status(s));
        }
    }

    private void measured(ExperimentState s, ProgressMeasured m, byte[] encoded, ViewStore.Batch batch,
                          List<LiveEvent> out) {
        byte[] key = ViewStore.stepKey(s.experimentId, m.step());
        MeasurePoint old = ViewCodec.read(store.get(Family.MEASURES, key), MeasurePoint.class);
        if (!s.measured(m, old)) {
            return;
        }
        MeasurePoint point = MeasurePoint.of(m);
        batch.put(Family.MEASURES, key, ViewCodec.json(point.withoutSpectra()));
        batch.put(Family.SPECTRA, key, ViewCodec.json(point.spectra()));
        if (s.becomesLatest(m)) {
            batch.put(Family.LATEST, ViewStore.key(s.experimentId), encoded); // grids and all, as published
        }
        out.add(live(LiveEvent.MEASURES, s, point.withoutSpectra()));
    }

    List<LiveEvent> snapshot(ConsumerRecord<String, byte[]> record, ViewStore.Batch batch) {
        SnapshotCodec.Snapshot snap = SnapshotCodec.fromRecord(record);
        ExperimentState s = experiments.computeIfAbsent(snap.experimentId(), ExperimentState::new);
        byte[] key = ViewStore.stepKey(snap.experimentId(), snap.step());
        if (store.contains(Family.SNAPSHOTS, key)) {
            return List.of();
        }
        if (snapshots != null && !snapshots.put(snap.experimentId(), snap.step(), record.value())) {
            return List.of();
        }
        s.snapshotCount++;
        var info = new CheckpointInfo(snap.step(), record.value().length,
                snap.metadata().get(SnapshotCodec.META_REASON));
        batch.put(Family.SNAPSHOTS, key, info.stored());
        batch.put(Family.EXPERIMENTS, ViewStore.key(s.experimentId), ViewCodec.json(s));
        LiveEvent e = live(LiveEvent.CHECKPOINT, s, info);
        return List.of(e);
    }

    private LiveEvent status(ExperimentState s) {
        return s.submitted == null ? null : live(LiveEvent.STATUS, s, s.summary());
    }

    private static LiveEvent live(String name, ExperimentState s, Object data) {
        String team = s.submitted == null ? null : s.submitted.team();
        boolean pub = s.submitted != null && s.submitted.publicRead();
        return new LiveEvent(name, s.experimentId, team, pub, data);
    }
}
