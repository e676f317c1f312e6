package io.grokstream.contracts;

/**
 * What the platform calls memorised and grokked, in one place: the trainer's {@code memorisedStep} and
 * {@code grokStep}, the analysis service's phases and the gateway's views all use {@link #STANDARD}, so "grokked at"
 * means the same whichever service reported it first.
 *
 * <p>Memorised: the training accuracy reaches {@code memorisedTrainAccuracy} (0.99: the network fits its training
 * pairs, as in Nanda et al. 2023, where train accuracy is near 100% long before the test accuracy moves). Grokked:
 * the validation accuracy reaches {@code grokkedValidationAccuracy} (0.95: Lee et al. 2024 time grokking as the steps
 * to 95% validation accuracy). A study may judge a paper's own claim by the paper's own threshold; the platform's
 * vocabulary is this one.
 *
 * @param memorisedTrainAccuracy    training accuracy from which a run counts as memorised, in (0, 1]
 * @param grokkedValidationAccuracy validation accuracy from which a run counts as grokked, in (0, 1]
 */
public record GrokCriterion(double memorisedTrainAccuracy, double grokkedValidationAccuracy) {

    /** The platform's criterion: memorised at 0.99 training accuracy, grokked at 0.95 validation accuracy. */
    public static final GrokCriterion STANDARD = new GrokCriterion(0.99, 0.95);

    /**
     * @throws IllegalArgumentException when a threshold is not in (0, 1]
     */
    public GrokCriterion {
        if (!(memorisedTrainAccuracy > 0 && memorisedTrainAccuracy <= 1)) {
            throw new IllegalArgumentException("memorisedTrainAccuracy must be in (0, 1], got " + memorisedTrainAccuracy);
        }
        if (!(grokkedValidationAccuracy > 0 && grokkedValidationAccuracy <= 1)) {
            throw new IllegalArgumentException("grokkedValidationAccuracy must be in (0, 1], got "
                    + grokkedValidationAccuracy);
        }
    }

    public boolean memorised(double trainAccuracy) {
        return trainAccuracy >= memorisedTrainAccuracy;
    }

    public boolean grokked(double validationAccuracy) {
        return validationAccuracy >= grokkedValidationAccuracy;
    }
}
