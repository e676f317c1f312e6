package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * {@link Dropout} for a stack of models: model i's slice gets the very mask its separate run draws at this step and
 * site (from model i's own seed), so dropout does not break the stacked trajectory's equality with the separate one.
 */
interface StackedDropout {

    StackedDropout NONE = (x, site, sm) -> x;

    /** {@code x [M, ...]} times each model's mask for {@code site}. */
    NDArray apply(NDArray x, int site, NDManager sm);

    /** The dropout of step {@code t} for models with the given seeds, probability {@code p}. */
    static StackedDropout forStep(double p, long[] seeds, long t) {
        if (p == 0) {
            return NONE;
        }
        return (x, site, sm) -> {
            Shape one = x.getShape().slice(1);
            NDList masks = new NDList();
            for (long seed : seeds) {
                // ones times the model's mask is the mask itself, bit for bit
                masks.add(Dropout.forStep(p, seed, t).apply(sm.ones(one, x.getDataType()), site, sm));
            }
            return x.mul(NDArrays.stack(masks));
        };
    }
}
