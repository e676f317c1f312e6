package io.grokstream.trainer.engine;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.ParameterSpec;
import io.grokstream.model.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Initial weights as Nanda et al.'s grokking code draws them: every weight matrix {@code randn / sqrt(d_model)},
 * the unembedding {@code randn / sqrt(d_vocab)} (d_vocab = the input vocabulary, p + 1 for modular addition, as in
 * that code), biases zero and LayerNorm scales one. Draws come from {@link SplitMix64} seeded with the experiment's
 * seed, parameter by parameter in canonical order, so a seed fixes the weights on every machine; float32 runs round
 * the same float64 draws.
 */
final class Initializer {

    private Initializer() {
    }

    static Map<String, Tensor> initialWeights(ModelConfig config, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        Tensor.DType dtype = Tensor.DType.of(config.dtype());
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParameterSpec spec : config.parameters()) {
            double[] values = new double[Math.toIntExact(spec.size())];
            if (spec.isLayerNormScale()) {
                java.util.Arrays.fill(values, 1.0);
            } else if (!spec.isBias()) {
                rng.fillGaussian(values);
                double scale = spec.name().startsWith("unembed.")
                        ? 1.0 / Math.sqrt(config.dVocab()) : 1.0 / Math.sqrt(config.dModel());
                for (int i = 0; i < values.length; i++) {
                    values[i] *= scale;
                }
            }
            out.put(spec.name(), TensorConversions.tensor(values, dtype, spec.shape()));
        }
        return out;
    }
}
