package io.grokstream.contracts;

import java.time.Instant;

/** A worker took an experiment: which worker, on which device, resumed from which step (0 for a fresh run). */
public record TrainingStarted(String experimentId, String workerId, String device, long resumedFromStep,
                              Instant startedAt) implements GrokEvent {
    @Override
    public String subject() {
        return experimentId;
    }

    @Override
    public String dedupeKey() {
        return workerId + "@" + resumedFromStep;
    }
}
