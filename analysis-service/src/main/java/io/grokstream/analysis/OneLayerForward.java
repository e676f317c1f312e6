package io.grokstream.analysis;

import io.grokstream.analysis.math.Dense;
import io.grokstream.analysis.math.Products;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The forward pass of a one-layer model without LayerNorm (Nanda et al.'s architecture) by token tables: every
 * linear map before the MLP's ReLU acts on {@code W_E[token] + W_pos[position]}, so Q, K, V, {@code V W_O},
 * {@code V W_O W_in} and {@code V W_O W_U} are computed once per (position, token) and gathered per input, weighted
 * by the attention pattern. What remains per input is the softmax, a few vector sums and the one product that the
 * ReLU makes unavoidable, {@code post (W_out W_U)}. Same results as the plain batched pass (see JavaForwardTest),
 * an order of magnitude fewer multiply-adds at p = 113.
 */
final class OneLayerForward {
    private OneLayerForward() {
    }

    static boolean applies(ModelConfig cfg) {
        return cfg.nLayers() == 1 && !cfg.layerNorm();
    }

    static Activations run(ModelConfig cfg, JavaForward.Params w, TaskDefined task, Products products) {
        int[][] inputs = task.data().inputs();
        int n = inputs.length;
        int len = inputs[0].length;
        int d = cfg.dModel();
        int vocab = cfg.dVocab();
        int heads = cfg.nHeads();
        int dh = cfg.dHead();
        int hd = heads * dh;
        int m = cfg.dMlp();
        int q = task.targets().get(0).position();
        for (TaskDefined.Target t : task.targets()) {
            if (t.position() != q) {
                throw new IllegalArgumentException("the one-layer tables serve one target position");
            }
        }
        // x[t] = W_E + W_pos[t] for every token: [vocab, d] per position t <= q.
        Dense embed = w.get("embed.W_E");
        Dense[] x = new Dense[q + 1];
        for (int t = 0; t <= q; t++) {
            double[] v = embed.toArray();
            if (cfg.positionalEmbedding()) {
                double[] pos = w.get("pos_embed.W_pos").row(t);
                for (int tok = 0; tok < vocab; tok++) {
                    for (int j = 0; j < d; j++) {
                        v[tok * d + j] += pos[j];
                    }
                }
            }
            x[t] = Dense.of(vocab, d, v);
        }
        Map<String, Dense> groupUnembed = new LinkedHashMap<>();
        for (OutputGroup g : cfg.outputs()) {
            groupUnembed.put(g.name(), w.get(cfg.unembedName(g)));
        }

        // Attention: scores[h][t][tokQ][tokT] and per (t, token, head) the value written to the residual stream.
        double[] pattern = null;
        double[][] voTable = null;      // [t] -> [vocab * heads, d]: V_h W_O_h
        if (cfg.hasAttention()) {
            Dense wq = w.headsConcat("blocks.0.attn.W_Q");
            Dense wk = w.headsConcat("blocks.0.attn.W_K");
            Dense wv = w.headsConcat("blocks.0.attn.W_V");
            Dense wo = w.get("blocks.0.attn.W_O");                 // [heads * dh, d]
            double[] qt = x[q].times(wq).toArray();                 // [vocab, hd]
            double scale = 1.0 / Math.sqrt(dh);
            double[][] scoreTable = new double[q + 1][];           // [t] -> [vocab(q) * vocab(t) * heads]
            voTable = new double[q + 1][];
            for (int t = 0; t <= q; t++) {
                double[] kt = x[t].times(wk).toArray();
                double[] vt = x[t].times(wv).toArray();
                double[] s = new double[vocab * vocab * heads];
                for (int a = 0; a < vocab; a++) {
                    for (int b = 0; b < vocab; b++) {
                        for (int h = 0; h < heads; h++) {
                            double dot = 0;
                            for (int e = 0; e < dh; e++) {
                                dot += qt[a * hd + h * dh + e] * kt[b * hd + h * dh + e];
                            }
                            s[(a * vocab + b) * heads + h] = dot * scale;
                        }
                    }
                }
                scoreTable[t] = s;
                // V_h W_O_h per token and head: [vocab * heads, dh] x [dh, d] head by head.
                double[] vo = new double[vocab * heads * d];
                for (int h = 0; h < heads; h++) {
                    Dense woh = wo.rowRange(h * dh, (h + 1) * dh);
                    double[] vh = new double[vocab * dh];
                    for (int tok = 0; tok < vocab; tok++) {
                        System.arraycopy(vt, tok * hd + h * dh, vh, tok * dh, dh);
                    }
                    double[] out = Dense.of(vocab, dh, vh).times(woh).toArray();
                    for (int tok = 0; tok < vocab; tok++) {
                        System.arraycopy(out, tok * d, vo, (tok * heads + h) * d, d);
                    }
                }
                voTable[t] = vo;
            }
            pattern = new double[n * heads * len];
            double[] sc = new double[q + 1];
            for (int i = 0; i < n; i++) {
                int tq = inputs[i][q];
                for (int h = 0; h < heads; h++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t <= q; t++) {
                        sc[t] = scoreTable[t][(tq * vocab + inputs[i][t]) * heads + h];
                        max = Math.max(max, sc[t]);
                    }
                    double sum = 0;
                    for (int t = 0; t <= q; t++) {
                        sc[t] = Math.exp(sc[t] - max);
                        sum += sc[t];
                    }
                    for (int t = 0; t <= q; t++) {
                        pattern[(i * heads + h) * len + t] = sc[t] / sum;
                    }
                }
            }
        }

        // Any linear read-out R of resid_mid (identity, W_in, W_U) = x[q][tok] R + sum_{h,t} a_{h,t} (V_h W_O_h)[t][tok] R.
        Map<String, Dense> logits = new LinkedHashMap<>();
        Dense post = null;
        double[] postRaw = null;
        if (cfg.hasMlp()) {
            Dense win = w.get("blocks.0.mlp.W_in");
            double[] pre = readOut(x, voTable, pattern, win, inputs, q, heads, len, vocab, d, products);
            double[] bIn = w.vector("blocks.0.mlp.b_in");
            for (int i = 0; i < pre.length; i++) {
                pre[i] = Math.max(0, pre[i] + bIn[i % m]);
            }
            postRaw = pre;
            post = Dense.adopt(n, m, pre);
        }
        for (TaskDefined.Target target : task.targets()) {
            String group = cfg.outputs().stream().anyMatch(g -> g.name().equals(target.group())) ? target.group()
                    : cfg.outputs().get(0).name();
            Dense wu = groupUnembed.get(group);
            double[] direct = readOut(x, voTable, pattern, wu, inputs, q, heads, len, vocab, d, products);
            if (post != null) {
                Dense wl = w.get("blocks.0.mlp.W_out").times(wu);          // W_L = W_out W_U, [d_mlp, classes]
                double[] mlp = products.multiply(postRaw, wl.toArray(), n, m, wl.cols());
                double[] bias = Dense.of(1, d, w.vector("blocks.0.mlp.b_out")).times(wu).toArray();
                int c = wu.cols();
                for (int i = 0; i < direct.length; i++) {
                    direct[i] += mlp[i] + bias[i % c];
                }
            }
            logits.put(target.name(), Dense.adopt(n, wu.cols(), direct));
        }
        return new Activations(logits, post, pattern == null ? null : Dense.adopt(n, heads * len, pattern));
    }

    /** resid_mid R for every input, from tables of x R and (V W_O) R. */
    private static double[] readOut(Dense[] x, double[][] voTable, double[] pattern, Dense r, int[][] inputs, int q,
                                    int heads, int len, int vocab, int d, Products products) {
        int n = inputs.length;
        int c = r.cols();
        double[] xr = x[q].times(r).toArray();                    // [vocab, c]
        double[][] vor = null;
        if (voTable != null) {
            vor = new double[q + 1][];
            for (int t = 0; t <= q; t++) {
                vor[t] = products.multiply(voTable[t], r.toArray(), vocab * heads, d, c);   // [(tok, h), c]
            }
        }
        double[] out = new double[n * c];
        double[][] tables = vor;
        int chunk = 256;
        java.util.stream.IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(block -> {
            for (int i = block * chunk; i < Math.min(n, (block + 1) * chunk); i++) {
                int o = i * c;
                System.arraycopy(xr, inputs[i][q] * c, out, o, c);
                if (tables == null) {
                    continue;
                }
                for (int h = 0; h < heads; h++) {
                    for (int t = 0; t <= q; t++) {
                        double a = pattern[(i * heads + h) * len + t];
                        int base = (inputs[i][t] * heads + h) * c;
                        double[] table = tables[t];
                        for (int j = 0; j < c; j++) {
                            out[o + j] += a * table[base + j];
                        }
                    }
                }
            }
        });
        return out;
    }
}
