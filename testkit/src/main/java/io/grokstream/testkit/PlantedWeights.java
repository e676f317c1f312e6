package io.grokstream.testkit;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights built by hand that implement Nanda et al.'s modular-addition algorithm at chosen key frequencies: the
 * known answer the analysis service's measures are tested against, and the planted case of {@code BenchAnalysis}
 * (bench).
 */
public final class PlantedWeights {
    private PlantedWeights() {
    }

    /**
     * Nanda's algorithm planted by hand at {@code frequencies} (Nanda et al. 2023, Section 4): W_E[x] holds
     * cos/sin(2 pi w x / p) in dims 2f, 2f+1; W_Q = W_K = 0 makes attention uniform, and W_V W_O = identity copies
     * (E[x] + E[y]) / 3 to the last position; neuron n (frequency f = n mod F, phase phi_n, eight phases) computes
     * ReLU(cos(wx + phi) + cos(wy + phi)), whose second harmonic in phi carries cos(w(x+y) + 2 phi); W_out and W_U
     * read it out as {@code sum_n act_n cos(2 phi_n + 2 pi w c / p)}, which peaks at c = x + y.
     * Needs dModel >= 4F + ... (input dims 0..2F-1, output dims dModel/2..), heads * dHead = dModel.
     */
    public static Map<String, Tensor> of(ModelConfig cfg, int p, int[] frequencies, double gain) {
        int d = cfg.dModel();
        int heads = cfg.nHeads();
        int dh = cfg.dHead();
        int m = cfg.dMlp();
        int nf = frequencies.length;
        int out0 = d / 2;
        if (heads * dh != d || 2 * nf > out0) {
            throw new IllegalArgumentException("planted model needs heads*dHead = dModel and room for the frequencies");
        }
        float[] we = new float[cfg.dVocab() * d];
        for (int x = 0; x < p; x++) {
            for (int f = 0; f < nf; f++) {
                double a = 2 * Math.PI * frequencies[f] * x / p;
                we[x * d + 2 * f] = (float) Math.cos(a);
                we[x * d + 2 * f + 1] = (float) Math.sin(a);
            }
        }
        float[] wv = new float[heads * d * dh];
        float[] wo = new float[heads * dh * d];
        for (int h = 0; h < heads; h++) {
            for (int e = 0; e < dh; e++) {
                wv[(h * d + h * dh + e) * dh + e] = 1;
                wo[(h * dh + e) * d + h * dh + e] = 1;
            }
        }
        float[] win = new float[d * m];
        float[] wout = new float[m * d];
        int phases = 8;
        for (int n = 0; n < m; n++) {
            int f = n % nf;
            double phi = 2 * Math.PI * ((n / nf) % phases) / phases;
            // pre = 3 (cos(phi) c - sin(phi) s) for the averaged (cos, sin): cos(wx + phi) + cos(wy + phi).
            win[(2 * f) * m + n] = (float) (3 * Math.cos(phi));
            win[(2 * f + 1) * m + n] = (float) (-3 * Math.sin(phi));
            wout[n * d + out0 + 2 * f] = (float) Math.cos(2 * phi);
            wout[n * d + out0 + 2 * f + 1] = (float) -Math.sin(2 * phi);
        }
        float[] wu = new float[d * p];
        for (int f = 0; f < nf; f++) {
            for (int c = 0; c < p; c++) {
                double g = 2 * Math.PI * frequencies[f] * c / p;
                wu[(out0 + 2 * f) * p + c] = (float) (gain * Math.cos(g));
                wu[(out0 + 2 * f + 1) * p + c] = (float) (gain * Math.sin(g));
            }
        }
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("embed.W_E", Tensor.ofFloats(we, cfg.dVocab(), d));
        w.put("pos_embed.W_pos", Tensor.ofFloats(new float[cfg.nCtx() * d], cfg.nCtx(), d));
        w.put("blocks.0.attn.W_Q", Tensor.ofFloats(new float[heads * d * dh], heads, d, dh));
        w.put("blocks.0.attn.W_K", Tensor.ofFloats(new float[heads * d * dh], heads, d, dh));
        w.put("blocks.0.attn.W_V", Tensor.ofFloats(wv, heads, d, dh));
        w.put("blocks.0.attn.W_O", Tensor.ofFloats(wo, heads, dh, d));
        w.put("blocks.0.mlp.W_in", Tensor.ofFloats(win, d, m));
        w.put("blocks.0.mlp.b_in", Tensor.ofFloats(new float[m], m));
        w.put("blocks.0.mlp.W_out", Tensor.ofFloats(wout, m, d));
        w.put("blocks.0.mlp.b_out", Tensor.ofFloats(new float[d], d));
        w.put("unembed.W_U", Tensor.ofFloats(wu, d, p));
        return w;
    }
}
