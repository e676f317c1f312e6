package io.grokstream.contracts;

import java.util.Map;

/**
 * Training metrics after {@code step} optimizer steps, published every k steps. Consumers deduplicate on
 * (experiment, step): a resumed run may publish a step again.
 *
 * @param gradNormBefore L2 norm of each parameter's gradient before the GrokFast filter
 * @param gradNormAfter  the same after the filter (equal when GrokFast is off)
 * @param weightSquared  sum of squared weights per parameter
 * @param stepMillis     mean wall time per step since the last metrics event
 */
public record StepMetrics(
        String experimentId,
        long step,
        double trainLoss,
        double validationLoss,
        double trainAccuracy,
        double validationAccuracy,
        Map<String, Double> trainAccuracyPerTarget,
        Map<String, Double> validationAccuracyPerTarget,
        Map<String, Double> gradNormBefore,
        Map<String, Double> gradNormAfter,
        double gradNormTotal,
        Map<String, Double> weightSquared,
        double weightSquaredTotal,
        double lr,
        double stepMillis) implements GrokEvent {

    @Override
    public String subject() {
        return experimentId;
    }

    @Override
    public String dedupeKey() {
        return Long.toString(step);
    }
}
