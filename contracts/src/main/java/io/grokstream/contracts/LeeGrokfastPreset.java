package io.grokstream.contracts;

import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.model.ModelConfig;

/**
 * Lee et al.'s (2024) GrokFast setup, defined once, as their public {@code main.py} and README state it: x * y mod
 * 97 with y != 0, tokens {@code x ∘ y =} ({@link SequenceLayout#GROKFAST}), half the 9,312 pairs trained on, the
 * transformer of {@link ModelConfig#leeGrokfast(int)}, plain Adam (betas 0.9 / 0.98, lr 1e-3, 10 warm-up steps)
 * on batches of 512, and three runs: no filter with weight decay 0, EMA (alpha 0.98, lambda 2) with weight decay
 * 0.005, MA (window 100, lambda 5) with weight decay 0.01. Their README's table gives the steps to 95% validation
 * accuracy this setup reaches ({@link #CLAIMED_BASELINE_STEPS} and the two below).
 */
public final class LeeGrokfastPreset {
    /** The dataset service's task kind and operation. */
    public static final String KIND = "modular";
    public static final String OPERATION = "multiply";
    public static final SequenceLayout LAYOUT = SequenceLayout.GROKFAST;
    public static final int P = 97;
    /** {@code torch.randperm(n).split(n // 2)}: half the pairs train. */
    public static final double TRAIN_FRACTION = 0.5;
    /** main.py's default {@code --batch_size}. */
    public static final int BATCH_SIZE = 512;
    /** Their README: steps to 95% validation accuracy, baseline 39,890, EMA 910 (x43.8), MA 790 (x50.5). */
    public static final long CLAIMED_BASELINE_STEPS = 39_890;
    public static final long CLAIMED_EMA_STEPS = 910;
    public static final long CLAIMED_MA_STEPS = 790;
    /** The weight decays of the three runs in their README's commands. */
    public static final double BASELINE_WEIGHT_DECAY = 0.0;
    public static final double EMA_WEIGHT_DECAY = 0.005;
    public static final double MA_WEIGHT_DECAY = 0.01;
    /** The accuracy whose first crossing their table times. */
    public static final double TARGET_ACCURACY = 0.95;

    private LeeGrokfastPreset() {
    }

    /** Their transformer for the task mod {@link #P}. */
    public static ModelConfig model() {
        return ModelConfig.leeGrokfast(P);
    }

    /** {@code torch.optim.Adam(lr=1e-3, betas=(0.9, 0.98), weight_decay=wd)}, eps 1e-8, 10 warm-up steps, batch 512. */
    public static OptimizerConfig optimizer(double weightDecay) {
        return new OptimizerConfig(1e-3, weightDecay, 0.9, 0.98, 1e-8, 10, BATCH_SIZE, OptimizerKind.ADAM);
    }

    /** {@code --filter ema --alpha 0.98 --lamb 2.0}. */
    public static GrokFastConfig ema() {
        return GrokFastConfig.ema(0.98, 2.0);
    }

    /** {@code --filter ma --window_size 100 --lamb 5.0} (mean over the window, applied once it is full). */
    public static GrokFastConfig ma() {
        return GrokFastConfig.ma(100, 5.0);
    }
}
