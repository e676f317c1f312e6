package io.grokstream.contracts;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why the trainer took a snapshot: the {@link SnapshotCodec#META_REASON} of its metadata on the wire. A fixed
 * cadence takes {@link #REGULAR} ones and the {@link #FINAL} one; an adaptive one ({@link SnapshotMode#ADAPTIVE})
 * adds the transition kinds, and {@link #LOOK_BACK} for the weights it kept from the steps just before one.
 */
public enum SnapshotReason {
    /** On the cadence (fixed), or the adaptive cadence's sparse spacing. */
    REGULAR("regular"),
    /** The run's last step. */
    FINAL("final"),
    /** Kept in memory and published when a transition was detected a few steps later. */
    LOOK_BACK("look_back"),
    /** The training accuracy crossed {@link GrokCriterion#memorisedTrainAccuracy()}. */
    MEMORISED(Phase.MEMORISED.wire()),
    /** The validation loss turned down after memorisation. */
    TEST_LOSS_TURN("test_loss_turn"),
    /** The validation accuracy rose fast between two metrics steps. */
    VALIDATION_RISE("validation_rise"),
    /** The validation accuracy crossed {@link GrokCriterion#grokkedValidationAccuracy()}. */
    GROKKED(Phase.GROKKED.wire()),
    /** A loss spike, as {@link TrainingAnomaly#LOSS_SPIKE} reports it. */
    LOSS_SPIKE(TrainingAnomaly.LOSS_SPIKE);

    private final String wire;

    SnapshotReason(String wire) {
        this.wire = wire;
    }

    /** The word on the wire. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Whether a detected transition caused it (not the sparse spacing, the last step or the look-back ring). */
    public boolean transition() {
        return this != REGULAR && this != FINAL && this != LOOK_BACK;
    }

    /** The reason a wire word names, or empty (a snapshot from before reasons, or a word this version lacks). */
    public static Optional<SnapshotReason> of(String wire) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(wire)).findFirst();
    }
}
