package io.grokstream.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The phases of grokking the analysis service detects (Nanda et al. 2023, Section 5.2, Figure 7, with the platform's
 * {@link GrokCriterion} for memorised and grokked), in the order a run that groks passes them: the {@code phase} of
 * {@link PhaseDetected} on the wire, lower case.
 */
public enum Phase {
    /** Training is observed (the first step). */
    MEMORISATION,
    /** The training accuracy reached the criterion's threshold. */
    MEMORISED,
    /** Once memorised, the restricted loss falls while the validation accuracy is still low. */
    CIRCUIT_FORMATION,
    /** The validation accuracy rises while weight decay prunes the memorising weights. */
    CLEANUP,
    /** Once memorised, the validation accuracy reached the criterion's threshold. */
    GROKKED;

    /** The word on the wire: {@code memorisation}, {@code memorised}, {@code circuit_formation}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The phase a wire word names, or empty. */
    public static Optional<Phase> of(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire().equals(wire)).findFirst();
    }
}
