package io.grokstream.contracts;

import java.time.Instant;

/** A run could not go on: why, and at which step. */
public record TrainingFailed(String experimentId, long step, String reason, Instant failedAt) implements GrokEvent {
    @Override
    public String subject() {
        return experimentId;
    }

    @Override
    public String dedupeKey() {
        return "failed";
    }
}
