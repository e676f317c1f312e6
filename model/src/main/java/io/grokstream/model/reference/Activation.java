package io.grokstream.model.reference;

import java.util.Arrays;

/**
 * A dense float64 array in row-major order with its shape: an activation of the reference forward pass, laid out
 * as ONNX Runtime and DJL return it ({@code toFloatArray()}), so parity checks compare flat arrays index by index.
 */
public record Activation(int[] shape, double[] values) {

    public Activation {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + values.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The value at a multi-index, e.g. {@code get(batch, head, query, key)} for an attention pattern. */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("need " + shape.length + " indices, got " + index.length);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside " + Arrays.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return values[flat];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation a && Arrays.equals(a.shape, shape) && Arrays.equals(a.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Activation" + Arrays.toString(shape);
    }
}
