package io.grokstream.trainer.engine;

import io.grokstream.contracts.GrokCriterion;

/**
 * Engine settings that are not part of an experiment: how a run guards itself and what it calls memorised and
 * grokked. {@link #defaults()} is what workers and the CLI use.
 *
 * @param rollbackLrFactor     the learning rate is multiplied by this after each rollback (0.5 halves it)
 * @param maxRollbacks         rollbacks allowed before the run fails
 * @param spikeFloor           a train loss below this is "tiny" for spike detection
 * @param spikeFactor          a jump by more than this factor from a tiny loss is a spike (reported, not rolled back)
 * @param grok                 what counts as memorised and grokked ({@link GrokCriterion#STANDARD} on the platform)
 * @param evalChunkRows        rows per forward pass when evaluating (bounds memory on big tasks)
 */
public record EngineOptions(double rollbackLrFactor, int maxRollbacks, double spikeFloor, double spikeFactor,
                            GrokCriterion grok, int evalChunkRows) {

    public EngineOptions {
        if (!(rollbackLrFactor > 0 && rollbackLrFactor <= 1)) {
            throw new IllegalArgumentException("rollbackLrFactor must be in (0, 1], got " + rollbackLrFactor);
        }
        if (maxRollbacks < 0) {
            throw new IllegalArgumentException("maxRollbacks must be >= 0, got " + maxRollbacks);
        }
        if (!(spikeFactor > 1)) {
            throw new IllegalArgumentException("spikeFactor must be > 1, got " + spikeFactor);
        }
        if (grok == null) {
            throw new IllegalArgumentException("a grok criterion is needed");
        }
        if (evalChunkRows < 1) {
            throw new IllegalArgumentException("evalChunkRows must be >= 1, got " + evalChunkRows);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(0.5, 3, 1e-3, 100.0, GrokCriterion.STANDARD, 16_384);
    }
}
