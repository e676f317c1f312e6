package io.grokstream.model.intervene;

import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.model.reference.Activation;
import io.grokstream.model.reference.HookNames;
import io.grokstream.model.reference.ReferenceForward;
import io.grokstream.model.reference.Weights;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link ReferenceForward}'s network with hook points (TransformerLens' {@code run_with_hooks}): every activation
 * named by {@link HookNames} is handed to a {@link Hook} as it is produced, which may change it in place, and what it
 * leaves flows on into the rest of the pass. The interventions (ablations, activation patching) are hooks.
 *
 * <p>Unlike the reference it computes the last block only where a readout reads: its queries, attention output and
 * MLP at {@code readPositions} (keys and values at every earlier position). The last block's activations at the other
 * positions are zero and its residual passes them through unchanged; nothing read depends on them. This keeps a pass
 * over a whole p x p grid at about a third of the reference's work for Nanda's one-layer model.
 *
 * <p>{@link #agreesWithReference} runs both passes on a few rows and compares their logits: an architecture this
 * class does not compute as the reference does (a newer option) is refused by its callers rather than answered wrongly.
 */
public final class HookedForward {

    /** Sees, and may change in place, each activation of a pass. */
    @FunctionalInterface
    public interface Hook {
        /**
         * @param name       the activation's {@link HookNames} name
         * @param activation its values, shaped as {@link HookNames#shape}; changes made here flow on
         * @param rows       the caller's id of each batch row (what it passed to {@link #run})
         */
        void at(String name, Activation activation, int[] rows);

        /** Whether {@link #at} wants {@code name} at all (the pass skips building the activation when not). */
        default boolean wants(String name) {
            return true;
        }

        Hook NONE = new Hook() {
            @Override
            public void at(String name, Activation activation, int[] rows) {
            }

            @Override
            public boolean wants(String name) {
                return false;
            }
        };
    }

    private final ModelConfig config;
    private final Map<String, double[]> w = new LinkedHashMap<>();
    private final Map<String, Tensor> tensors;

    /** @throws IllegalArgumentException naming a missing or misshapen parameter */
    public HookedForward(ModelConfig config, Map<String, Tensor> weights) {
        this.config = config;
        this.tensors = Weights.require(config, weights);
        tensors.forEach((name, t) -> w.put(name, t.doubles()));
        for (int l = 0; l < config.nLayers() && config.hasAttention(); l++) {
            // [heads, d_model, d_head] -> [d_model, heads * d_head], so a head's queries are one column block
            String p = "blocks." + l + ".attn.";
            for (String m : new String[]{"W_Q", "W_K", "W_V"}) {
                w.put(p + m + ".cat", headsConcat(w.get(p + m)));
            }
        }
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Logits per output group, {@code [batch][readPositions.length][classes]}.
     *
     * @param tokens        {@code [batch][seq]}, every id in the vocabulary, one length in [1, nCtx]
     * @param rows          the caller's id of each batch row, handed to the hook
     * @param readPositions the positions whose logits are wanted, each in [0, seq)
     */
    public Map<String, double[][][]> run(int[][] tokens, int[] rows, int[] readPositions, Hook hook) {
        int batch = tokens.length;
        int seq = checkTokens(tokens);
        if (rows.length != batch) {
            throw new IllegalArgumentException("rows: need one id per batch row");
        }
        boolean[] read = new boolean[seq];
        for (int q : readPositions) {
            if (q < 0 || q >= seq) {
                throw new IllegalArgumentException("read position " + q + " outside [0, " + seq + ")");
            }
            read[q] = true;
        }
        Pass pass = new Pass(batch, seq, rows, hook);
        double[][] resid = pass.embed(tokens);
        for (int l = 0; l < config.nLayers(); l++) {
            boolean last = l == config.nLayers() - 1;
            boolean[] computed = new boolean[seq];
            for (int s = 0; s < seq; s++) {
                computed[s] = !last || read[s];
            }
            resid = pass.block(l, resid, computed);
        }
        Map<String, double[][][]> logits = new LinkedHashMap<>();
        int d = config.dModel();
        for (OutputGroup g : config.outputs()) {
            int c = g.classes();
            double[][][] out = new double[batch][readPositions.length][];
            for (int i = 0; i < readPositions.length; i++) {
                double[] x = resid[readPositions[i]];
                if (config.layerNorm()) {
                    x = ReferenceForward.layerNorm(x, batch, config.dModel(), w.get("ln_final.w"), w.get("ln_final.b"));
                }
                double[] flat = ReferenceForward.affine(x, batch, d, w.get(config.unembedName(g)), c, null);
                for (int b = 0; b < batch; b++) {
                    out[b][i] = Arrays.copyOfRange(flat, b * c, (b + 1) * c);
                }
            }
            logits.put(g.name(), out);
        }
        return logits;
    }

    /**
     * Whether this pass and {@link ReferenceForward} give the same logits (within 1e-9, relative to the largest) on
     * {@code probe} at every position.
     */
    public boolean agreesWithReference(int[][] probe) {
        int seq = checkTokens(probe);
        int[] all = new int[seq];
        for (int s = 0; s < seq; s++) {
            all[s] = s;
        }
        Map<String, double[][][]> mine = run(probe, new int[probe.length], all, Hook.NONE);
        ReferenceForward.Result ref = new ReferenceForward(config, tensors).run(probe);
        for (OutputGroup g : config.outputs()) {
            double[][][] a = mine.get(g.name());
            double[][][] b = ref.logits(g.name());
            double scale = 1e-12;
            double diff = 0;
            for (int r = 0; r < probe.length; r++) {
                for (int s = 0; s < seq; s++) {
                    for (int c = 0; c < g.classes(); c++) {
                        scale = Math.max(scale, Math.abs(b[r][s][c]));
                        diff = Math.max(diff, Math.abs(a[r][s][c] - b[r][s][c]));
                    }
                }
            }
            if (!(diff <= 1e-9 * scale)) {
                return false;
            }
        }
        return true;
    }

    private int checkTokens(int[][] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("tokens: need at least one row");
        }
        int seq = tokens[0].length;
        if (seq < 1 || seq > config.nCtx()) {
            throw new IllegalArgumentException("tokens: sequence length must be in [1, " + config.nCtx() + "], got " + seq);
        }
        for (int[] row : tokens) {
            if (row.length != seq) {
                throw new IllegalArgumentException("tokens: rows of different lengths");
            }
            for (int t : row) {
                if (t < 0 || t >= config.dVocab()) {
                    throw new IllegalArgumentException("tokens: id " + t + " outside [0, " + config.dVocab() + ")");
                }
            }
        }
        return seq;
    }

    /** One pass: position-major storage ({@code [seq][batch * width]}) and the hook calls. */
    private final class Pass {
        private final int batch;
        private final int seq;
        private final int[] rows;
        private final Hook hook;

        Pass(int batch, int seq, int[] rows, Hook hook) {
            this.batch = batch;
            this.seq = seq;
            this.rows = rows;
            this.hook = hook;
        }

        double[][] embed(int[][] tokens) {
            int d = config.dModel();
            double[][] embed = new double[seq][batch * d];
            double[] wE = w.get("embed.W_E");
            for (int s = 0; s < seq; s++) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(wE, tokens[b][s] * d, embed[s], b * d, d);
                }
            }
            expose(HookNames.EMBED, embed, d);
            if (!config.positionalEmbedding()) {
                return copy(embed);
            }
            double[][] pos = new double[seq][batch * d];
            double[] wPos = w.get("pos_embed.W_pos");
            for (int s = 0; s < seq; s++) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(wPos, s * d, pos[s], b * d, d);
                }
            }
            expose(HookNames.POS_EMBED, pos, d);
            double[][] resid = new double[seq][];
            for (int s = 0; s < seq; s++) {
                resid[s] = add(embed[s], pos[s]);
            }
            return resid;
        }

        double[][] block(int l, double[][] residIn, boolean[] computed) {
            String p = "blocks." + l + ".";
            int d = config.dModel();
            double[][] resid = copy(residIn);
            expose(HookNames.residPre(l), resid, d);
            if (config.hasAttention()) {
                double[][] x = normed(resid, p + "ln1.w", p + "ln1.b", computed, true);
                double[][] attnOut = new Attention(this, l).run(x, computed);
                for (int s = 0; s < seq; s++) {
                    if (computed[s]) {
                        resid[s] = add(resid[s], attnOut[s]);
                    }
                }
                if (config.hasMlp()) {
                    expose(HookNames.residMid(l), resid, d);
                }
            }
            if (config.hasMlp()) {
                int m = config.dMlp();
                double[][] x = normed(resid, p + "ln2.w", p + "ln2.b", computed, false);
                double[][] pre = new double[seq][batch * m];
                for (int s = 0; s < seq; s++) {
                    if (computed[s]) {
                        pre[s] = ReferenceForward.affine(x[s], batch, d, w.get(p + "mlp.W_in"), m,
                                w.get(p + "mlp.b_in"));
                    }
                }
                expose(HookNames.mlpPre(l), pre, m);
                double[][] post = new double[seq][batch * m];
                for (int s = 0; s < seq; s++) {
                    for (int i = 0; i < post[s].length; i++) {
                        post[s][i] = Math.max(0.0, pre[s][i]);
                    }
                }
                expose(HookNames.mlpPost(l), post, m);
                for (int s = 0; s < seq; s++) {
                    if (computed[s]) {
                        resid[s] = add(resid[s], ReferenceForward.affine(post[s], batch, m, w.get(p + "mlp.W_out"), d,
                                w.get(p + "mlp.b_out")));
                    }
                }
            }
            expose(HookNames.residPost(l), resid, d);
            return resid;
        }

        /**
         * LN(resid) where a block computes (and, for the attention's keys and values, every position); identity
         * without LayerNorm.
         */
        private double[][] normed(double[][] resid, String scale, String shift, boolean[] computed, boolean allPositions) {
            if (!config.layerNorm()) {
                return resid;
            }
            double[][] x = new double[seq][];
            for (int s = 0; s < seq; s++) {
                x[s] = allPositions || computed[s]
                        ? ReferenceForward.layerNorm(resid[s], batch, config.dModel(), w.get(scale), w.get(shift))
                        : new double[resid[s].length];
            }
            return x;
        }

        /** Hands {@code perPosition} ([seq][batch * width]) to the hook as [batch, seq, width], and takes its changes. */
        void expose(String name, double[][] perPosition, int width) {
            if (!hook.wants(name)) {
                return;
            }
            double[] flat = new double[batch * seq * width];
            for (int s = 0; s < seq; s++) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(perPosition[s], b * width, flat, (b * seq + s) * width, width);
                }
            }
            hook.at(name, new Activation(new int[]{batch, seq, width}, flat), rows);
            for (int s = 0; s < seq; s++) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(flat, (b * seq + s) * width, perPosition[s], b * width, width);
                }
            }
        }

        void exposeShaped(String name, double[] values, int[] shape) {
            if (hook.wants(name)) {
                hook.at(name, new Activation(shape, values), rows);
            }
        }

        int batch() {
            return batch;
        }

        int seq() {
            return seq;
        }
    }

    /** Causal multi-head attention of one block, with its pattern and z hooks. */
    private final class Attention {
        private final Pass pass;
        private final int layer;

        Attention(Pass pass, int layer) {
            this.pass = pass;
            this.layer = layer;
        }

        double[][] run(double[][] x, boolean[] computed) {
            String p = "blocks." + layer + ".attn.";
            int batch = pass.batch(), seq = pass.seq();
            int d = config.dModel(), heads = config.nHeads(), dh = config.dHead(), hd = heads * dh;
            int maxQ = -1;
            for (int s = 0; s < seq; s++) {
                if (computed[s]) {
                    maxQ = s;
                }
            }
            double[][] q = new double[seq][], k = new double[seq][], v = new double[seq][];
            for (int s = 0; s <= maxQ; s++) {
                k[s] = ReferenceForward.affine(x[s], batch, d, w.get(p + "W_K.cat"), hd, w.get(p + "b_K"));
                v[s] = ReferenceForward.affine(x[s], batch, d, w.get(p + "W_V.cat"), hd, w.get(p + "b_V"));
                if (computed[s]) {
                    q[s] = ReferenceForward.affine(x[s], batch, d, w.get(p + "W_Q.cat"), hd, w.get(p + "b_Q"));
                }
            }
            double scale = Math.sqrt(dh);
            double[] pattern = new double[batch * heads * seq * seq];
            for (int i = 0; i < seq; i++) {
                if (!computed[i]) {
                    continue;
                }
                for (int b = 0; b < batch; b++) {
                    for (int h = 0; h < heads; h++) {
                        int row = ((b * heads + h) * seq + i) * seq;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j <= i; j++) {
                            double sc = 0;
                            for (int e = 0; e < dh; e++) {
                                sc += q[i][b * hd + h * dh + e] * k[j][b * hd + h * dh + e];
                            }
                            pattern[row + j] = sc / scale;
                            max = Math.max(max, pattern[row + j]);
                        }
                        double sum = 0;
                        for (int j = 0; j <= i; j++) {
                            pattern[row + j] = Math.exp(pattern[row + j] - max);
                            sum += pattern[row + j];
                        }
                        for (int j = 0; j <= i; j++) {
                            pattern[row + j] /= sum;
                        }
                    }
                }
            }
            pass.exposeShaped(HookNames.pattern(layer), pattern, new int[]{batch, heads, seq, seq});
            double[][] z = new double[seq][batch * hd];
            for (int i = 0; i < seq; i++) {
                if (!computed[i]) {
                    continue;
                }
                for (int b = 0; b < batch; b++) {
                    for (int h = 0; h < heads; h++) {
                        int row = ((b * heads + h) * seq + i) * seq;
                        for (int j = 0; j <= i; j++) {
                            double a = pattern[row + j];
                            int off = b * hd + h * dh;
                            for (int e = 0; e < dh; e++) {
                                z[i][off + e] += a * v[j][off + e];
                            }
                        }
                    }
                }
            }
            pass.expose(HookNames.z(layer), z, hd);
            double[][] out = new double[seq][];
            for (int s = 0; s < seq; s++) {
                // W_O [heads, d_head, d_model] is already [heads * d_head, d_model]
                out[s] = computed[s] ? ReferenceForward.affine(z[s], batch, hd, w.get(p + "W_O"), d, w.get(p + "b_O")) : null;
            }
            return out;
        }
    }

    /** [heads, d_model, d_head] -> [d_model, heads * d_head]. */
    private double[] headsConcat(double[] weight) {
        int heads = config.nHeads(), d = config.dModel(), dh = config.dHead();
        double[] r = new double[d * heads * dh];
        for (int h = 0; h < heads; h++) {
            for (int c = 0; c < d; c++) {
                System.arraycopy(weight, (h * d + c) * dh, r, c * heads * dh + h * dh, dh);
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

    private static double[][] copy(double[][] a) {
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].clone();
        }
        return r;
    }
}
