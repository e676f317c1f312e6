package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A seam into a run for tests: they watch its native arrays or spoil a step's loss to drive the rollback path.
 * Production runs use {@link #NONE}, which changes nothing.
 */
interface StepProbe {

    StepProbe NONE = new StepProbe() {
    };

    /** The run's parameter manager, once it is open; every array the run keeps lives in its tree. */
    default void opened(NDManager runManager) {
    }

    /**
     * The loss of step {@code t} (1-based) before backward, while the graph is recorded; what it returns is
     * back-propagated. New scalars must come from {@link Transformer#constant} in {@code stepManager}.
     */
    default NDArray loss(long t, NDArray loss, NDManager stepManager) {
        return loss;
    }
}
