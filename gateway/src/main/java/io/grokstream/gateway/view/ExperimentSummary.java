package io.grokstream.gateway.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.grokstream.contracts.ExperimentStatus;

import java.time.Instant;
import java.util.List;

/**
 * One experiment as the list shows it: status, progress, latest metrics and detected phases.
 *
 * @param stepsPerSecond from the trainer's latest mean step time, null before the first metrics
 * @param etaSeconds     remaining budget at that rate, null unless running
 */
public record ExperimentSummary(
        String experimentId,
        String name,
        String team,
        String taskId,
        String status,
        long step,
        long maxSteps,
        Double stepsPerSecond,
        Double etaSeconds,
        Latest latest,
        Long grokStep,
        Long memorisedStep,
        List<Phase> phases,
        @JsonProperty("public") boolean publicRead,
        String sweepId,
        String clonedFrom,
        Instant submittedAt) {

    /** The newest metrics, or null before the first. */
    public record Latest(double trainLoss, double validationLoss, double trainAccuracy, double validationAccuracy) {
    }

    /** A detected phase or event and the step it began. */
    public record Phase(String phase, long step, String evidence) {
    }

    public boolean terminal() {
        return ExperimentStatus.of(status).map(ExperimentStatus::ended).orElse(false);
    }
}
