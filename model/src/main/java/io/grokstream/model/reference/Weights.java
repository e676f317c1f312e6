package io.grokstream.model.reference;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.ParameterSpec;
import io.grokstream.model.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks a snapshot's tensors against an architecture before anything computes with them, so a snapshot from
 * another config fails at the boundary with the parameter's name rather than deep inside a matrix product.
 */
public final class Weights {

    private Weights() {
    }

    /**
     * Returns the parameters of {@code config} in canonical order ({@link ModelConfig#parameters()}), each checked
     * for presence, shape and a floating dtype. Tensors the config does not name are ignored.
     *
     * @throws IllegalArgumentException naming the first missing, misshapen or non-float parameter
     */
    public static Map<String, Tensor> require(ModelConfig config, Map<String, Tensor> weights) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (ParameterSpec spec : config.parameters()) {
            Tensor t = weights.get(spec.name());
            if (t == null) {
                throw new IllegalArgumentException("weights: missing parameter " + spec);
            }
            if (!Arrays.equals(t.shape(), spec.shape())) {
                throw new IllegalArgumentException("weights: " + spec.name() + " must have shape "
                        + Arrays.toString(spec.shape()) + ", got " + Arrays.toString(t.shape()));
            }
            if (t.dtype() != Tensor.DType.F32 && t.dtype() != Tensor.DType.F64) {
                throw new IllegalArgumentException("weights: " + spec.name() + " must be F32 or F64, got " + t.dtype());
            }
            ordered.put(spec.name(), t);
        }
        return ordered;
    }
}
