package io.grokstream.analysis.forward;

import io.grokstream.analysis.ModularTasks;
import io.grokstream.analysis.math.Dense;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.model.reference.RandomWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ONNX Runtime on the model module's export gives the same activations as the Java forward pass (float32). */
class OnnxActivationsTest {

    @ParameterizedTest
    @CsvSource({"1, false", "2, true"})
    void exportedNetworkAgreesWithTheJavaForwardPass(int layers, boolean layerNorm) {
        int p = 11;
        ModelConfig cfg = new ModelConfig(layers, 16, 2, 8, 24, p + 1, 3, List.of(new OutputGroup("out", p)),
                false, false, layerNorm, true, "float32");
        Map<String, Tensor> w = RandomWeights.of(cfg, 7);
        TaskDefined task = ModularTasks.addition("t", p, 0.5, 3);
        Activations onnx = new OnnxActivations(2).run(cfg, w, task);
        Activations java = new JavaForward().run(cfg, w, task);
        assertClose(java.logits().get("out"), onnx.logits().get("out"));
        assertClose(java.mlpPost(), onnx.mlpPost());
        assertClose(java.attentionLast(), onnx.attentionLast());
    }

    private static void assertClose(Dense expected, Dense actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        for (int r = 0; r < expected.rows(); r++) {
            for (int c = 0; c < expected.cols(); c++) {
                assertEquals(expected.get(r, c), actual.get(r, c), 1e-4 * (1 + Math.abs(expected.get(r, c))),
                        "row " + r + " column " + c);
            }
        }
    }
}
