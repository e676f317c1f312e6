package io.grokstream.gateway.view;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.grokstream.contracts.ExperimentSubmitted;

import java.time.Instant;

/**
 * One experiment in full: its summary, the submission it came from, where it runs and how it ended.
 *
 * @param endReason the trainer's completion reason or failure reason, null while running
 */
public record ExperimentDetail(
        @JsonUnwrapped ExperimentSummary summary,
        ExperimentSubmitted config,
        String worker,
        String device,
        Instant startedAt,
        String endReason,
        int anomalies,
        int checkpoints) {
}
