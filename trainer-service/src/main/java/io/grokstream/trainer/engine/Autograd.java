package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records the autograd graph on the calling thread only, and runs backward.
 *
 * <p>Why not DJL's {@code GradientCollector}: {@code PtGradientCollector} guards itself with a JVM-wide static flag,
 * so two training jobs on two worker threads would fail with "already collecting". PyTorch's grad mode is
 * thread-local, so switching it per thread (what the collector does underneath) lets several jobs train at once.
 * Outside a recording, grad mode is off: evaluation builds no graph and the optimizer may update leaves in place.
 */
final class Autograd implements AutoCloseable {

    private final boolean previous;

    private Autograd() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Starts recording on this thread; close to stop. */
    static Autograd record() {
        return new Autograd();
    }

    /** Switches recording off on this thread (the state every job starts its thread in). */
    static void off() {
        JniUtils.setGradMode(false);
    }

    /** d loss / d leaf into every leaf's {@code .grad} (accumulated: zero gradients after each step). */
    void backward(NDArray scalarLoss) {
        try (NDArray ones = scalarLoss.onesLike()) {
            JniUtils.backward((PtNDArray) scalarLoss, (PtNDArray) ones, false, false);
        }
    }

    static void zeroGradient(NDArray leaf) {
        JniUtils.zeroGrad((PtNDArray) leaf);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
