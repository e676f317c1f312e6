package io.grokstream.analysis.forward;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.grokstream.analysis.math.Dense;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.model.onnx.OnnxExportOptions;
import io.grokstream.model.onnx.OnnxExporter;
import io.grokstream.model.reference.HookNames;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Activations from ONNX Runtime running the model module's ONNX export of the snapshot (with its TransformerLens
 * hook outputs): one session run over all task inputs, asking only for the logits, the last block's
 * {@code mlp.hook_post} and {@code attn.hook_pattern}. Works for every architecture the exporter does (any depth,
 * LayerNorm); {@link JavaForward}'s token tables are the faster path for one-layer models.
 */
public final class OnnxActivations implements ActivationSource {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final int threads;

    public OnnxActivations(int threads) {
        this.threads = Math.max(1, threads);
    }

    @Override
    public Activations run(ModelConfig cfg, Map<String, Tensor> weights, TaskDefined task) {
        int[][] inputs = task.data().inputs();
        int n = inputs.length;
        int seq = cfg.nCtx();
        LongBuffer tokens = ByteBuffer.allocateDirect(n * seq * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
        for (int[] row : inputs) {
            if (row.length != seq) {
                throw new IllegalArgumentException("the ONNX export takes rows of " + seq + " tokens, the task has " + row.length);
            }
            for (int t : row) {
                tokens.put(t);
            }
        }
        tokens.rewind();
        byte[] model = OnnxExporter.export(cfg, weights, OnnxExportOptions.logitsOnly().withActivations(true));
        int last = cfg.nLayers() - 1;
        int q = task.targets().get(0).position();
        Set<String> wanted = new HashSet<>();
        Map<String, String> logitsOutput = new LinkedHashMap<>();
        for (TaskDefined.Target t : task.targets()) {
            OutputGroup g = cfg.outputs().stream().filter(o -> o.name().equals(t.group())).findFirst()
                    .orElseGet(() -> cfg.outputs().get(0));
            logitsOutput.put(t.name(), OnnxExporter.logitsOutput(cfg, g));
        }
        wanted.addAll(logitsOutput.values());
        if (cfg.hasMlp()) {
            wanted.add(HookNames.mlpPost(last));
        }
        if (cfg.hasAttention()) {
            wanted.add(HookNames.pattern(last));
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor in = OnnxTensor.createTensor(env, tokens, new long[]{n, seq});
                 OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, in), wanted)) {
                Map<String, Dense> logits = new LinkedHashMap<>();
                for (TaskDefined.Target t : task.targets()) {
                    OnnxTensor l = (OnnxTensor) r.get(logitsOutput.get(t.name())).orElseThrow();
                    long[] shape = l.getInfo().getShape();           // [n, seq, classes]
                    logits.put(t.name(), slice(l.getFloatBuffer(), n, (int) shape[1], (int) shape[2], t.position()));
                }
                Dense post = null;
                if (cfg.hasMlp()) {
                    OnnxTensor p = (OnnxTensor) r.get(HookNames.mlpPost(last)).orElseThrow();
                    post = slice(p.getFloatBuffer(), n, seq, cfg.dMlp(), q);
                }
                Dense pattern = null;
                if (cfg.hasAttention()) {
                    OnnxTensor a = (OnnxTensor) r.get(HookNames.pattern(last)).orElseThrow();
                    FloatBuffer fb = a.getFloatBuffer();             // [n, heads, seq(query), seq(key)]
                    int heads = cfg.nHeads();
                    double[] out = new double[n * heads * seq];
                    for (int i = 0; i < n; i++) {
                        for (int h = 0; h < heads; h++) {
                            int src = ((i * heads + h) * seq + q) * seq;
                            for (int k = 0; k < seq; k++) {
                                out[(i * heads + h) * seq + k] = fb.get(src + k);
                            }
                        }
                    }
                    pattern = Dense.adopt(n, heads * seq, out);
                }
                return new Activations(logits, post, pattern);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run the exported snapshot: " + e.getMessage(), e);
        }
    }

    /** {@code [n, seq, width]} at one position as {@code [n, width]}. */
    private static Dense slice(FloatBuffer values, int n, int seq, int width, int position) {
        double[] out = new double[n * width];
        for (int i = 0; i < n; i++) {
            int src = (i * seq + position) * width;
            for (int j = 0; j < width; j++) {
                out[i * width + j] = values.get(src + j);
            }
        }
        return Dense.adopt(n, width, out);
    }
}
