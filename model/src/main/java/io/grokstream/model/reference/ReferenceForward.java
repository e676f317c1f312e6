package io.grokstream.model.reference;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.NormPlacement;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The network of {@link ModelConfig}, computed in plain Java float64: the executable definition the DJL forward pass
 * (trainer) and the ONNX export are both tested against.
 *
 * <p>It follows TransformerLens' {@code HookedTransformer} (Nanda et al. 2023, Section 3 and Appendix A):
 * <pre>
 *   resid_pre_0 = W_E[tok] + W_pos[pos]                                  (W_pos only with a positional embedding)
 *   per block l, with x = LN1(resid_pre) (identity without LayerNorm):
 *     q_h = x W_Q[h] + b_Q[h], k_h = x W_K[h] + b_K[h], v_h = x W_V[h] + b_V[h]   ([seq, d_head] per head)
 *     pattern_h = softmax(q_h k_h^T / sqrt(d_head) + causal mask)       (mask -inf where key > query)
 *     z_h = pattern_h v_h,  attn_out = sum_h z_h W_O[h] + b_O
 *     resid_mid = resid_pre + attn_out       (x + attn_out with NormPlacement.PRE_NORMED_RESIDUAL)
 *     pre = LN2(resid_mid) W_in + b_in,  post = act(pre),  mlp_out = post W_out + b_out
 *     resid_post = resid_mid + mlp_out
 *   logits_g = LN_final(resid_post_last) W_U_g                           (one unembedding per output group)
 * </pre>
 * Biases as {@link ModelConfig#biases()} says (a missing one is zero: attention's only with {@code Biases.ALL});
 * {@code act} is {@link ModelConfig#activation()}. An attention-only block skips the MLP (resid_post = resid_pre +
 * attn_out), an MLP-only block skips attention. LayerNorm is TransformerLens' (Ba et al. 2016): centre, divide by
 * sqrt(mean of squares + 1e-5), scale and shift (no shift without biases). Dropout is a training-time operation
 * and never applies here.
 *
 * <p>Written for clarity, not speed: O(batch * seq * d_model * d_mlp) scalar loops. Use small batches.
 */
public final class ReferenceForward {

    /** TransformerLens' LayerNorm epsilon ({@code cfg.eps}). */
    public static final double LAYER_NORM_EPS = 1e-5;

    private final ModelConfig config;
    private final Map<String, double[]> w = new LinkedHashMap<>();

    /**
     * @param weights the snapshot's tensors (float32 widened exactly, or float64), checked against the config
     * @throws IllegalArgumentException naming a missing or misshapen parameter
     */
    public ReferenceForward(ModelConfig config, Map<String, Tensor> weights) {
        this.config = config;
        Weights.require(config, weights).forEach((name, t) -> w.put(name, t.doubles()));
    }

    /** Logits per output group ({@code [batch][seq][classes]}) and every activation by its {@link HookNames} name. */
    public record Result(Map<String, double[][][]> logits, Map<String, Activation> activations) {
        public Result {
            logits = Collections.unmodifiableMap(new LinkedHashMap<>(logits));
            activations = Collections.unmodifiableMap(new LinkedHashMap<>(activations));
        }

        public double[][][] logits(String group) {
            double[][][] l = logits.get(group);
            if (l == null) {
                throw new IllegalArgumentException("no output group " + group + " (has " + logits.keySet() + ")");
            }
            return l;
        }

        public Activation activation(String name) {
            Activation a = activations.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no activation " + name + " (has " + activations.keySet() + ")");
            }
            return a;
        }
    }

    /**
     * Runs the network on {@code tokens[batch][seq]}: every row has the same length, 1 to {@code nCtx}, and every id
     * is in {@code [0, dVocab)}.
     */
    public Result run(int[][] tokens) {
        int batch = tokens.length;
        if (batch == 0) {
            throw new IllegalArgumentException("tokens: need at least one row");
        }
        int seq = tokens[0].length;
        if (seq < 1 || seq > config.nCtx()) {
            throw new IllegalArgumentException("tokens: sequence length must be in [1, " + config.nCtx() + "], got " + seq);
        }
        for (int b = 0; b < batch; b++) {
            if (tokens[b].length != seq) {
                throw new IllegalArgumentException("tokens: row " + b + " has length " + tokens[b].length + ", row 0 has " + seq);
            }
            for (int t : tokens[b]) {
                if (t < 0 || t >= config.dVocab()) {
                    throw new IllegalArgumentException("tokens: row " + b + " has id " + t + " outside [0, " + config.dVocab() + ")");
                }
            }
        }
        int d = config.dModel();
        int rows = batch * seq;
        Map<String, Activation> acts = new LinkedHashMap<>();

        double[] embed = new double[rows * d];
        double[] wE = w.get("embed.W_E");
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < seq; s++) {
                System.arraycopy(wE, tokens[b][s] * d, embed, (b * seq + s) * d, d);
            }
        }
        acts.put(HookNames.EMBED, residual(embed, batch, seq));
        double[] resid = embed.clone();
        if (config.positionalEmbedding()) {
            double[] wPos = w.get("pos_embed.W_pos");
            double[] pos = new double[rows * d];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(wPos, (r % seq) * d, pos, r * d, d);
            }
            acts.put(HookNames.POS_EMBED, residual(pos, batch, seq));
            resid = add(resid, pos);
        }

        for (int l = 0; l < config.nLayers(); l++) {
            String p = "blocks." + l + ".";
            acts.put(HookNames.residPre(l), residual(resid, batch, seq));
            if (config.hasAttention()) {
                double[] x = config.layerNorm() ? layerNorm(resid, rows, w.get(p + "ln1.w"), w.get(p + "ln1.b")) : resid;
                double[] attnOut = attention(l, x, batch, seq, acts);
                resid = add(config.normPlacement() == NormPlacement.PRE_NORMED_RESIDUAL ? x : resid, attnOut);
                if (config.hasMlp()) {
                    acts.put(HookNames.residMid(l), residual(resid, batch, seq));
                }
            }
            if (config.hasMlp()) {
                double[] x = config.layerNorm() ? layerNorm(resid, rows, w.get(p + "ln2.w"), w.get(p + "ln2.b")) : resid;
                int m = config.dMlp();
                double[] pre = affine(x, rows, d, w.get(p + "mlp.W_in"), m, w.get(p + "mlp.b_in"));
                double[] post = new double[pre.length];
                for (int i = 0; i < pre.length; i++) {
                    post[i] = config.activation().apply(pre[i]);
                }
                acts.put(HookNames.mlpPre(l), new Activation(new int[]{batch, seq, m}, pre));
                acts.put(HookNames.mlpPost(l), new Activation(new int[]{batch, seq, m}, post));
                resid = add(resid, affine(post, rows, m, w.get(p + "mlp.W_out"), d, w.get(p + "mlp.b_out")));
            }
            acts.put(HookNames.residPost(l), residual(resid, batch, seq));
        }

        double[] fin = config.layerNorm() ? layerNorm(resid, rows, w.get("ln_final.w"), w.get("ln_final.b")) : resid;
        Map<String, double[][][]> logits = new LinkedHashMap<>();
        for (OutputGroup g : config.outputs()) {
            int c = g.classes();
            double[] flat = affine(fin, rows, d, w.get(config.unembedName(g)), c, null);
            double[][][] out = new double[batch][seq][c];
            for (int b = 0; b < batch; b++) {
                for (int s = 0; s < seq; s++) {
                    System.arraycopy(flat, (b * seq + s) * c, out[b][s], 0, c);
                }
            }
            logits.put(g.name(), out);
        }
        return new Result(logits, acts);
    }

    /** Multi-head causal attention of one block; records hook_pattern and hook_z, returns attn_out. */
    private double[] attention(int layer, double[] x, int batch, int seq, Map<String, Activation> acts) {
        String p = "blocks." + layer + ".attn.";
        int d = config.dModel(), heads = config.nHeads(), dh = config.dHead();
        double[] wQ = w.get(p + "W_Q"), wK = w.get(p + "W_K"), wV = w.get(p + "W_V"), wO = w.get(p + "W_O");
        double[] bQ = w.get(p + "b_Q"), bK = w.get(p + "b_K"), bV = w.get(p + "b_V"), bO = w.get(p + "b_O");
        double scale = Math.sqrt(dh);
        double[] pattern = new double[batch * heads * seq * seq];
        double[] z = new double[batch * seq * heads * dh];
        double[] out = new double[batch * seq * d];
        if (bO != null) {
            for (int r = 0; r < batch * seq; r++) {
                System.arraycopy(bO, 0, out, r * d, d);
            }
        }
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double[][] q = project(x, b, seq, d, wQ, bQ, h, dh);
                double[][] k = project(x, b, seq, d, wK, bK, h, dh);
                double[][] v = project(x, b, seq, d, wV, bV, h, dh);
                for (int i = 0; i < seq; i++) {
                    // scores for query i over keys 0..i; keys after i are masked (-inf, softmax weight exactly 0)
                    double[] score = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double s = 0;
                        for (int e = 0; e < dh; e++) {
                            s += q[i][e] * k[j][e];
                        }
                        score[j] = s / scale;
                        max = Math.max(max, score[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= i; j++) {
                        score[j] = Math.exp(score[j] - max);
                        sum += score[j];
                    }
                    int row = ((b * heads + h) * seq + i) * seq;
                    for (int j = 0; j <= i; j++) {
                        pattern[row + j] = score[j] / sum;
                    }
                    int zRow = ((b * seq + i) * heads + h) * dh;
                    for (int e = 0; e < dh; e++) {
                        double acc = 0;
                        for (int j = 0; j <= i; j++) {
                            acc += pattern[row + j] * v[j][e];
                        }
                        z[zRow + e] = acc;
                    }
                    // attn_out[b, i] += z_h[i] W_O[h]   (W_O[h] is [d_head, d_model])
                    int oRow = (b * seq + i) * d;
                    for (int e = 0; e < dh; e++) {
                        double ze = z[zRow + e];
                        int wRow = (h * dh + e) * d;
                        for (int c = 0; c < d; c++) {
                            out[oRow + c] += ze * wO[wRow + c];
                        }
                    }
                }
            }
        }
        acts.put(HookNames.pattern(layer), new Activation(new int[]{batch, heads, seq, seq}, pattern));
        acts.put(HookNames.z(layer), new Activation(new int[]{batch, seq, heads, dh}, z));
        return out;
    }

    /**
     * x[b] W[h] + bias[h] for a weight of shape [heads, d_model, d_head] and a bias [heads, d_head] (null: none):
     * one head's queries, keys or values, [seq][d_head].
     */
    private static double[][] project(double[] x, int b, int seq, int d, double[] weight, double[] bias, int h, int dh) {
        double[][] r = new double[seq][dh];
        for (int s = 0; s < seq; s++) {
            if (bias != null) {
                System.arraycopy(bias, h * dh, r[s], 0, dh);
            }
            int xRow = (b * seq + s) * d;
            for (int c = 0; c < d; c++) {
                double xc = x[xRow + c];
                int wRow = (h * d + c) * dh;
                for (int e = 0; e < dh; e++) {
                    r[s][e] += xc * weight[wRow + e];
                }
            }
        }
        return r;
    }

    /** x W + bias for x [rows, in] and W [in, out]; bias may be null. (Also the intervention engine's.) */
    public static double[] affine(double[] x, int rows, int in, double[] weight, int out, double[] bias) {
        double[] r = new double[rows * out];
        for (int i = 0; i < rows; i++) {
            int rRow = i * out;
            if (bias != null) {
                System.arraycopy(bias, 0, r, rRow, out);
            }
            for (int c = 0; c < in; c++) {
                double xc = x[i * in + c];
                int wRow = c * out;
                for (int o = 0; o < out; o++) {
                    r[rRow + o] += xc * weight[wRow + o];
                }
            }
        }
        return r;
    }

    /** TransformerLens LayerNorm over the last axis: (x - mean) / sqrt(mean((x - mean)^2) + eps) * w + b (b may be null). */
    private double[] layerNorm(double[] x, int rows, double[] scale, double[] shift) {
        return layerNorm(x, rows, config.dModel(), scale, shift);
    }

    /** The same over rows of width {@code d}. (Also the intervention engine's.) */
    public static double[] layerNorm(double[] x, int rows, int d, double[] scale, double[] shift) {
        double[] r = new double[x.length];
        for (int i = 0; i < rows; i++) {
            double mean = 0;
            for (int c = 0; c < d; c++) {
                mean += x[i * d + c];
            }
            mean /= d;
            double var = 0;
            for (int c = 0; c < d; c++) {
                double dev = x[i * d + c] - mean;
                var += dev * dev;
            }
            var /= d;
            double inv = 1.0 / Math.sqrt(var + LAYER_NORM_EPS);
            for (int c = 0; c < d; c++) {
                r[i * d + c] = (x[i * d + c] - mean) * inv * scale[c] + (shift == null ? 0.0 : shift[c]);
            }
        }
        return r;
    }

    private static double[] add(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] + b[i];
        }
        return r;
    }

    private Activation residual(double[] values, int batch, int seq) {
        return new Activation(new int[]{batch, seq, config.dModel()}, values.clone());
    }
}
