package io.grokstream.analysis.consume;

import java.time.Instant;

/**
 * The state of a replay of every stored snapshot for the current analysis version.
 *
 * @param state {@code running}, {@code done} or {@code failed}
 */
public record Replay(String id, String version, String state, int analysed, int alreadyMeasured, int deadLettered,
                     long records, Instant startedAt, Instant finishedAt, String error) {
}
