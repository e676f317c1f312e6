package io.grokstream.trainer.engine;

import io.grokstream.model.Initialization;
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
 *
 * <p>With {@link Initialization#PYTORCH} the draws follow PyTorch's module defaults instead (Lee et al.'s
 * {@code main.py} keeps them): embeddings {@code N(0, 1)} ({@code nn.Embedding}); W_Q, W_K, W_V Xavier-uniform
 * over {@code nn.MultiheadAttention}'s packed in-projection {@code [3 h d_head, d_model]}, bound
 * {@code sqrt(6 / (d_model + 3 h d_head))}; W_O, the MLP's weights and biases and the head
 * {@code U(±1/sqrt(fan_in))} ({@code nn.Linear}'s kaiming-uniform with a = sqrt 5); attention biases zero (as
 * {@code _reset_parameters} sets them); LayerNorm one and zero.
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
            if (config.initialization() == Initialization.PYTORCH) {
                pytorch(config, spec, values, rng);
            } else if (spec.isLayerNormScale()) {
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

    private static void pytorch(ModelConfig c, ParameterSpec spec, double[] values, SplitMix64 rng) {
        String n = spec.name();
        int hd = c.nHeads() * c.dHead();
        if (spec.isLayerNormScale()) {
            java.util.Arrays.fill(values, 1.0);
        } else if (n.startsWith("embed.") || n.startsWith("pos_embed.")) {
            rng.fillGaussian(values);
        } else if (n.endsWith("attn.W_Q") || n.endsWith("attn.W_K") || n.endsWith("attn.W_V")) {
            uniform(values, Math.sqrt(6.0 / (c.dModel() + 3.0 * hd)), rng);
        } else if (n.endsWith("attn.W_O")) {
            uniform(values, 1 / Math.sqrt(hd), rng);
        } else if (n.contains(".attn.b_") || spec.isBias() && !n.contains(".mlp.")) {
            java.util.Arrays.fill(values, 0.0);
        } else if (n.endsWith("mlp.W_in") || n.endsWith("mlp.b_in")) {
            uniform(values, 1 / Math.sqrt(c.dModel()), rng);
        } else if (n.endsWith("mlp.W_out") || n.endsWith("mlp.b_out")) {
            uniform(values, 1 / Math.sqrt(c.dMlp()), rng);
        } else if (n.startsWith("unembed.")) {
            uniform(values, 1 / Math.sqrt(c.dModel()), rng);
        } else {
            throw new IllegalStateException("no PyTorch initialisation for " + spec);
        }
    }

    private static void uniform(double[] values, double bound, SplitMix64 rng) {
        for (int i = 0; i < values.length; i++) {
            values[i] = bound * (2 * rng.nextDouble() - 1);
        }
    }
}
