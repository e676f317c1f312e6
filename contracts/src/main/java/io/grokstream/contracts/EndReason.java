package io.grokstream.contracts;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a run ended without failing: the {@code reason} of {@link TrainingCompleted} on the wire. A failure carries
 * its own text in {@link TrainingFailed}.
 */
public enum EndReason {
    /** The step budget ({@code budget.maxSteps}) was trained. */
    BUDGET("budget"),
    /** The validation accuracy reached {@code budget.stopAtValidationAccuracy}. */
    EARLY_STOP("early_stop"),
    /** An {@link ExperimentCancelled} stopped it (or it was cancelled before it started). */
    CANCELLED("cancelled");

    private final String wire;

    EndReason(String wire) {
        this.wire = wire;
    }

    /** The word on the wire. */
    public String wire() {
        return wire;
    }

    /** The reason a wire word names, or empty (a reason this version does not know). */
    public static Optional<EndReason> of(String wire) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(wire)).findFirst();
    }
}
