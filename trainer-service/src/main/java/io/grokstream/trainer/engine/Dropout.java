package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Dropout on the training forward pass ({@code ModelConfig.dropout}): each attention and MLP output is multiplied,
 * before it joins the residual stream, by a mask of {@code 0} (probability p) and {@code 1 / (1 - p)}, as PyTorch's
 * {@code nn.Dropout} in training mode. Evaluation never drops.
 *
 * <p>The masks are drawn on the host from {@link SplitMix64} seeded with (run seed, step, site), not from
 * libtorch's global generator: a step's masks are then a pure function of the seed and the step, so a run resumed
 * from a checkpoint draws the very same masks, and two runs sharing a worker cannot disturb each other's stream.
 */
interface Dropout {

    /** No dropout: evaluation, and runs with p = 0. */
    Dropout NONE = (x, site, sm) -> x;

    /** {@code x} times this step's mask for {@code site} (one site per block output, numbered by the caller). */
    NDArray apply(NDArray x, int site, NDManager sm);

    /** The dropout of step {@code t} of a run with probability {@code p} and seed {@code seed}. */
    static Dropout forStep(double p, long seed, long t) {
        if (p == 0) {
            return NONE;
        }
        double keep = 1.0 / (1.0 - p);
        long stepSeed = SplitMix64.mix(seed, SplitMix64.mix(0xD809L, t));
        return (x, site, sm) -> {
            Shape shape = x.getShape();
            SplitMix64 rng = new SplitMix64(SplitMix64.mix(stepSeed, site));
            double[] mask = new double[Math.toIntExact(shape.size())];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = rng.nextDouble() < p ? 0.0 : keep;
            }
            NDArray m = sm.create(mask, shape);
            return x.mul(x.getDataType() == DataType.FLOAT64 ? m : m.toType(x.getDataType(), false));
        };
    }
}
