package io.grokstream.trainer.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.Biases;
import io.grokstream.model.Initialization;
import io.grokstream.model.MlpActivation;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.NormPlacement;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.model.onnx.OnnxExportOptions;
import io.grokstream.model.onnx.OnnxExporter;
import io.grokstream.model.reference.RandomWeights;
import io.grokstream.model.reference.ReferenceForward;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine's DJL forward pass against the {@code model} module's executable definitions: the float64
 * {@link ReferenceForward} and the {@link OnnxExporter} graph run in ONNX Runtime, for several architectures, with
 * targets at several positions (so the last layer's query subset is checked against full-sequence logits).
 */
class ReferenceParityTest {

    static Stream<ModelConfig> architectures() {
        List<OutputGroup> one = List.of(new OutputGroup("out", 7));
        List<OutputGroup> two = List.of(new OutputGroup("a", 5), new OutputGroup("b", 3));
        return Stream.of(
                ModelConfig.nanda(7).withTask(8, 3, one),
                new ModelConfig(1, 16, 4, 4, 32, 8, 3, one, true, false, false, true, "float32"),
                new ModelConfig(1, 16, 4, 4, 32, 8, 3, one, false, true, false, true, "float32"),
                new ModelConfig(2, 16, 2, 8, 32, 8, 3, one, false, false, true, false, "float32"),
                new ModelConfig(2, 12, 3, 4, 24, 8, 4, two, false, false, true, true, "float64"),
                // Lee et al.'s GrokFast block: GELU, attention biases, LN1's output as the residual
                new ModelConfig(2, 16, 4, 4, 32, 9, 4, one, false, false, true, true, "float32", MlpActivation.GELU,
                        Biases.ALL, NormPlacement.PRE_NORMED_RESIDUAL, 0.0, Initialization.PYTORCH),
                new ModelConfig(2, 12, 3, 4, 24, 8, 3, one, false, false, true, true, "float64").withBiases(Biases.NONE),
                ModelConfig.nanda(7).withTask(8, 3, one).withBiases(Biases.NONE));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void djlLogitsEqualReferenceForwardAndOnnxRuntime(ModelConfig c) throws Exception {
        List<TaskDefined.Target> targets = targets(c);
        int[][] inputs = ForwardFixtures.allSequences(c.dVocab(), c.nCtx(), 16, 3);
        Map<String, Tensor> weights = RandomWeights.of(c, 17);
        TaskDefined task = ForwardFixtures.task(c, inputs, targets);

        double[][][] djl = ForwardFixtures.djlLogits(c, task, weights);
        ReferenceForward.Result reference = new ReferenceForward(c, weights).run(inputs);
        Map<String, float[][][]> ort = onnxLogits(c, weights, inputs);

        double refTol = c.dtype().equals("float64") ? 1e-9 : 1e-4;
        for (int k = 0; k < targets.size(); k++) {
            TaskDefined.Target t = targets.get(k);
            double[][][] ref = reference.logits(t.group());
            float[][][] onnx = ort.get(t.group());
            for (int r = 0; r < inputs.length; r++) {
                for (int j = 0; j < t.classes(); j++) {
                    String where = c + " target " + t.name() + " row " + r + " class " + j;
                    assertEquals(ref[r][t.position()][j], djl[k][r][j], refTol, "reference: " + where);
                    assertEquals(onnx[r][t.position()][j], djl[k][r][j], 1e-4, "onnx: " + where);
                }
            }
        }
    }

    private static List<TaskDefined.Target> targets(ModelConfig c) {
        List<TaskDefined.Target> out = new ArrayList<>();
        int i = 0;
        for (OutputGroup g : c.outputs()) {
            out.add(new TaskDefined.Target(g.name() + "_last", c.nCtx() - 1, g.classes(), g.name(), 1.0));
            out.add(new TaskDefined.Target(g.name() + "_p" + i, i % (c.nCtx() - 1), g.classes(), g.name(), 1.0));
            i++;
        }
        return out;
    }

    /**
     * ONNX Runtime on a thread with a 64 MB stack: creating a session for these graphs overflowed the default
     * 1 MB Java thread stack in native code (a segfault of the whole test JVM, no Java exception).
     */
    private static Map<String, float[][][]> onnxLogits(ModelConfig c, Map<String, Tensor> w, int[][] inputs)
            throws Exception {
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(runOnnx(c, w, inputs));
            } catch (Exception | Error e) {
                result.set(e);
            }
        }, "onnx-runtime", 64L << 20);
        t.start();
        t.join();
        if (result.get() instanceof Exception e) {
            throw e;
        }
        if (result.get() instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        Map<String, float[][][]> logits = (Map<String, float[][][]>) result.get();
        return logits;
    }

    private static Map<String, float[][][]> runOnnx(ModelConfig c, Map<String, Tensor> w, int[][] inputs)
            throws Exception {
        byte[] model = OnnxExporter.export(c, w, OnnxExportOptions.logitsOnly());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[][] tokens = new long[inputs.length][];
        for (int r = 0; r < inputs.length; r++) {
            tokens[r] = java.util.Arrays.stream(inputs[r]).asLongStream().toArray();
        }
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, tokens);
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, in))) {
            Map<String, float[][][]> out = new java.util.LinkedHashMap<>();
            for (OutputGroup g : c.outputs()) {
                out.put(g.name(), (float[][][]) result.get(OnnxExporter.logitsOutput(c, g)).orElseThrow().getValue());
            }
            return out;
        }
    }
}
