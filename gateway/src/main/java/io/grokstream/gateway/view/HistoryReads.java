package io.grokstream.gateway.view;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.gateway.view.ViewStore.Family;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An experiment's histories as the store holds them, read on demand: nothing of a history stays in heap between
 * requests (RocksDB's block cache keeps the hot blocks). Each read scans the steps asked for, in step order.
 */
public final class HistoryReads {
    private final ViewStore store;

    HistoryReads(ViewStore store) {
        this.store = store;
    }

    /** Metric rows with steps in {@code range}. */
    public List<MetricPoint> metrics(String id, StepRange range) {
        List<MetricPoint> out = new ArrayList<>();
        store.steps(Family.METRICS, id, range.from(), range.to(), (step, v) -> out.add(ViewCodec.metric(v)));
        return out;
    }

    /** Measure rows with steps in {@code range}, without spectra (those stay on disk: {@link #withSpectra}). */
    public List<MeasurePoint> measures(String id, StepRange range) {
        List<MeasurePoint> out = new ArrayList<>();
        store.steps(Family.MEASURES, id, range.from(), range.to(),
                (step, v) -> out.add(ViewCodec.read(v, MeasurePoint.class)));
        return out;
    }

    /** The same rows with the spectra whose names pass {@code wanted}, read from disk for these steps only. */
    public List<MeasurePoint> withSpectra(String id, List<MeasurePoint> points, Predicate<String> wanted) {
        List<MeasurePoint> with = new ArrayList<>(points.size());
        for (MeasurePoint p : points) {
            Map<String, double[]> kept = new LinkedHashMap<>();
            ViewCodec.spectra(store.get(Family.SPECTRA, ViewStore.stepKey(id, p.step()))).forEach((name, values) -> {
                if (wanted.test(name)) {
                    kept.put(name, values);
                }
            });
            with.add(new MeasurePoint(p.experimentId(), p.step(), p.analysisVersion(), p.scalars(),
                    p.keyFrequencies(), kept));
        }
        return with;
    }

    /** The latest ProgressMeasured in full: scalars, spectra, grids. */
    public Optional<ProgressMeasured> latestMeasured(String id) {
        byte[] v = store.get(Family.LATEST, ViewStore.key(id));
        return v == null ? Optional.empty() : Optional.of(EventCodec.decode(ProgressMeasured.class, v));
    }

    /** The stored snapshots, by step, with their sizes and why each was taken. */
    public List<CheckpointInfo> checkpoints(String id) {
        List<CheckpointInfo> out = new ArrayList<>();
        store.steps(Family.SNAPSHOTS, id, 0, Long.MAX_VALUE, (step, v) -> out.add(CheckpointInfo.of(step, v)));
        return out;
    }
}
