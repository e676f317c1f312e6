package io.grokstream.model;

import java.util.Arrays;

/** A parameter's TransformerLens name and shape, e.g. {@code blocks.0.attn.W_Q [4, 128, 32]}. */
public record ParameterSpec(String name, int... shape) {
    public ParameterSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("parameter name must not be blank");
        }
        shape = shape.clone();
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(name + ": every dimension must be positive, got " + Arrays.toString(shape));
            }
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of scalars. */
    public long size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** True for LayerNorm scales, initialised to one; every other parameter starts random or zero. */
    public boolean isLayerNormScale() {
        return name.endsWith(".w") && (name.contains("ln1") || name.contains("ln2") || name.startsWith("ln_final"));
    }

    /** True for biases and LayerNorm offsets, initialised to zero. */
    public boolean isBias() {
        return name.contains(".b_") || name.endsWith(".b");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
