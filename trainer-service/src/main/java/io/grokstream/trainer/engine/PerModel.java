package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One number per stacked model as a tensor {@code [M, 1, ..., 1]} that broadcasts over a parameter {@code [M, ...]}:
 * how a stack gives each model its own learning rate, decay or filter weight in one element-wise kernel. The values
 * are rounded to the run's dtype once, on the host, as libtorch rounds a Java scalar operand of a float32 op.
 */
final class PerModel {

    private PerModel() {
    }

    /** {@code values} shaped {@code [M, 1 x (rank - 1)]} in {@code dtype}, in {@code sm}. */
    static NDArray of(double[] values, int rank, DataType dtype, NDManager sm) {
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[0] = values.length;
        NDArray a = sm.create(values, new Shape(shape));
        return dtype == DataType.FLOAT64 ? a : a.toType(dtype, false);
    }

    /** {@code x} where {@code keep[i]}, zero in the slices of the others (whatever they held, NaN included). */
    static NDArray keep(NDArray x, boolean[] keep, NDManager sm) {
        boolean all = true;
        for (boolean k : keep) {
            all &= k;
        }
        if (all) {
            return x;
        }
        long[] shape = new long[x.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = keep.length;
        NDArray mask = sm.create(keep, new Shape(shape));
        return ai.djl.ndarray.NDArrays.where(mask.broadcast(x.getShape()), x, x.zerosLike());
    }
}
