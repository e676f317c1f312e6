package io.grokstream.analysis.consume;

import io.grokstream.analysis.AnalysisConfig;
import io.grokstream.analysis.measure.PhaseTracker;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.StepMetrics;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link PhaseTracker} per experiment, fed by the training metrics fold and this service's measures, and the
 * phases already reported for the current analysis version (folded from the measures topic), so each
 * {@link PhaseDetected} goes out once per (experiment, phase, version).
 */
@ApplicationScoped
public class PhaseBook {
    private final Map<String, PhaseTracker> trackers = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();
    private final AnalysisConfig config;
    private final EventPublisher publisher;
    private volatile boolean publishing;
    /** The experiments this instance publishes phases for: those whose snapshots it measures (all until assigned). */
    private volatile java.util.function.Predicate<String> owned = id -> true;

    public PhaseBook(AnalysisConfig config, EventPublisher publisher) {
        this.config = config;
        this.publisher = publisher;
    }

    /** Until the measures topic is folded, phases are only collected: the ledger may still name reported ones. */
    void startPublishing() {
        publishing = true;
        trackers.keySet().forEach(this::publishNew);
    }

    /** Several instances fold every experiment; only the one reading its snapshot partition reports its phases. */
    void ownOnly(java.util.function.Predicate<String> owns) {
        this.owned = owns;
        if (publishing) {
            trackers.keySet().forEach(this::publishNew);
        }
    }

    void recordReported(PhaseDetected d) {
        if (config.version().equals(d.analysisVersion())) {
            reported.computeIfAbsent(d.experimentId(), e -> ConcurrentHashMap.newKeySet()).add(d.phase());
        }
    }

    void observeMetrics(StepMetrics m) {
        PhaseTracker t = tracker(m.experimentId());
        synchronized (t) {
            t.observeMetrics(m.step(), m.trainAccuracy(), m.validationAccuracy(), m.validationLoss(),
                    m.weightSquaredTotal());
        }
        publishNew(m.experimentId());
    }

    void observeMeasures(ProgressMeasured m) {
        if (!config.version().equals(m.analysisVersion())) {
            return;
        }
        PhaseTracker t = tracker(m.experimentId());
        synchronized (t) {
            t.observeMeasures(m.step(), m.scalars());
        }
        publishNew(m.experimentId());
    }

    public Set<String> reported(String experimentId) {
        return Set.copyOf(reported.getOrDefault(experimentId, Set.of()));
    }

    private PhaseTracker tracker(String experimentId) {
        return trackers.computeIfAbsent(experimentId,
                e -> new PhaseTracker(GrokCriterion.STANDARD));
    }

    private void publishNew(String experimentId) {
        if (!publishing || !owned.test(experimentId)) {
            return;
        }
        PhaseTracker t = tracker(experimentId);
        synchronized (t) {
            Set<String> done = reported.computeIfAbsent(experimentId, e -> ConcurrentHashMap.newKeySet());
            List<PhaseTracker.Detection> found = t.detect(done);
            for (PhaseTracker.Detection d : found) {
                publisher.publishAndWait(new PhaseDetected(experimentId, d.phase(), d.step(), d.evidence(), config.version()));
                done.add(d.phase());
            }
        }
    }
}
