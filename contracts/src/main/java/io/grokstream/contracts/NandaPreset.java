package io.grokstream.contracts;

import io.grokstream.model.ModelConfig;

import java.util.Map;

/**
 * Nanda et al. (2023)'s run, defined once: modular addition mod 113, trained on 30% of the 12,769 pairs (3,830
 * rows) split with seed 598, by a one-layer transformer (d_model 128, 4 heads of 32, d_mlp 512, ReLU, no LayerNorm,
 * learned positions) with full-batch AdamW (lr 1e-3, weight decay 1, betas (0.9, 0.98)) for 40,000 steps (Section 3
 * and Appendix A). The dataset service's defaults and default catalog, the gateway's request defaults and default
 * task (served at {@code GET /api/presets}), the trainer's command line and the reproductions all start from it.
 */
public final class NandaPreset {
    /** The dataset service's task kind. */
    public static final String KIND = "modular";
    /** The operation: {@code (x + y) mod p}. */
    public static final String OPERATION = "add";
    /** The modulus. */
    public static final int P = 113;
    /** The share of the p² pairs trained on. */
    public static final double TRAIN_FRACTION = 0.3;
    /** The seed of the train/validation split. */
    public static final int SPLIT_SEED = 598;
    /** Full-batch steps of the paper's run (40,000 epochs of the 3,830 training rows). */
    public static final long STEPS = 40_000;

    private NandaPreset() {
    }

    /** The paper's transformer for the task mod {@link #P} ({@link ModelConfig#nanda(int)}). */
    public static ModelConfig model() {
        return ModelConfig.nanda(P);
    }

    /**
     * The paper's optimizer: AdamW, lr 1e-3, weight decay 1, betas (0.9, 0.98), eps 1e-8, 10 warm-up steps, full
     * batch (batch size 0).
     */
    public static ExperimentSubmitted.OptimizerConfig optimizer() {
        return new ExperimentSubmitted.OptimizerConfig(1e-3, 1.0, 0.9, 0.98, 1e-8, 10, 0);
    }

    /** Whether a task's parameters are Nanda's split (train fraction and seed; the modulus is checked apart). */
    public static boolean isNandaSplit(Map<String, Object> parameters) {
        Map<String, Object> p = parameters == null ? Map.of() : parameters;
        return p.get("trainFraction") instanceof Number f && Math.abs(f.doubleValue() - TRAIN_FRACTION) < 1e-12
                && p.get("seed") instanceof Number seed && seed.longValue() == SPLIT_SEED;
    }
}
