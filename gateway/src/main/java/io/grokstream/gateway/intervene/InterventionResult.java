package io.grokstream.gateway.intervene;

import java.util.List;
import java.util.Map;

/**
 * The answer to an intervention: per target, loss and accuracy over every input of the task, clean (the checkpoint
 * as it is) and intervened, each also over the training and validation rows; the p x p grid of which inputs each
 * target gets right (residue tasks); and the logits of the inputs the request named.
 *
 * @param intervention what was done, as the gateway understood it (defaults filled in)
 * @param rows         the task's inputs, all of which were run twice
 * @param grid         null when the task's inputs are not a p x p residue grid
 * @param millis       the time both passes took
 */
public record InterventionResult(String experimentId, long step, Map<String, Object> intervention, int rows,
                                 List<TargetOutcome> targets, Grid grid, List<InputLogits> logits, double millis) {

    public InterventionResult {
        intervention = Map.copyOf(intervention);
        targets = List.copyOf(targets);
        logits = List.copyOf(logits);
    }

    /** Mean cross-entropy (nats) and accuracy; the train and validation fields are null when the split has no rows. */
    public record Score(double loss, double accuracy, Double trainLoss, Double trainAccuracy, Double validationLoss,
                       Double validationAccuracy) {
    }

    public record TargetOutcome(String target, Score clean, Score intervened) {
    }

    /**
     * {@code clean[x * p + y]} and {@code intervened[x * p + y]}: 1 where the target's arg-max logit is the label of
     * input (x, y), else 0.
     */
    public record Grid(int p, List<GridTarget> targets) {
        public Grid {
            targets = List.copyOf(targets);
        }
    }

    public record GridTarget(String target, int[] clean, int[] intervened) {
    }

    /** One requested input's logits over the target's classes, before and after. */
    public record InputLogits(int[] tokens, String target, int label, double[] clean, double[] intervened) {
    }
}
