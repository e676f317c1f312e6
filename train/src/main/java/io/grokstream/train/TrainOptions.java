package io.grokstream.train;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.SnapshotPolicy;
import io.grokstream.contracts.SnapshotMode;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.testkit.ModularAdditionTask;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.time.Instant;

/**
 * The experiment {@code ./grokstream train} trains, as options: Nanda's setup ({@link NandaPreset}) unless told
 * otherwise, a budget of 3,000 steps, and the default cadence ({@link Cadence#defaults()}).
 */
final class TrainOptions {
    private static final ModelConfig NANDA = NandaPreset.model();
    private static final OptimizerConfig ADAMW = NandaPreset.optimizer();
    private static final GrokFastConfig NO_FILTER = GrokFastConfig.none();
    private static final Cadence CADENCE = Cadence.defaults();
    /** GrokFast MA's amplification without {@code --lambda} (the EMA's is {@link GrokFastConfig#none()}'s). */
    static final double MA_LAMBDA = 5.0;

    static final class Task {
        @Option(names = "--p", paramLabel = "N", description = "the modulus (default ${DEFAULT-VALUE})")
        int p = NandaPreset.P;
        @Option(names = "--frac", paramLabel = "F",
                description = "the share of the p² pairs trained on (default ${DEFAULT-VALUE})")
        double frac = NandaPreset.TRAIN_FRACTION;
        @Option(names = "--data-seed", paramLabel = "N", description = "the split's seed (default: --seed)")
        Long dataSeed;
    }

    static final class Model {
        @Option(names = "--layers", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
        int layers = NANDA.nLayers();
        @Option(names = "--d-model", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
        int dModel = NANDA.dModel();
        @Option(names = "--heads", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
        int heads = NANDA.nHeads();
        @Option(names = "--d-head", paramLabel = "N", description = "default d-model / heads") Integer dHead;
        @Option(names = "--d-mlp", paramLabel = "N", description = "default 4 x d-model") Integer dMlp;
        @Option(names = "--dtype", paramLabel = "float32|float64", description = "default ${DEFAULT-VALUE}")
        String dtype = NANDA.dtype();
        @Option(names = "--attn-only", description = "no MLP") boolean attnOnly = NANDA.attnOnly();
        @Option(names = "--mlp-only", description = "no attention") boolean mlpOnly = NANDA.mlpOnly();
        @Option(names = "--layer-norm", description = "LayerNorm in each block") boolean layerNorm = NANDA.layerNorm();
        @Option(names = "--no-pos", description = "no positional embedding")
        boolean noPos = !NANDA.positionalEmbedding();
    }

    static final class Optimizer {
        @Option(names = "--lr", paramLabel = "X", description = "default ${DEFAULT-VALUE}") double lr = ADAMW.lr();
        @Option(names = "--wd", paramLabel = "X", description = "weight decay, default ${DEFAULT-VALUE}")
        double wd = ADAMW.weightDecay();
        @Option(names = "--beta1", paramLabel = "X", description = "default ${DEFAULT-VALUE}")
        double beta1 = ADAMW.beta1();
        @Option(names = "--beta2", paramLabel = "X", description = "default ${DEFAULT-VALUE}")
        double beta2 = ADAMW.beta2();
        @Option(names = "--eps", paramLabel = "X", description = "default ${DEFAULT-VALUE}") double eps = ADAMW.eps();
        @Option(names = "--warmup", paramLabel = "N", description = "linear warm-up steps, default ${DEFAULT-VALUE}")
        int warmup = ADAMW.warmupSteps();
        @Option(names = "--batch-size", paramLabel = "N", description = "0 = the full batch (default ${DEFAULT-VALUE})")
        int batchSize = ADAMW.batchSize();
    }

    static final class GrokFast {
        @Option(names = "--grokfast", paramLabel = "none|ema|ma", description = "default ${DEFAULT-VALUE}")
        String kind = NO_FILTER.kind();
        @Option(names = "--alpha", paramLabel = "X", description = "EMA decay, default ${DEFAULT-VALUE}")
        double alpha = NO_FILTER.alpha();
        @Option(names = "--lambda", paramLabel = "X", description = "amplification, default 2.0 (ema) or 5.0 (ma)")
        Double lambda;
        @Option(names = "--window", paramLabel = "N", description = "MA window, default ${DEFAULT-VALUE}")
        int window = NO_FILTER.window();
        @Option(names = "--reduction", paramLabel = "mean|sum", description = "MA reduction, default ${DEFAULT-VALUE}")
        String reduction = NO_FILTER.reduction();
    }

    static final class Budget {
        @Option(names = "--steps", paramLabel = "N", description = "default ${DEFAULT-VALUE}") long steps = 3000;
        @Option(names = "--stop-at", paramLabel = "ACC",
                description = "stop once validation accuracy reaches ACC (off by default)")
        Double stopAt;
        @Option(names = "--seed", paramLabel = "N", description = "default ${DEFAULT-VALUE}") long seed = 0;
    }

    static final class Cadences {
        @Option(names = "--metrics-every", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
        int metricsEvery = CADENCE.metricsEvery();
        @Option(names = "--snapshot-every", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
        int snapshotEvery = CADENCE.snapshotEvery();
        @Option(names = "--snapshot-every-early", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
        int snapshotEveryEarly = CADENCE.snapshotEveryEarly();
        @Option(names = "--early-steps", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
        int earlySteps = CADENCE.earlySteps();
        @Option(names = "--checkpoint-every", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
        int checkpointEvery = CADENCE.checkpointEvery();
        @Option(names = "--snapshots", paramLabel = "fixed|adaptive", description = "fixed (default): every "
                + "--snapshot-every steps; adaptive: dense around detected transitions within --snapshot-budget")
        String snapshots;
        @Option(names = "--snapshot-budget", paramLabel = "N", description = "adaptive: the most snapshots the run "
                + "writes, the last step among them (implies --snapshots adaptive)") Integer snapshotBudget;
        @Option(names = "--snapshot-min-every", paramLabel = "N", description = "adaptive: the spacing around a "
                + "transition, default ${DEFAULT-VALUE}") int snapshotMinEvery = SnapshotPolicy.DEFAULT_MIN_EVERY;
        @Option(names = "--snapshot-look-back", paramLabel = "N", description = "adaptive: weights kept for a "
                + "transition, default ${DEFAULT-VALUE}") int snapshotLookBack = SnapshotPolicy.DEFAULT_LOOK_BACK;
    }

    @ArgGroup(validate = false, heading = "%nTask: modular addition (x + y) mod p, Nanda's split:%n") Task task = new Task();
    @ArgGroup(validate = false, heading = "%nModel:%n") Model model = new Model();
    @ArgGroup(validate = false, heading = "%nOptimizer (AdamW):%n") Optimizer optimizer = new Optimizer();
    @ArgGroup(validate = false, heading = "%nGrokFast (Lee et al. 2024):%n") GrokFast grokfast = new GrokFast();
    @ArgGroup(validate = false, heading = "%nBudget:%n") Budget budget = new Budget();
    @ArgGroup(validate = false, heading = "%nCadence:%n") Cadences cadence = new Cadences();

    /** The task the options name; its split seed is {@code --data-seed}, else {@code --seed}. */
    TaskDefined task() {
        return ModularAdditionTask.of(task.p, task.frac, task.dataSeed != null ? task.dataSeed : budget.seed);
    }

    /** The experiment the options name, on {@code task}, under {@code id} (team {@code cli}). */
    ExperimentSubmitted experiment(String id, TaskDefined task, Instant submittedAt) {
        return new ExperimentSubmitted(id, "cli", id, task.taskId(), task.sha256(), model(), optimizer(), grokfast(),
                new TrainingBudget(budget.steps, budget.stopAt), budget.seed, cadence(), false, null, null, submittedAt);
    }

    private ModelConfig model() {
        ModelConfig layout = ModelConfig.nanda(task.p);
        return new ModelConfig(model.layers, model.dModel, model.heads,
                model.dHead != null ? model.dHead : model.dModel / model.heads,
                model.dMlp != null ? model.dMlp : 4 * model.dModel, layout.dVocab(), layout.nCtx(), layout.outputs(),
                model.attnOnly, model.mlpOnly, model.layerNorm, !model.noPos, model.dtype);
    }

    private OptimizerConfig optimizer() {
        return new OptimizerConfig(optimizer.lr, optimizer.wd, optimizer.beta1, optimizer.beta2, optimizer.eps,
                optimizer.warmup, optimizer.batchSize);
    }

    private GrokFastConfig grokfast() {
        double lambda = grokfast.lambda != null ? grokfast.lambda
                : "ma".equals(grokfast.kind) ? MA_LAMBDA : NO_FILTER.lambda();
        return new GrokFastConfig(grokfast.kind, grokfast.alpha, lambda, grokfast.window, grokfast.reduction);
    }

    /** @throws IllegalArgumentException for an unknown mode, or an adaptive one without a budget of at least 2 */
    private Cadence cadence() {
        SnapshotMode mode = cadence.snapshots != null ? SnapshotMode.of(cadence.snapshots)
                : cadence.snapshotBudget != null ? SnapshotMode.ADAPTIVE : SnapshotMode.FIXED;
        SnapshotPolicy policy = mode == SnapshotMode.FIXED ? SnapshotPolicy.FIXED
                : new SnapshotPolicy(mode, cadence.snapshotBudget == null ? 0 : cadence.snapshotBudget,
                        cadence.snapshotMinEvery, cadence.snapshotLookBack);
        return new Cadence(cadence.metricsEvery, cadence.snapshotEvery, cadence.snapshotEveryEarly,
                cadence.earlySteps, cadence.checkpointEvery, policy);
    }
}
