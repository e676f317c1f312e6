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

    /** A step budget and an optional early stop once validation accuracy reaches a threshold. */
    public record TrainingBudget(long maxSteps, Double stopAtValidationAccuracy) {
    }

    /**
     * How often the trainer publishes: metrics every {@code metricsEvery} steps; snapshots every
     * {@code snapshotEveryEarly} steps during the first {@code earlySteps}, then every {@code snapshotEvery}
     * (Nanda saves every 100 epochs, denser early); a checkpoint every {@code checkpointEvery} steps.
     */
    public record Cadence(int metricsEvery, int snapshotEvery, int snapshotEveryEarly, int earlySteps,
                          int checkpointEvery) {
        public static Cadence defaults() {
            return new Cadence(10, 100, 20, 1000, 500);
        }

        /** Whether a snapshot is due after {@code step} (1-based count of completed steps). */
        public boolean snapshotDue(long step) {
            return step % (step <= earlySteps ? snapshotEveryEarly : snapshotEvery) == 0;
        }
    }
}
