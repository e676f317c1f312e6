package io.grokstream.model.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.model.reference.HookNames;
import io.grokstream.model.reference.ReferenceForward;
import io.grokstream.model.reference.Weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds an ONNX model of the network from a snapshot's weights, because DJL cannot export ONNX and teams run
 * grokstream checkpoints outside it (ONNX Runtime, onnx.js, PyTorch's onnx2torch).
 *
 * <p>The graph computes exactly {@link ReferenceForward} (see there for the equations) in float32:
 * <ul>
 *   <li>input {@value #INPUT}: int64 {@code [batch, nCtx]}, batch dynamic;</li>
 *   <li>outputs {@value #LOGITS} {@code [batch, nCtx, classes]} for a single output group, {@code logits.<group>}
 *       for several (in the config's order); with {@link OnnxExportOptions#activations()} also every activation
 *       of {@link HookNames#all} under its TransformerLens hook name;</li>
 *   <li>every parameter an initializer under its TransformerLens name and shape, float32 (a float64 snapshot is
 *       narrowed; a float32 one is copied byte for byte, so the safetensors bytes can be recovered exactly);</li>
 *   <li>opset {@value #OPSET} (LayerNormalization is a standard op there), IR version {@value #IR_VERSION}.</li>
 * </ul>
 * Per block the three head projections run as one product: {@code W_Q, W_K, W_V [heads, d_model, d_head]} are
 * rearranged in-graph to one {@code [d_model, 3 * heads * d_head]} matrix (constant-folded by the runtime at load),
 * and {@code W_O [heads, d_head, d_model]} is read as {@code [heads * d_head, d_model]}, so
 * {@code attn_out = concat_h(z_h) W_O = sum_h z_h W_O[h]}.
 */
public final class OnnxExporter {

    public static final String INPUT = "tokens";
    public static final String LOGITS = "logits";
    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;
    public static final String PRODUCER = "grokstream";

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;
    private static final String BATCH = "batch";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExporter() {
    }

    /** The graph output holding a group's logits: {@code logits} for a single group, {@code logits.<group>} else. */
    public static String logitsOutput(ModelConfig config, OutputGroup group) {
        return config.outputs().size() == 1 ? LOGITS : LOGITS + "." + group.name();
    }

    /**
     * Serialises the network of {@code config} with {@code weights} to an ONNX {@code ModelProto}.
     *
     * @throws IllegalArgumentException naming a missing or misshapen parameter
     */
    public static byte[] export(ModelConfig config, Map<String, Tensor> weights, OnnxExportOptions options) {
        Map<String, Tensor> params = Weights.require(config, weights);
        OnnxExportOptions opts = options == null ? OnnxExportOptions.logitsOnly() : options;
        GraphBuilder g = new GraphBuilder("grokstream_transformer");
        params.forEach((name, t) -> g.floatInitializer(name, dims(t.shape()), float32Bytes(t)));
        new Network(config, g, opts.activations()).build();

        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER)
                .setProducerVersion(opts.metadata().getOrDefault(OnnxExportOptions.GROKSTREAM_VERSION, "unknown"))
                .setDocString("grokstream transformer: tokens [batch, " + config.nCtx() + "] -> logits per output group")
                .setGraph(g.proto());
        Map<String, String> meta = new LinkedHashMap<>(opts.metadata());
        meta.put(OnnxExportOptions.MODEL_CONFIG, configJson(config));
        meta.forEach((k, v) -> model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }

    /** The float32 little-endian bytes of a tensor: float32 data as it is, float64 narrowed. */
    static byte[] float32Bytes(Tensor t) {
        if (t.dtype() == Tensor.DType.F32) {
            return t.data();
        }
        float[] f = t.floats();
        ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f);
        return b.array();
    }

    private static long[] dims(int[] shape) {
        long[] d = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            d[i] = shape[i];
        }
        return d;
    }

    private static String configJson(ModelConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + config, e);
        }
    }

    /** The nodes of one export; value names are the hook names wherever a hook sits on the value itself. */
    private static final class Network {
        private final ModelConfig c;
        private final GraphBuilder g;
        private final boolean activations;

        Network(ModelConfig config, GraphBuilder graph, boolean activations) {
            this.c = config;
            this.g = graph;
            this.activations = activations;
        }

        void build() {
            int s = c.nCtx(), d = c.dModel();
            g.input(INPUT, INT64, GraphBuilder.Dim.of(BATCH), GraphBuilder.Dim.of(s));
            String resid = g.node("Gather", HookNames.EMBED, new String[]{"embed.W_E", INPUT}, "axis", 0L);
            expose(resid, HookNames.EMBED);
            if (c.positionalEmbedding()) {
                // [batch, seq, d] + W_pos [seq, d] broadcasts over the batch
                resid = g.node("Add", HookNames.residPre(0), new String[]{HookNames.EMBED, "pos_embed.W_pos"});
                if (activations) {
                    String shape = g.node("Shape", g.fresh("embed_shape"), new String[]{HookNames.EMBED});
                    expose(g.node("Expand", HookNames.POS_EMBED, new String[]{"pos_embed.W_pos", shape}), HookNames.POS_EMBED);
                }
            }
            String mask = c.hasAttention() ? causalMask(s) : null;
            for (int l = 0; l < c.nLayers(); l++) {
                expose(resid, HookNames.residPre(l));
                String p = "blocks." + l + ".";
                if (c.hasAttention()) {
                    String x = c.layerNorm() ? layerNorm(resid, p + "ln1") : resid;
                    String attnOut = attention(l, x, mask);
                    resid = g.node("Add", c.hasMlp() ? HookNames.residMid(l) : HookNames.residPost(l),
                            new String[]{resid, attnOut});
                    if (c.hasMlp()) {
                        expose(resid, HookNames.residMid(l));
                    }
                }
                if (c.hasMlp()) {
                    String x = c.layerNorm() ? layerNorm(resid, p + "ln2") : resid;
                    String preMat = g.node("MatMul", g.fresh(p + "mlp.in"), new String[]{x, p + "mlp.W_in"});
                    String pre = g.node("Add", HookNames.mlpPre(l), new String[]{preMat, p + "mlp.b_in"});
                    String post = g.node("Relu", HookNames.mlpPost(l), new String[]{pre});
                    expose(pre, HookNames.mlpPre(l));
                    expose(post, HookNames.mlpPost(l));
                    String outMat = g.node("MatMul", g.fresh(p + "mlp.out"), new String[]{post, p + "mlp.W_out"});
                    String out = g.node("Add", g.fresh(p + "mlp_out"), new String[]{outMat, p + "mlp.b_out"});
                    resid = g.node("Add", HookNames.residPost(l), new String[]{resid, out});
                }
                expose(resid, HookNames.residPost(l));
            }
            String fin = c.layerNorm() ? layerNorm(resid, "ln_final") : resid;
            for (OutputGroup group : c.outputs()) {
                String name = logitsOutput(c, group);
                g.node("MatMul", name, new String[]{fin, c.unembedName(group)});
                g.output(name, FLOAT, GraphBuilder.Dim.of(BATCH), GraphBuilder.Dim.of(s), GraphBuilder.Dim.of(group.classes()));
            }
        }

        /** Multi-head causal attention of block {@code l}; returns attn_out [batch, seq, d_model]. */
        private String attention(int l, String x, String mask) {
            String p = "blocks." + l + ".attn.";
            int h = c.nHeads(), dh = c.dHead(), d = c.dModel();
            // W_Q, W_K, W_V [h, d, dh] -> [d, h, dh] -> [d, h*dh], concatenated to [d, 3*h*dh]
            String toCols = g.int64Constant(g.fresh(p + "cols_shape"), d, (long) h * dh);
            String[] cols = new String[3];
            String[] names = {"W_Q", "W_K", "W_V"};
            for (int i = 0; i < 3; i++) {
                String t = g.node("Transpose", g.fresh(p + names[i] + "_t"), new String[]{p + names[i]}, "perm", new long[]{1, 0, 2});
                cols[i] = g.node("Reshape", g.fresh(p + names[i] + "_cols"), new String[]{t, toCols});
            }
            String wQkv = g.node("Concat", g.fresh(p + "W_QKV"), cols, "axis", 1L);
            String qkv = g.node("MatMul", g.fresh(p + "qkv"), new String[]{x, wQkv});
            // [b, s, 3*h*dh] -> [b, s, 3h, dh] -> [b, 3h, s, dh] -> q, k, v [b, h, s, dh]
            String heads = g.node("Reshape", g.fresh(p + "qkv_heads"),
                    new String[]{qkv, g.int64Constant(g.fresh(p + "heads_shape"), 0, 0, 3L * h, dh)});
            String byHead = g.node("Transpose", g.fresh(p + "qkv_by_head"), new String[]{heads}, "perm", new long[]{0, 2, 1, 3});
            String q = g.fresh(p + "q"), k = g.fresh(p + "k"), v = g.fresh(p + "v");
            g.node("Split", new String[]{byHead}, new String[]{q, k, v}, "axis", 1L);
            String kT = g.node("Transpose", g.fresh(p + "k_t"), new String[]{k}, "perm", new long[]{0, 1, 3, 2});
            // scores = q k^T / sqrt(d_head) + mask; pattern = softmax over the keys
            String raw = g.node("MatMul", g.fresh(p + "scores_raw"), new String[]{q, kT});
            String sqrt = g.floatConstant(g.fresh(p + "sqrt_d_head"), new long[0], (float) Math.sqrt(dh));
            String scaled = g.node("Div", g.fresh(p + "scores"), new String[]{raw, sqrt});
            String masked = g.node("Add", g.fresh(p + "scores_masked"), new String[]{scaled, mask});
            String pattern = g.node("Softmax", HookNames.pattern(l), new String[]{masked}, "axis", -1L);
            expose(pattern, HookNames.pattern(l));
            // z [b, h, s, dh] -> hook_z [b, s, h, dh] -> [b, s, h*dh]; attn_out = z W_O with W_O as [h*dh, d]
            String zByHead = g.node("MatMul", g.fresh(p + "z_by_head"), new String[]{pattern, v});
            String z = g.node("Transpose", HookNames.z(l), new String[]{zByHead}, "perm", new long[]{0, 2, 1, 3});
            expose(z, HookNames.z(l));
            String zFlat = g.node("Reshape", g.fresh(p + "z_flat"),
                    new String[]{z, g.int64Constant(g.fresh(p + "z_flat_shape"), 0, 0, (long) h * dh)});
            String wO = g.node("Reshape", g.fresh(p + "W_O_rows"),
                    new String[]{p + "W_O", g.int64Constant(g.fresh(p + "rows_shape"), (long) h * dh, d)});
            return g.node("MatMul", g.fresh(p + "attn_out"), new String[]{zFlat, wO});
        }

        /** [seq, seq]: 0 where key <= query, -inf above the diagonal (a softmax weight of exactly zero). */
        private String causalMask(int s) {
            float[] m = new float[s * s];
            for (int i = 0; i < s; i++) {
                for (int j = i + 1; j < s; j++) {
                    m[i * s + j] = Float.NEGATIVE_INFINITY;
                }
            }
            return g.floatConstant("causal_mask", new long[]{s, s}, m);
        }

        /** ONNX LayerNormalization (opset 17) over the last axis is TransformerLens' LayerNorm with the same eps. */
        private String layerNorm(String x, String prefix) {
            return g.node("LayerNormalization", g.fresh(prefix), new String[]{x, prefix + ".w", prefix + ".b"},
                    "axis", -1L, "epsilon", (float) ReferenceForward.LAYER_NORM_EPS);
        }

        /** With activations on, makes {@code value} a graph output named {@code hook} (an Identity if named otherwise). */
        private void expose(String value, String hook) {
            if (!activations) {
                return;
            }
            if (!value.equals(hook)) {
                g.node("Identity", hook, new String[]{value});
            }
            int[] shape = HookNames.shape(c, hook, 1, c.nCtx());
            GraphBuilder.Dim[] dims = new GraphBuilder.Dim[shape.length];
            dims[0] = GraphBuilder.Dim.of(BATCH);
            for (int i = 1; i < shape.length; i++) {
                dims[i] = GraphBuilder.Dim.of(shape[i]);
            }
            g.output(hook, FLOAT, dims);
        }
    }
}
