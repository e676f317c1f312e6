package io.grokstream.contracts;

import java.util.Map;

/**
 * Nanda et al. (2023)'s task, defined once: modular addition mod 113, trained on 30% of the 12,769 pairs (3,830
 * rows) split with seed 598. The dataset service's defaults, its default catalog, the gateway's default task and
 * the trainer's command line all start from it. The model and optimizer of the paper are
 * {@link ExperimentSubmitted.OptimizerConfig#defaults()} and the gateway's request defaults.
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

    private NandaPreset() {
    }

    /** Whether a task's parameters are Nanda's split (train fraction and seed; the modulus is checked apart). */
    public static boolean isNandaSplit(Map<String, Object> parameters) {
        Map<String, Object> p = parameters == null ? Map.of() : parameters;
        return p.get("trainFraction") instanceof Number f && Math.abs(f.doubleValue() - TRAIN_FRACTION) < 1e-12
                && p.get("seed") instanceof Number seed && seed.longValue() == SPLIT_SEED;
    }
}
