package io.grokstream.trainer.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.grokstream.model.Initialization;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The papers' training-time options: dropout masks and PyTorch's default initialisation. */
class SetupVariantsTest {

    @BeforeAll
    static void engine() {
        Engine.getEngine("PyTorch");
        Autograd.off();
    }

    @Test
    void dropoutZeroesAboutPAndScalesTheRestAndRepeatsForOneSeedAndStep() {
        try (NDManager sm = NDManager.newBaseManager()) {
            NDArray ones = sm.ones(new Shape(50, 4, 100));
            double[] a = Dropout.forStep(0.1, 7, 12).apply(ones, 3, sm).toType(DataType.FLOAT64, false).toDoubleArray();
            double[] again = Dropout.forStep(0.1, 7, 12).apply(ones, 3, sm).toType(DataType.FLOAT64, false).toDoubleArray();
            double[] nextStep = Dropout.forStep(0.1, 7, 13).apply(ones, 3, sm).toType(DataType.FLOAT64, false).toDoubleArray();
            double[] otherSite = Dropout.forStep(0.1, 7, 12).apply(ones, 4, sm).toType(DataType.FLOAT64, false).toDoubleArray();

            long zeros = Arrays.stream(a).filter(v -> v == 0).count();
            assertEquals(0.1, zeros / (double) a.length, 0.01, "about p of 20,000 dropped");
            assertTrue(Arrays.stream(a).allMatch(v -> v == 0 || Math.abs(v - 1 / 0.9) < 1e-6), "kept ones scaled 1/(1-p)");
            assertArrayEquals(a, again, "a resumed run draws the same masks");
            assertFalse(Arrays.equals(a, nextStep));
            assertFalse(Arrays.equals(a, otherSite));
            assertArrayEquals(ones.toType(DataType.FLOAT64, false).toDoubleArray(), Dropout.forStep(0, 7, 12).apply(ones, 3, sm).toType(DataType.FLOAT64, false).toDoubleArray());
        }
    }

    @Test
    void pytorchInitialisationDrawsEachParameterFromItsModulesDefault() {
        ModelConfig lee = ModelConfig.leeGrokfast(97);
        assertEquals(Initialization.PYTORCH, lee.initialization());
        Map<String, Tensor> w = Initializer.initialWeights(lee, 0);
        assertEquals(1.0, std(w.get("embed.W_E").doubles()), 0.02, "nn.Embedding: N(0, 1)");
        // Xavier-uniform over the packed [3 * 128, 128] in-projection: bound sqrt(6 / 512), std bound / sqrt 3
        double bound = Math.sqrt(6.0 / 512);
        assertEquals(bound, maxAbs(w.get("blocks.0.attn.W_Q").doubles()), bound * 0.01);
        assertEquals(bound / Math.sqrt(3), std(w.get("blocks.1.attn.W_K").doubles()), bound * 0.02);
        assertEquals(1 / Math.sqrt(128), maxAbs(w.get("blocks.0.mlp.b_in").doubles()), 0.005, "nn.Linear bias U(±1/sqrt(fan_in))");
        assertEquals(1 / Math.sqrt(512), maxAbs(w.get("blocks.0.mlp.W_out").doubles()), 1e-3);
        assertEquals(0.0, maxAbs(w.get("blocks.0.attn.b_Q").doubles()), "attention biases start at zero");
        assertEquals(0.0, maxAbs(w.get("ln_final.b").doubles()));
        assertEquals(1.0, w.get("blocks.1.ln2.w").doubles()[5]);
    }

    private static double std(double[] v) {
        double mean = Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
    }

    private static double maxAbs(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElseThrow();
    }
}
