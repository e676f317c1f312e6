package io.grokstream.analysis.forward;

import io.grokstream.analysis.math.Dense;
import io.grokstream.analysis.math.Products;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.MlpActivation;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.NormPlacement;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.ParameterSpec;
import io.grokstream.model.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The network's forward pass in plain Java, batched over all inputs as matrix products: the same computation as
 * the model module's definition ({@code ReferenceForward}: causal attention scaled by 1/sqrt(d_head), biases as
 * {@link ModelConfig#biases()} says, the MLP's activation, optional pre-LayerNorm with eps 1e-5 placed as
 * {@link ModelConfig#normPlacement()} says, untied unembedding per output group; no dropout). Needs no native library, so it is the default {@link ActivationSource} and the reference the ONNX path is
 * checked against. The last block only computes the positions the targets read.
 */
public final class JavaForward implements ActivationSource {
    private static final double LN_EPS = 1e-5;

    private final Products products;

    public JavaForward() {
        this(Products.JAVA);
    }

    /** @param products computes the one large product of the one-layer path, {@code post (W_out W_U)} */
    public JavaForward(Products products) {
        this.products = products;
    }

    @Override
    public Activations run(ModelConfig cfg, Map<String, Tensor> weights, TaskDefined task) {
        Params w = new Params(cfg, weights);
        int[][] inputs = task.data().inputs();
        if (inputs.length == 0) {
            throw new IllegalArgumentException("task " + task.taskId() + " has no data rows");
        }
        if (OneLayerForward.applies(cfg) && task.targets().stream().allMatch(t -> t.position() == task.targets().get(0).position())) {
            return OneLayerForward.run(cfg, w, task, products);
        }
        int n = inputs.length;
        int seq = cfg.nCtx();
        for (int[] row : inputs) {
            if (row.length > seq) {
                throw new IllegalArgumentException("task rows have " + row.length + " tokens, the model's context is " + seq);
            }
        }
        int len = inputs.length == 0 ? 0 : inputs[0].length;
        int d = cfg.dModel();
        Dense embed = w.get("embed.W_E");
        Dense pos = cfg.positionalEmbedding() ? w.get("pos_embed.W_pos") : null;
        double[][] resid = new double[len][];
        for (int t = 0; t < len; t++) {
            double[] r = new double[n * d];
            for (int i = 0; i < n; i++) {
                int tok = inputs[i][t];
                if (tok < 0 || tok >= cfg.dVocab()) {
                    throw new IllegalArgumentException("token " + tok + " outside the vocabulary 0.." + (cfg.dVocab() - 1));
                }
                for (int j = 0; j < d; j++) {
                    r[i * d + j] = embed.get(tok, j) + (pos == null ? 0 : pos.get(t, j));
                }
            }
            resid[t] = r;
        }
        TreeSet<Integer> targetPositions = new TreeSet<>();
        for (TaskDefined.Target target : task.targets()) {
            targetPositions.add(target.position());
        }
        int mlpPosition = task.targets().get(0).position();
        Dense mlpPost = null;
        Dense attention = null;
        for (int l = 0; l < cfg.nLayers(); l++) {
            boolean last = l == cfg.nLayers() - 1;
            int[] computed = last ? targetPositions.stream().mapToInt(Integer::intValue).toArray()
                    : java.util.stream.IntStream.range(0, len).toArray();
            String b = "blocks." + l + ".";
            if (cfg.hasAttention()) {
                double[] pattern = last ? new double[n * cfg.nHeads() * len] : null;
                double[][] normed = new double[len][];
                double[][] out = attention(cfg, w, b, resid, computed, n, len, pattern, mlpPosition, normed);
                for (int q : computed) {
                    if (cfg.normPlacement() == NormPlacement.PRE_NORMED_RESIDUAL) {
                        resid[q] = normed[q].clone();      // Lee et al.'s block: LN1's output replaces the stream
                    }
                    add(resid[q], out[q]);
                }
                if (last) {
                    attention = Dense.of(n, cfg.nHeads() * len, pattern);
                }
            }
            if (cfg.hasMlp()) {
                for (int q : computed) {
                    Dense x = Dense.of(n, d, resid[q]);
                    if (cfg.layerNorm()) {
                        x = layerNorm(x, w.vector(b + "ln2.w"), w.vectorOrNull(b + "ln2.b"));
                    }
                    Dense pre = x.times(w.get(b + "mlp.W_in"));
                    double[] post = pre.toArray();
                    int m = cfg.dMlp();
                    double[] bIn = cfg.biases().mlp() ? w.vector(b + "mlp.b_in") : new double[m];
                    MlpActivation act = cfg.activation();
                    for (int i = 0; i < post.length; i++) {
                        post[i] = act.apply(post[i] + bIn[i % m]);
                    }
                    Dense postM = Dense.of(n, m, post);
                    if (last && q == mlpPosition) {
                        mlpPost = postM;
                    }
                    double[] o = postM.times(w.get(b + "mlp.W_out")).toArray();
                    double[] bOut = cfg.biases().mlp() ? w.vector(b + "mlp.b_out") : new double[d];
                    for (int i = 0; i < o.length; i++) {
                        o[i] += bOut[i % d];
                    }
                    add(resid[q], o);
                }
            }
        }
        Map<String, Dense> logits = new LinkedHashMap<>();
        Map<Integer, Dense> finalResid = new HashMap<>();
        for (TaskDefined.Target target : task.targets()) {
            Dense r = finalResid.computeIfAbsent(target.position(), q -> {
                Dense x = Dense.of(n, d, resid[q]);
                return cfg.layerNorm() ? layerNorm(x, w.vector("ln_final.w"), w.vectorOrNull("ln_final.b")) : x;
            });
            OutputGroup group = cfg.outputs().stream().filter(g -> g.name().equals(target.group())).findFirst()
                    .orElseGet(() -> cfg.outputs().get(0));
            logits.put(target.name(), r.times(w.get(cfg.unembedName(group))));
        }
        return new Activations(logits, mlpPost, attention);
    }

    /**
     * Causal multi-head attention for the query positions {@code computed}; fills the pattern of
     * {@code patternPosition}, and {@code normed[t]} with each position's input (LN1's output with LayerNorm).
     */
    private static double[][] attention(ModelConfig cfg, Params w, String b, double[][] resid, int[] computed,
                                        int n, int len, double[] pattern, int patternPosition, double[][] normed) {
        int d = cfg.dModel();
        int heads = cfg.nHeads();
        int dh = cfg.dHead();
        int hd = heads * dh;
        Dense wq = w.headsConcat(b + "attn.W_Q");
        Dense wk = w.headsConcat(b + "attn.W_K");
        Dense wv = w.headsConcat(b + "attn.W_V");
        Dense wo = w.get(b + "attn.W_O").reshape(hd, d);
        int maxQ = computed[computed.length - 1];
        double[][] k = new double[len][];
        double[][] v = new double[len][];
        Dense[] x = new Dense[len];
        for (int t = 0; t <= maxQ; t++) {
            x[t] = Dense.of(n, d, resid[t]);
            if (cfg.layerNorm()) {
                x[t] = layerNorm(x[t], w.vector(b + "ln1.w"), w.vectorOrNull(b + "ln1.b"));
            }
            normed[t] = x[t].toArray();
            k[t] = withHeadBias(x[t].times(wk).toArray(), w.vectorOrNull(b + "attn.b_K"));
            v[t] = withHeadBias(x[t].times(wv).toArray(), w.vectorOrNull(b + "attn.b_V"));
        }
        double scale = 1.0 / Math.sqrt(dh);
        double[][] out = new double[len][];
        for (int q : computed) {
            double[] qm = withHeadBias(x[q].times(wq).toArray(), w.vectorOrNull(b + "attn.b_Q"));
            double[] z = new double[n * hd];
            double[] scores = new double[q + 1];
            for (int i = 0; i < n; i++) {
                for (int h = 0; h < heads; h++) {
                    int off = i * hd + h * dh;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t <= q; t++) {
                        double s = 0;
                        for (int e = 0; e < dh; e++) {
                            s += qm[off + e] * k[t][off + e];
                        }
                        scores[t] = s * scale;
                        max = Math.max(max, scores[t]);
                    }
                    double sum = 0;
                    for (int t = 0; t <= q; t++) {
                        scores[t] = Math.exp(scores[t] - max);
                        sum += scores[t];
                    }
                    for (int t = 0; t <= q; t++) {
                        double a = scores[t] / sum;
                        if (pattern != null && q == patternPosition) {
                            pattern[(i * heads + h) * len + t] = a;
                        }
                        for (int e = 0; e < dh; e++) {
                            z[off + e] += a * v[t][off + e];
                        }
                    }
                }
            }
            out[q] = withHeadBias(Dense.of(n, hd, z).times(wo).toArray(), w.vectorOrNull(b + "attn.b_O"));
        }
        return out;
    }

    /** rows [n, width] plus a bias of {@code width} (a head bias [heads, d_head] flattened), or the rows unchanged. */
    private static double[] withHeadBias(double[] rows, double[] bias) {
        if (bias != null) {
            for (int i = 0; i < rows.length; i++) {
                rows[i] += bias[i % bias.length];
            }
        }
        return rows;
    }

    private static void add(double[] into, double[] other) {
        for (int i = 0; i < into.length; i++) {
            into[i] += other[i];
        }
    }

    private static Dense layerNorm(Dense x, double[] scale, double[] shift) {
        int d = x.cols();
        double[] v = x.toArray();
        for (int i = 0; i < x.rows(); i++) {
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += v[i * d + j];
            }
            mean /= d;
            double var = 0;
            for (int j = 0; j < d; j++) {
                double c = v[i * d + j] - mean;
                var += c * c;
            }
            double inv = 1.0 / Math.sqrt(var / d + LN_EPS);
            for (int j = 0; j < d; j++) {
                v[i * d + j] = (v[i * d + j] - mean) * inv * scale[j] + (shift == null ? 0 : shift[j]);
            }
        }
        return Dense.of(x.rows(), d, v);
    }

    /** The snapshot's tensors checked against the config's parameter shapes; the measures read weights through it too. */
    public static final class Params {
        private final Map<String, Tensor> tensors;
        private final Map<String, ParameterSpec> specs = new HashMap<>();
        // Concurrent: the measure suite's parts read the weights from several threads at once.
        private final Map<String, Dense> cache = new java.util.concurrent.ConcurrentHashMap<>();

        public Params(ModelConfig cfg, Map<String, Tensor> tensors) {
            this.tensors = tensors;
            for (ParameterSpec s : cfg.parameters()) {
                specs.put(s.name(), s);
                Tensor t = tensors.get(s.name());
                if (t == null) {
                    throw new IllegalArgumentException("snapshot lacks parameter " + s.name());
                }
                if (!Arrays.equals(t.shape(), s.shape())) {
                    throw new IllegalArgumentException("parameter " + s.name() + " has shape " + Arrays.toString(t.shape())
                            + ", the model config says " + Arrays.toString(s.shape()));
                }
            }
        }

        /** A 2-D parameter as a matrix (3-D ones flattened to [shape0 * shape1, shape2]). */
        public Dense get(String name) {
            return cache.computeIfAbsent(name, k -> {
                int[] shape = tensors.get(k).shape();
                double[] v = tensors.get(k).doubles();
                int cols = shape[shape.length - 1];
                return Dense.of(v.length / cols, cols, v);
            });
        }

        double[] vector(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("snapshot lacks parameter " + name);
            }
            return t.doubles();
        }

        /** A bias the config may lack: null when the snapshot has none. */
        double[] vectorOrNull(String name) {
            Tensor t = tensors.get(name);
            return t == null || !specs.containsKey(name) ? null : t.doubles();
        }

        /** [heads, d_model, d_head] as [d_model, heads * d_head]: column h * d_head + e is head h's column e. */
        Dense headsConcat(String name) {
            return cache.computeIfAbsent(name + "#concat", k -> {
                int[] s = tensors.get(name).shape();
                int heads = s[0];
                int dm = s[1];
                int dh = s[2];
                double[] v = tensors.get(name).doubles();
                double[] out = new double[v.length];
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < dm; i++) {
                        System.arraycopy(v, (h * dm + i) * dh, out, i * heads * dh + h * dh, dh);
                    }
                }
                return Dense.of(dm, heads * dh, out);
            });
        }
    }
}
