package io.grokstream.contracts;

import io.grokstream.model.ModelConfig;

import java.time.Instant;

/**
 * A team's request to train a model on a task, published by the gateway on {@code grokstream.experiments.v1}.
 * Trainer workers in group {@code trainers} take it. The gateway's defaults are {@link NandaPreset}.
 *
 * @param model      the full architecture, vocabulary and output groups already resolved from the task
 * @param publicRead whether other teams may read the experiment
 * @param sweepId    the sweep this experiment belongs to, or {@code null}
 * @param clonedFrom the experiment this one was cloned from, or {@code null}
 */
public record ExperimentSubmitted(
        String experimentId,
        String team,
        String name,
        String taskId,
        String taskSha256,
        ModelConfig model,
        OptimizerConfig optimizer,
        GrokFastConfig grokfast,
        TrainingBudget budget,
        long seed,
        Cadence cadence,
        boolean publicRead,
        String sweepId,
        String clonedFrom,
        Instant submittedAt) implements GrokEvent {

    @Override
    public String subject() {
        return experimentId;
    }

    /**
     * Adam with linear warm-up; weight decay decoupled (AdamW, Loshchilov and Hutter 2019) or as an L2 term (plain
     * Adam), as {@link OptimizerKind} says. Nanda's is {@link NandaPreset#optimizer()}, Lee et al.'s
     * {@link LeeGrokfastPreset#optimizer(double)}.
     *
     * @param batchSize 0 for full batch
     * @param kind      AdamW when absent (configurations written before plain Adam existed)
     */
    public record OptimizerConfig(double lr, double weightDecay, double beta1, double beta2, double eps,
                                  int warmupSteps, int batchSize, OptimizerKind kind) {
        public OptimizerConfig {
            kind = kind == null ? OptimizerKind.ADAMW : kind;
        }

        /** AdamW. */
        public OptimizerConfig(double lr, double weightDecay, double beta1, double beta2, double eps,
                               int warmupSteps, int batchSize) {
            this(lr, weightDecay, beta1, beta2, eps, warmupSteps, batchSize, OptimizerKind.ADAMW);
        }
    }

    /**
     * GrokFast gradient filters (Lee et al. 2024). {@code kind}: {@code none}, {@code ema} (alpha, lambda) or
     * {@code ma} (window, lambda, reduction {@code mean} or {@code sum}).
     */
    public record GrokFastConfig(String kind, double alpha, double lambda, int window, String reduction) {
        public static GrokFastConfig none() {
            return new GrokFastConfig("none", 0.98, 2.0, 100, "mean");
        }

        public static GrokFastConfig ema(double alpha, double lambda) {
            return new GrokFastConfig("ema", alpha, lambda, 100, "mean");
        }

        public static GrokFastConfig ma(int window, double lambda) {
            return new GrokFastConfig("ma", 0.98, lambda, window, "mean");
        }

        public boolean enabled() {
            return !"none".equals(kind);
        }
    }

    /**
     * A step budget and two optional early stops: once validation accuracy reaches a threshold (the trainer stops),
     * and once the grokking forecast ({@link GrokForecaster#stopReason}) says the run will not grok within the budget
     * (the gateway cancels it, with the forecast as the reason).
     *
     * @param stopIfForecastNotToGrok opt-in; absent (records written before the forecast existed) is false
     */
    public record TrainingBudget(long maxSteps, Double stopAtValidationAccuracy, boolean stopIfForecastNotToGrok) {
        /** Without the forecast's stop. */
        public TrainingBudget(long maxSteps, Double stopAtValidationAccuracy) {
            this(maxSteps, stopAtValidationAccuracy, false);
        }
    }

    /**
     * How often the trainer publishes: metrics every {@code metricsEvery} steps; snapshots every
     * {@code snapshotEveryEarly} steps during the first {@code earlySteps}, then every {@code snapshotEvery}
     * (Nanda saves every 100 epochs, denser early); a checkpoint every {@code checkpointEvery} steps.
     *
     * @param snapshots how snapshots are spaced; null (records written before adaptive snapshots) is the fixed
     *                  cadence above, which {@link #snapshotDue} keeps
     */
    public record Cadence(int metricsEvery, int snapshotEvery, int snapshotEveryEarly, int earlySteps,
                          int checkpointEvery, SnapshotPolicy snapshots) {
        public Cadence {
            snapshots = snapshots == null ? SnapshotPolicy.FIXED : snapshots;
        }

        /** A fixed snapshot cadence. */
        public Cadence(int metricsEvery, int snapshotEvery, int snapshotEveryEarly, int earlySteps,
                       int checkpointEvery) {
            this(metricsEvery, snapshotEvery, snapshotEveryEarly, earlySteps, checkpointEvery, SnapshotPolicy.FIXED);
        }

        public static Cadence defaults() {
            return new Cadence(10, 100, 20, 1000, 500);
        }

        /** This cadence with {@code policy} for its snapshots. */
        public Cadence withSnapshots(SnapshotPolicy policy) {
            return new Cadence(metricsEvery, snapshotEvery, snapshotEveryEarly, earlySteps, checkpointEvery, policy);
        }

        /** Whether a fixed-cadence snapshot is due after {@code step} (1-based count of completed steps). */
        public boolean snapshotDue(long step) {
            return step % (step <= earlySteps ? snapshotEveryEarly : snapshotEvery) == 0;
        }
    }

    /**
     * How the trainer spends snapshots. {@link SnapshotMode#FIXED}: on the cadence (the other fields are 0).
     * {@link SnapshotMode#ADAPTIVE}: at most {@code budget} snapshots over the run, the last step always among them;
     * sparse while nothing changes, every {@code minEvery} steps around a detected transition (memorised, validation
     * accuracy rising fast, the validation loss turning down, grokked, a loss spike), with the {@code lookBack}
     * weights kept in memory every {@code minEvery} steps before it published too.
     *
     * @param budget   the most snapshots the run publishes, at least 2 (the sparse spacing and the last step)
     * @param minEvery the closest two snapshots may be, in steps, at least 1
     * @param lookBack how many earlier weights (every {@code minEvery} steps) are kept for a transition, 0 to 64
     */
    public record SnapshotPolicy(SnapshotMode mode, int budget, int minEvery, int lookBack) {
        public static final SnapshotPolicy FIXED = new SnapshotPolicy(SnapshotMode.FIXED, 0, 0, 0);
        public static final int DEFAULT_MIN_EVERY = 10;
        public static final int DEFAULT_LOOK_BACK = 4;
        public static final int MAX_BUDGET = 100_000;
        /** Kept weights are held in memory: 64 copies of Nanda's 0.9 MB model are 58 MB. */
        public static final int MAX_LOOK_BACK = 64;

        /**
         * @throws IllegalArgumentException naming the field ({@code snapshots.budget}, ...) that is out of range
         */
        public SnapshotPolicy {
            if (mode == null) {
                throw new IllegalArgumentException("snapshots.mode must be one of "
                        + java.util.Arrays.toString(SnapshotMode.wires()));
            }
            if (mode == SnapshotMode.FIXED) {
                if (budget != 0 || minEvery != 0 || lookBack != 0) {
                    throw new IllegalArgumentException("snapshots.budget, minEvery and lookBack are for the "
                            + "adaptive mode; the fixed mode spaces snapshots by the cadence");
                }
            } else {
                if (budget < 2 || budget > MAX_BUDGET) {
                    throw new IllegalArgumentException("snapshots.budget must be in [2, " + MAX_BUDGET + "], got "
                            + budget);
                }
                if (minEvery < 1) {
                    throw new IllegalArgumentException("snapshots.minEvery must be >= 1, got " + minEvery);
                }
                if (lookBack < 0 || lookBack > MAX_LOOK_BACK) {
                    throw new IllegalArgumentException("snapshots.lookBack must be in [0, " + MAX_LOOK_BACK
                            + "], got " + lookBack);
                }
            }
        }

        /** An adaptive policy of {@code budget} snapshots with the default spacing and look-back. */
        public static SnapshotPolicy adaptive(int budget) {
            return new SnapshotPolicy(SnapshotMode.ADAPTIVE, budget, DEFAULT_MIN_EVERY, DEFAULT_LOOK_BACK);
        }

        public boolean adaptive() {
            return mode == SnapshotMode.ADAPTIVE;
        }
    }
}
