package io.grokstream.trainer.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdamWTest {

    @BeforeAll
    static void engine() {
        Engine.getEngine("PyTorch");
        Autograd.off();
    }

    /**
     * w = 1, lr 0.1, wd 0.1, betas 0.9 / 0.98, eps 1e-8, no warm-up.
     * Step 1, g = 0.5: decay w = 0.99; m = 0.05, v = 0.005; m^ = 0.5, v^ = 0.25;
     * w = 0.99 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.890000002.
     * Step 2, g = -1: decay w = 0.88110000198; m = 0.045 - 0.1 = -0.055, v = 0.0049 + 0.02 = 0.0249;
     * m^ = -0.055 / 0.19 = -0.2894737, v^ = 0.0249 / 0.0396 = 0.6287879, sqrt 0.7929615;
     * w = 0.88110000198 + 0.1 * 0.2894737 / 0.7929615 = 0.9176053928.
     */
    @Test
    void twoStepsMatchHandComputedAdamW() {
        try (NDManager pm = NDManager.newBaseManager()) {
            NDArray w = pm.create(new double[]{1.0});
            AdamW adam = new AdamW(0.1, 0.1, 0.9, 0.98, 1e-8, 0);
            adam.init(Map.of("w", w), pm);

            step(adam, pm, w, 0.5, 1);
            assertEquals(0.890000002, w.toDoubleArray()[0], 1e-12);
            step(adam, pm, w, -1.0, 2);
            assertEquals(0.9176053928168864, w.toDoubleArray()[0], 1e-12);
            assertEquals(-0.055, adam.state().get("adam.m.w").toDoubleArray()[0], 1e-15);
            assertEquals(0.0249, adam.state().get("adam.v.w").toDoubleArray()[0], 1e-15);
            adam.close();
        }
    }

    /**
     * Plain Adam (torch.optim.Adam), same settings: weight decay is an L2 term in the gradient, no decoupled decay.
     * Step 1, g = 0.5 + 0.1 * 1 = 0.6: m = 0.06, v = 0.0072; m^ = 0.6, v^ = 0.36; w = 1 - 0.1 * 0.6 / (0.6 + 1e-8).
     * Step 2, g = -1 + 0.1 * w = -0.91: m = -0.037, v = 0.023618; w = 0.92521588295 (AdamW above: 0.91760539).
     */
    @Test
    void plainAdamAddsWeightDecayToTheGradientInsteadOfDecayingTheWeight() {
        try (NDManager pm = NDManager.newBaseManager()) {
            NDArray w = pm.create(new double[]{1.0});
            AdamW adam = new AdamW(io.grokstream.contracts.OptimizerKind.ADAM, 0.1, 0.1, 0.9, 0.98, 1e-8, 0);
            adam.init(Map.of("w", w), pm);

            step(adam, pm, w, 0.5, 1);
            assertEquals(0.9000000016666666, w.toDoubleArray()[0], 1e-12);
            step(adam, pm, w, -1.0, 2);
            assertEquals(0.9252158829516904, w.toDoubleArray()[0], 1e-12);
            assertEquals(-0.03699999998333333, adam.state().get("adam.m.w").toDoubleArray()[0], 1e-15);
            adam.close();
        }
    }

    @Test
    void warmUpRisesLinearlyToTheFullRate() {
        AdamW adam = new AdamW(1e-3, 1.0, 0.9, 0.98, 1e-8, 10);
        assertEquals(1e-4, adam.learningRate(1, 1.0), 1e-18);
        assertEquals(5e-4, adam.learningRate(5, 1.0), 1e-18);
        assertEquals(1e-3, adam.learningRate(10, 1.0), 1e-18);
        assertEquals(1e-3, adam.learningRate(5000, 1.0), 1e-18);
        assertEquals(2.5e-4, adam.learningRate(5000, 0.25), 1e-18);
    }

    @Test
    void rejectsANegativeLearningRateNamingTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AdamW(-1, 1, 0.9, 0.98, 1e-8, 0));
        assertEquals(true, e.getMessage().contains("optimizer.lr"));
    }

    private static void step(AdamW adam, NDManager pm, NDArray w, double g, long t) {
        try (NDManager sm = pm.newSubManager()) {
            w.tempAttach(sm);
            adam.state().values().forEach(a -> a.tempAttach(sm));
            NDArray grad = sm.create(new double[]{g});
            adam.step(Map.of("w", w), Map.of("w", grad), t, adam.learningRate(t, 1.0));
        }
    }
}
