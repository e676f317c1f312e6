package io.grokstream.trainer.engine;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;

import java.util.Map;

/**
 * A brute-force forward pass in plain Java doubles, written from the equations (TransformerLens / Nanda et al.),
 * independent of DJL: every position is computed in every layer, no GEMM tricks. The DJL forward must agree.
 */
final class PlainForward {

    private final ModelConfig c;
    private final Map<String, Tensor> w;

    PlainForward(ModelConfig c, Map<String, Tensor> w) {
        this.c = c;
        this.w = w;
    }

    /** Logits of output group {@code group} at {@code position} for one token sequence. */
    double[] logits(int[] tokens, int position, OutputGroup group) {
        double[][] resid = residual(tokens);
        double[] x = resid[position];
        if (c.layerNorm()) {
            x = ln(x, "ln_final");
        }
        double[] wu = w.get(c.unembedName(group)).doubles();
        double[] out = new double[group.classes()];
        for (int j = 0; j < group.classes(); j++) {
            for (int i = 0; i < c.dModel(); i++) {
                out[j] += x[i] * wu[i * group.classes() + j];
            }
        }
        return out;
    }

    private double[][] residual(int[] tokens) {
        int n = tokens.length;
        int d = c.dModel();
        double[] we = w.get("embed.W_E").doubles();
        double[][] r = new double[n][d];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < d; i++) {
                r[p][i] = we[tokens[p] * d + i];
                if (c.positionalEmbedding()) {
                    r[p][i] += w.get("pos_embed.W_pos").doubles()[p * d + i];
                }
            }
        }
        for (int l = 0; l < c.nLayers(); l++) {
            String b = "blocks." + l + ".";
            if (c.hasAttention()) {
                double[][] x = new double[n][];
                for (int p = 0; p < n; p++) {
                    x[p] = c.layerNorm() ? ln(r[p], b + "ln1") : r[p];
                }
                double[][] attn = attention(x, b);
                for (int p = 0; p < n; p++) {
                    for (int i = 0; i < d; i++) {
                        r[p][i] += attn[p][i];
                    }
                }
            }
            if (c.hasMlp()) {
                double[] win = w.get(b + "mlp.W_in").doubles();
                double[] bin = w.get(b + "mlp.b_in").doubles();
                double[] wout = w.get(b + "mlp.W_out").doubles();
                double[] bout = w.get(b + "mlp.b_out").doubles();
                int m = c.dMlp();
                for (int p = 0; p < n; p++) {
                    double[] x = c.layerNorm() ? ln(r[p], b + "ln2") : r[p].clone();
                    double[] h = new double[m];
                    for (int j = 0; j < m; j++) {
                        double s = bin[j];
                        for (int i = 0; i < d; i++) {
                            s += x[i] * win[i * m + j];
                        }
                        h[j] = Math.max(0, s);
                    }
                    for (int i = 0; i < d; i++) {
                        double s = bout[i];
                        for (int j = 0; j < m; j++) {
                            s += h[j] * wout[j * d + i];
                        }
                        r[p][i] += s;
                    }
                }
            }
        }
        return r;
    }

    private double[][] attention(double[][] x, String b) {
        int n = x.length;
        int d = c.dModel();
        int h = c.nHeads();
        int e = c.dHead();
        double[] wq = w.get(b + "attn.W_Q").doubles();
        double[] wk = w.get(b + "attn.W_K").doubles();
        double[] wv = w.get(b + "attn.W_V").doubles();
        double[] wo = w.get(b + "attn.W_O").doubles();
        double[][] out = new double[n][d];
        for (int hd = 0; hd < h; hd++) {
            double[][] q = proj(x, wq, hd);
            double[][] k = proj(x, wk, hd);
            double[][] v = proj(x, wv, hd);
            for (int p = 0; p < n; p++) {
                double[] score = new double[p + 1];            // causal: keys 0..p
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= p; s++) {
                    for (int i = 0; i < e; i++) {
                        score[s] += q[p][i] * k[s][i];
                    }
                    score[s] /= Math.sqrt(e);
                    max = Math.max(max, score[s]);
                }
                double z = 0;
                for (int s = 0; s <= p; s++) {
                    score[s] = Math.exp(score[s] - max);
                    z += score[s];
                }
                double[] zv = new double[e];
                for (int s = 0; s <= p; s++) {
                    for (int i = 0; i < e; i++) {
                        zv[i] += score[s] / z * v[s][i];
                    }
                }
                for (int j = 0; j < d; j++) {
                    for (int i = 0; i < e; i++) {
                        out[p][j] += zv[i] * wo[(hd * e + i) * d + j];
                    }
                }
            }
        }
        return out;
    }

    private double[][] proj(double[][] x, double[] weight, int head) {
        int d = c.dModel();
        int e = c.dHead();
        double[][] out = new double[x.length][e];
        for (int p = 0; p < x.length; p++) {
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < d; j++) {
                    out[p][i] += x[p][j] * weight[(head * d + j) * e + i];
                }
            }
        }
        return out;
    }

    private double[] ln(double[] x, String prefix) {
        double[] g = w.get(prefix + ".w").doubles();
        double[] bb = w.get(prefix + ".b").doubles();
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean) / Math.sqrt(var + 1e-5) * g[i] + bb[i];
        }
        return out;
    }
}
