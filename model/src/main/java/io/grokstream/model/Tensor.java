package io.grokstream.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named dense tensor as safetensors stores it: dtype, shape and little-endian bytes.
 *
 * <p>Keeping the raw bytes (not a float array) makes the codec round-trip byte for byte; {@link #floats()} and
 * {@link #doubles()} copy the values out for arithmetic.
 */
public record Tensor(DType dtype, int[] shape, byte[] data) {

    /** The element types grokstream writes. Names are the safetensors dtype strings. */
    public enum DType {
        F32(4), F64(8), I64(8), I32(4);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }

        /** The dtype for a {@link ModelConfig#dtype()} string. */
        public static DType of(String modelDtype) {
            return switch (modelDtype) {
                case "float32" -> F32;
                case "float64" -> F64;
                default -> throw new IllegalArgumentException("unknown dtype " + modelDtype);
            };
        }
    }

    public Tensor {
        shape = shape.clone();
        long n = elementCount(shape);
        if (n * dtype.bytes() != data.length) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and dtype " + dtype
                    + " needs " + n * dtype.bytes() + " bytes, got " + data.length);
        }
    }

    public static Tensor ofFloats(float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(DType.F32, shape, b.array());
    }

    public static Tensor ofDoubles(double[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new Tensor(DType.F64, shape, b.array());
    }

    public static Tensor ofLongs(long[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(DType.I64, shape, b.array());
    }

    /** Values as float32 (float64 tensors are narrowed). */
    public float[] floats() {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return switch (dtype) {
            case F32 -> {
                float[] out = new float[data.length / 4];
                b.asFloatBuffer().get(out);
                yield out;
            }
            case F64 -> {
                double[] d = doubles();
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = (float) d[i];
                }
                yield out;
            }
            default -> throw new IllegalStateException("tensor of dtype " + dtype + " has no float values");
        };
    }

    /** Values as float64 (float32 tensors are widened exactly). */
    public double[] doubles() {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return switch (dtype) {
            case F64 -> {
                double[] out = new double[data.length / 8];
                b.asDoubleBuffer().get(out);
                yield out;
            }
            case F32 -> {
                float[] f = floats();
                double[] out = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    out[i] = f[i];
                }
                yield out;
            }
            default -> throw new IllegalStateException("tensor of dtype " + dtype + " has no floating values");
        };
    }

    public long[] longs() {
        if (dtype != DType.I64) {
            throw new IllegalStateException("tensor of dtype " + dtype + " is not int64");
        }
        long[] out = new long[data.length / 8];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return elementCount(shape);
    }

    private static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.dtype == dtype && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
