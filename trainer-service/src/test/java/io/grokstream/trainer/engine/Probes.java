package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** {@link StepProbe}s for the engine's tests. */
final class Probes {

    private Probes() {
    }

    /** Makes the loss of step {@code t} (1-based) non-finite once, to exercise the rollback path. */
    static StepProbe poisonLossAt(long t) {
        return new StepProbe() {
            private boolean done;

            @Override
            public NDArray loss(long step, NDArray loss, NDManager stepManager) {
                if (step != t || done) {
                    return loss;
                }
                done = true;
                return loss.mul(Transformer.constant(Double.NaN, loss.getDataType(), stepManager));
            }
        };
    }

    /** Counts the arrays alive in a run's manager tree. */
    static final class LiveArrays implements StepProbe {
        private volatile NDManager run;

        @Override
        public void opened(NDManager runManager) {
            run = runManager;
        }

        /** Arrays alive in the run's manager tree, or -1 before it opens. */
        int count() {
            NDManager m = run;
            return m == null ? -1 : m.getManagedArrays().size();
        }
    }
}
