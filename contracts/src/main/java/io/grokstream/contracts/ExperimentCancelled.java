package io.grokstream.contracts;

import java.time.Instant;

/** A team cancels its experiment; the worker training it stops within a few steps. */
public record ExperimentCancelled(String experimentId, String team, String reason, Instant cancelledAt)
        implements GrokEvent {
    @Override
    public String subject() {
        return experimentId;
    }

    @Override
    public String dedupeKey() {
        return "cancel";
    }
}
