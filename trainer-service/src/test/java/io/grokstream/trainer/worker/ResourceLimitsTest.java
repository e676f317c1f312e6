package io.grokstream.trainer.worker;

import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceLimitsTest {

    private static ModelConfig model(int dModel, int nHeads, int dMlp, int dVocab, boolean attnOnly, String dtype) {
        return new ModelConfig(1, dModel, nHeads, dModel / nHeads, dMlp, dVocab, 3,
                List.of(new OutputGroup("out", dVocab - 1)), attnOnly, false, false, true, dtype);
    }

    @Test
    void activationEstimateIsRowsTimesPositionsTimesMlpWidthTimesBytesTimesFactor() {
        // Nanda p = 113: 12,769 rows x 3 positions x 512 x 4 bytes x 4 = 313,810,944 bytes
        assertEquals(12_769L * 3 * 512 * 4 * 4, ResourceLimits.activationBytes(ModelConfig.nanda(113), 12_769));
        assertEquals(313_810_944L, ResourceLimits.activationBytes(ModelConfig.nanda(113), 12_769));
    }

    @Test
    void float64DoublesTheEstimateAndAttentionOnlyUsesTheResidualWidth() {
        assertEquals(100L * 3 * 512 * 8 * 4, ResourceLimits.activationBytes(model(128, 4, 512, 8, false, "float64"), 100));
        assertEquals(100L * 3 * 128 * 4 * 4, ResourceLimits.activationBytes(model(128, 4, 512, 8, true, "float32"), 100));
    }

    @Test
    void nandasModelFitsTheDefaultBudget() {
        TaskDefined task = WorkerTestKit.modularAddition("t", 113, 0.3, 1);
        assertTrue(ResourceLimits.withBudget(4L << 30).refusal(ModelConfig.nanda(113), task).isEmpty());
    }

    @Test
    void aModelOverTheParameterLimitIsRefusedNamingTheLimit() {
        TaskDefined task = WorkerTestKit.modularAddition("t", 5, 0.5, 1);
        ModelConfig nanda = ModelConfig.nanda(113);
        ResourceLimits limits = new ResourceLimits(nanda.parameterCount() - 1, 4L << 30);

        String why = limits.refusal(nanda, task).orElseThrow();

        assertTrue(why.contains(nanda.parameterCount() + " parameters"), why);
        assertTrue(why.contains("MAX_PARAMETERS"), why);
    }

    @Test
    void aTaskWhoseActivationsExceedTheBudgetIsRefusedNamingTheBudget() {
        TaskDefined task = WorkerTestKit.modularAddition("t", 113, 0.3, 1);
        long needed = ResourceLimits.activationBytes(ModelConfig.nanda(113), task.data().rows());

        String why = ResourceLimits.withBudget(needed - 1).refusal(ModelConfig.nanda(113), task).orElseThrow();

        assertTrue(why.contains("memory budget of " + (needed - 1) + " bytes"), why);
        assertTrue(ResourceLimits.withBudget(needed).refusal(ModelConfig.nanda(113), task).isEmpty());
    }

    @Test
    void aNonPositiveBudgetIsRejectedWithTheSettingsName() {
        var e = assertThrows(IllegalArgumentException.class, () -> ResourceLimits.withBudget(0));
        assertTrue(e.getMessage().contains("memory-budget-bytes"));
    }
}
