package io.grokstream.model.reference;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.ParameterSpec;
import io.grokstream.model.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random weights for a config, in the config's dtype: Gaussian with standard deviation 1/sqrt(fan-in)
 * (so activations stay of order one through the layers), biases and LayerNorm parameters random too, so a test
 * notices a forward pass that drops them.
 */
public final class RandomWeights {

    private RandomWeights() {
    }

    public static Map<String, Tensor> of(ModelConfig config, long seed) {
        Random rnd = new Random(seed);
        boolean f64 = config.dtype().equals("float64");
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (ParameterSpec spec : config.parameters()) {
            int[] shape = spec.shape();
            int fanIn = shape.length >= 2 ? shape[shape.length - 2] : 1;
            double std = spec.isBias() || spec.isLayerNormScale() ? 0.3 : 1.0 / Math.sqrt(fanIn);
            double[] v = new double[(int) spec.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (spec.isLayerNormScale() ? 1.0 : 0.0) + std * rnd.nextGaussian();
            }
            if (f64) {
                w.put(spec.name(), Tensor.ofDoubles(v, shape));
            } else {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                }
                w.put(spec.name(), Tensor.ofFloats(f, shape));
            }
        }
        return w;
    }
}
