package io.grokstream.contracts;

import java.time.Instant;

/**
 * A run ended normally: budget spent, early stop reached, or cancelled ({@code reason}).
 *
 * @param grokStep the first step validation accuracy reached the grokking threshold, or {@code null}
 */
public record TrainingCompleted(String experimentId, long finalStep, double trainLoss, double validationLoss,
                                double trainAccuracy, double validationAccuracy, Long memorisedStep, Long grokStep,
                                String reason, Instant completedAt) implements GrokEvent {
    @Override
    public String subject() {
        return experimentId;
    }

    @Override
    public String dedupeKey() {
        return "completed";
    }
}
