package io.grokstream.contracts;

/**
 * A training phase began (Nanda et al. 2023, Section 5.2): {@code memorisation}, {@code circuit_formation},
 * {@code cleanup}, or the events {@code memorised} and {@code grokked}, with the evidence in words.
 */
public record PhaseDetected(String experimentId, String phase, long step, String evidence, String analysisVersion)
        implements GrokEvent {
    @Override
    public String subject() {
        return experimentId;
    }

    @Override
    public String dedupeKey() {
        return analysisVersion + "@" + phase;
    }
}
