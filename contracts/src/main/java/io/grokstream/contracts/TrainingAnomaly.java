package io.grokstream.contracts;

/**
 * A step produced a non-finite loss or gradient, or a loss spike (GrokFast's "slingshot"). {@code action} says
 * what the trainer did: {@code rollback} to the last checkpoint (with {@code detail} naming the lowered lr or
 * float64), {@code none} for a spike that is only reported.
 */
public record TrainingAnomaly(String experimentId, long step, String kind, String detail, String action)
        implements GrokEvent {
    /** The {@code kind} of a loss spike (reported, never rolled back). */
    public static final String LOSS_SPIKE = "loss_spike";

    @Override
    public String subject() {
        return experimentId;
    }

    @Override
    public String dedupeKey() {
        return kind + "@" + step;
    }
}
