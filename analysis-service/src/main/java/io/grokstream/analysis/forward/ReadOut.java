package io.grokstream.analysis.forward;

import io.grokstream.analysis.math.Dense;
import io.grokstream.analysis.math.Products;
import io.grokstream.model.ModelConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one-layer model's logits read off the final residual stream {@code resid_mid + post W_out + b_out}, every
 * output group's W_U in one product: for read-outs wider than the residual stream (many groups), n (m d + d C)
 * multiply-adds instead of {@link OneLayerForward}'s n (d + m) C through W_L = W_out W_U per group. The same sums
 * in another order, so the same logits to the engine's rounding.
 */
final class ReadOut {
    private ReadOut() {
    }

    /**
     * @param groups the groups' W_U [d, classes] in the order their logits are wanted
     * @param mid    resid_mid [n, d] (null on the float32 path, then {@code midF})
     * @param post   the MLP's activations [n, d_mlp] (null on the float32 path, then {@code postF})
     * @return each group's logits [n, classes]
     */
    static Map<String, Dense> viaFinalResidual(ModelConfig cfg, JavaForward.Params w, Products products,
                                               Map<String, Dense> groups, double[] mid, float[] midF, double[] post,
                                               float[] postF, int n) {
        int d = cfg.dModel();
        int m = cfg.dMlp();
        double[] wout = w.get("blocks.0.mlp.W_out").toArray();
        double[] bOut = cfg.biases().mlp() ? w.vector("blocks.0.mlp.b_out") : new double[d];
        int width = groups.values().stream().mapToInt(Dense::cols).sum();
        double[] all = new double[d * width];          // [d, C]: the groups' W_U side by side
        int offset = 0;
        for (Dense wu : groups.values()) {
            for (int i = 0; i < d; i++) {
                wu.copyRow(i, all, i * width + offset);
            }
            offset += wu.cols();
        }
        double[] logits;
        if (midF != null) {
            float[] fin = products.multiply(postF, Products.narrow(wout), n, m, d);
            for (int i = 0; i < n; i++) {
                for (int j = 0, o = i * d; j < d; j++) {
                    fin[o + j] = (float) ((double) fin[o + j] + midF[o + j] + bOut[j]);
                }
            }
            logits = Products.widen(products.multiply(fin, Products.narrow(all), n, d, width));
        } else {
            double[] fin = products.multiply(post, wout, n, m, d);
            for (int i = 0; i < n; i++) {
                for (int j = 0, o = i * d; j < d; j++) {
                    fin[o + j] += mid[o + j] + bOut[j];
                }
            }
            logits = products.multiply(fin, all, n, d, width);
        }
        Map<String, Dense> out = new LinkedHashMap<>();
        offset = 0;
        for (Map.Entry<String, Dense> g : groups.entrySet()) {
            int c = g.getValue().cols();
            double[] part = new double[n * c];
            for (int i = 0; i < n; i++) {
                System.arraycopy(logits, i * width + offset, part, i * c, c);
            }
            out.put(g.getKey(), Dense.adopt(n, c, part));
            offset += c;
        }
        return out;
    }
}
