package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.grokstream.model.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies between DJL arrays and safetensors {@link Tensor}s, bit for bit: a weight leaves the native heap and comes
 * back unchanged, which is what makes a resumed run bit-identical. Bulk copies only ({@code toFloatArray}), never
 * per-element getters in loops (one native call per element).
 */
final class TensorConversions {

    private TensorConversions() {
    }

    static Tensor tensor(double[] values, Tensor.DType dtype, int... shape) {
        if (dtype == Tensor.DType.F64) {
            return Tensor.ofDoubles(values, shape);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensor.ofFloats(f, shape);
    }

    static Tensor tensor(NDArray a) {
        int[] shape = Arrays.stream(a.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
        return switch (a.getDataType()) {
            case FLOAT32 -> Tensor.ofFloats(a.toFloatArray(), shape);
            case FLOAT64 -> Tensor.ofDoubles(a.toDoubleArray(), shape);
            case INT64 -> Tensor.ofLongs(a.toLongArray(), shape);
            default -> throw new IllegalArgumentException("cannot store an array of type " + a.getDataType());
        };
    }

    /** Host copies of {@code arrays}, names and order kept. */
    static Map<String, Tensor> tensors(Map<String, NDArray> arrays) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(k, tensor(a)));
        return out;
    }

    /** Native copies of {@code tensors} in {@code manager} ({@link #array}), names and order kept. */
    static Map<String, NDArray> arrays(Map<String, Tensor> tensors, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, array(t, manager)));
        return out;
    }

    /**
     * A native copy of {@code t} in {@code manager}, in memory libtorch allocated itself.
     *
     * <p>Why the extra copy: DJL's {@code create} wraps a Java direct buffer ({@code torch::from_blob}), whose address
     * is only as aligned as {@code malloc} happened to make it. MKL picks different kernels (and so rounds
     * differently) for differently aligned operands, which made two runs with the same seed drift apart after a few
     * dozen steps. {@code duplicate()} clones into libtorch's 64-byte aligned allocation: same seed, same bits.
     */
    static NDArray array(Tensor t, NDManager manager) {
        Shape shape = new Shape(Arrays.stream(t.shape()).asLongStream().toArray());
        NDArray wrapped = switch (t.dtype()) {
            case F32 -> manager.create(t.floats(), shape);
            case F64 -> manager.create(t.doubles(), shape);
            case I64 -> manager.create(t.longs(), shape);
            default -> throw new IllegalArgumentException("cannot load a tensor of type " + t.dtype());
        };
        try (wrapped) {
            return wrapped.duplicate();
        }
    }

    static DataType dataType(String modelDtype) {
        return "float64".equals(modelDtype) ? DataType.FLOAT64 : DataType.FLOAT32;
    }
}
