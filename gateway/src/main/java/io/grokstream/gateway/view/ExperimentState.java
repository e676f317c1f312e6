package io.grokstream.gateway.view;

import io.grokstream.contracts.EndReason;
import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.Phase;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The folded state of one experiment without its histories (those are in the {@link ViewStore}, keyed by step, so a
 * re-published step replaces the earlier one): a few KB whatever the run's length, kept in heap and stored as JSON
 * beside the histories. Not thread-safe: {@link ViewState} guards it with its lock.
 */
final class ExperimentState {
    /** What the metric history alone marks as memorised and grokked: the platform's one criterion. */
    static final GrokCriterion CRITERION = GrokCriterion.STANDARD;

    String experimentId;
    ExperimentSubmitted submitted;
    ExperimentStatus status = ExperimentStatus.SUBMITTED;
    String worker;
    String device;
    Instant startedAt;
    String endReason;
    int anomalies;
    Long completedGrokStep;
    Long completedMemorisedStep;
    Long metricsGrokStep;
    Long metricsMemorisedStep;
    boolean cancelRequested;
    /** The metric row of the highest step, and how many steps the history holds. */
    MetricPoint lastMetric;
    long metricCount;
    long measureCount;
    /** Step and analysis version of the ProgressMeasured stored whole ({@link ViewStore.Family#LATEST}). */
    Long latestMeasuredStep;
    String latestMeasuredVersion;
    long snapshotCount;
    Map<String, PhaseDetected> phases = new LinkedHashMap<>();

    ExperimentState(String experimentId) {
        this.experimentId = experimentId;
    }

    private ExperimentState() {
        // for the store's JSON reader
    }

    boolean submit(ExperimentSubmitted e) {
        if (submitted != null) {
            return false;
        }
        submitted = e;
        return true;
    }

    void started(TrainingStarted e) {
        worker = e.workerId();
        device = e.device();
        startedAt = e.startedAt();
        if (!terminalForGood()) {
            status = ExperimentStatus.RUNNING;
            endReason = null;
        }
    }

    /** Folds one metrics row; {@code newStep}: the history held no row at this step yet. */
    void metrics(StepMetrics m, boolean newStep) {
        if (newStep) {
            metricCount++;
        }
        if (lastMetric == null || m.step() >= lastMetric.step()) {
            lastMetric = MetricPoint.of(m);
        }
        if (status == ExperimentStatus.SUBMITTED) {
            status = ExperimentStatus.RUNNING;
        }
        if (CRITERION.memorised(m.trainAccuracy()) && (metricsMemorisedStep == null || m.step() < metricsMemorisedStep)) {
            metricsMemorisedStep = m.step();
        }
        if (CRITERION.grokked(m.validationAccuracy()) && (metricsGrokStep == null || m.step() < metricsGrokStep)) {
            metricsGrokStep = m.step();
        }
    }

    void completed(TrainingCompleted e) {
        boolean cancel = EndReason.of(e.reason()).orElse(null) == EndReason.CANCELLED;
        status = cancel ? ExperimentStatus.CANCELLED : ExperimentStatus.COMPLETED;
        endReason = e.reason();
        completedGrokStep = e.grokStep();
        completedMemorisedStep = e.memorisedStep();
    }

    void failed(TrainingFailed e) {
        if (!terminalForGood()) {
            status = ExperimentStatus.FAILED;
            endReason = e.reason();
        }
    }

    void cancelled(ExperimentCancelled e) {
        cancelRequested = true;
        if (!terminalForGood()) {
            status = ExperimentStatus.CANCELLED;
            endReason = e.reason() == null ? "cancelled by " + e.team() : e.reason();
        }
    }

    /**
     * Keeps the newest analysis version per step: whether {@code m} replaces the stored point ({@code old}, null
     * when the step has none).
     */
    boolean measured(ProgressMeasured m, MeasurePoint old) {
        if (old != null && VersionOrder.compare(old.analysisVersion(), m.analysisVersion()) > 0) {
            return false;
        }
        if (old == null) {
            measureCount++;
        }
        return true;
    }

    /** Whether {@code m} is now the latest measured step (the one {@code /measures/latest} serves); records it. */
    boolean becomesLatest(ProgressMeasured m) {
        if (latestMeasuredStep == null || m.step() > latestMeasuredStep || m.step() == latestMeasuredStep
                && VersionOrder.compare(latestMeasuredVersion, m.analysisVersion()) <= 0) {
            latestMeasuredStep = m.step();
            latestMeasuredVersion = m.analysisVersion();
            return true;
        }
        return false;
    }

    /** Keeps the newest analysis version per phase name. */
    boolean phase(PhaseDetected p) {
        PhaseDetected old = phases.get(p.phase());
        if (old != null && VersionOrder.compare(old.analysisVersion(), p.analysisVersion()) > 0) {
            return false;
        }
        phases.put(p.phase(), p);
        return true;
    }

    private boolean terminalForGood() {
        return status == ExperimentStatus.COMPLETED || status == ExperimentStatus.CANCELLED;
    }

    ExperimentSummary summary() {
        ExperimentSubmitted s = submitted;
        long maxSteps = s.budget() == null ? 0 : s.budget().maxSteps();
        MetricPoint last = lastMetric;
        long step = last == null ? 0 : last.step();
        Double sps = last == null || last.stepMillis() <= 0 ? null : 1000.0 / last.stepMillis();
        Double eta = sps == null || status != ExperimentStatus.RUNNING ? null
                : Math.max(0, maxSteps - step) / sps;
        ExperimentSummary.Latest latest = last == null ? null : new ExperimentSummary.Latest(last.trainLoss(),
                last.validationLoss(), last.trainAccuracy(), last.validationAccuracy());
        List<ExperimentSummary.Phase> ps = new ArrayList<>();
        for (PhaseDetected p : phases.values()) {
            ps.add(new ExperimentSummary.Phase(p.phase(), p.step(), p.evidence()));
        }
        ps.sort(Comparator.comparingLong(ExperimentSummary.Phase::step).thenComparing(ExperimentSummary.Phase::phase));
        return new ExperimentSummary(experimentId, s.name(), s.team(), s.taskId(), status.wire(), step, maxSteps, sps, eta,
                latest, firstNonNull(phaseStep(Phase.GROKKED.wire()), completedGrokStep, metricsGrokStep),
                firstNonNull(phaseStep(Phase.MEMORISED.wire()), completedMemorisedStep, metricsMemorisedStep),
                ps, s.publicRead(), s.sweepId(), s.clonedFrom(), s.submittedAt());
    }

    ExperimentDetail detail() {
        return new ExperimentDetail(summary(), submitted, worker, device, startedAt, endReason, anomalies,
                (int) snapshotCount);
    }

    private Long phaseStep(String name) {
        PhaseDetected p = phases.get(name);
        return p == null ? null : p.step();
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
