package io.grokstream.trainer.engine;

import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Keeps everything a run reports, in order, for assertions. */
final class RecordingListener implements TrainingListener {
    final List<String> devices = new ArrayList<>();
    final List<Long> resumedFrom = new ArrayList<>();
    final List<StepMetrics> metrics = new ArrayList<>();
    final List<SnapshotCodec.Snapshot> snapshots = new ArrayList<>();
    final List<SnapshotCodec.Snapshot> checkpoints = new ArrayList<>();
    final List<TrainingAnomaly> anomalies = new ArrayList<>();
    TrainingCompleted completed;
    TrainingFailed failed;
    Consumer<StepMetrics> onMetrics = m -> { };

    @Override
    public void started(String device, long resumedFromStep) {
        devices.add(device);
        resumedFrom.add(resumedFromStep);
    }

    @Override
    public void metrics(StepMetrics m) {
        metrics.add(m);
        onMetrics.accept(m);
    }

    @Override
    public void snapshot(SnapshotCodec.Snapshot s) {
        snapshots.add(s);
    }

    @Override
    public void checkpoint(SnapshotCodec.Snapshot s) {
        checkpoints.add(s);
    }

    @Override
    public void anomaly(TrainingAnomaly a) {
        anomalies.add(a);
    }

    @Override
    public void completed(TrainingCompleted c) {
        completed = c;
    }

    @Override
    public void failed(TrainingFailed f) {
        failed = f;
    }

    SnapshotCodec.Snapshot lastSnapshot() {
        return snapshots.get(snapshots.size() - 1);
    }
}
