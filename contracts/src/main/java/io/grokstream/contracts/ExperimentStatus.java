package io.grokstream.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an experiment stands, as the gateway's views say it ({@code status} on the wire, lower case): submitted
 * until a worker starts it, running, then completed, failed or cancelled.
 */
public enum ExperimentStatus {
    SUBMITTED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** The word on the wire: {@code submitted}, {@code running}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the experiment has ended and trains no more. */
    public boolean ended() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The status a wire word names, or empty. */
    public static Optional<ExperimentStatus> of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
    }
}
