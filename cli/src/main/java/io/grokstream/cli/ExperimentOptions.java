package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.NandaPreset;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An experiment as options, each the field of a create body (gateway/API.md, {@code POST /api/experiments}) it
 * fills; what is not given is left to the gateway, whose defaults are its {@code nanda} preset ({@code GET
 * /api/presets}, {@code ./grokstream presets}). {@code submit}, {@code sweep} and {@code clone} (as overrides) share
 * them.
 */
final class ExperimentOptions {
    static final ObjectMapper JSON = new ObjectMapper();

    static final class Task {
        @Option(names = "--task", paramLabel = "ID", description = "a task from the catalog (grokstream ls --tasks)")
        String taskId;
        @Option(names = "--p", paramLabel = "N", description = "an inline modular task: the modulus")
        Integer p;
        @Option(names = "--operation", paramLabel = "OP", description = "an inline modular task: the operation")
        String operation;
        @Option(names = "--train-fraction", paramLabel = "F", description = "an inline task: the share of pairs to train on")
        Double trainFraction;
        @Option(names = "--task-seed", paramLabel = "S", description = "an inline task: the split's seed")
        Long taskSeed;
        @Option(names = "--task-kind", paramLabel = "KIND", description = "an inline task of another kind (default modular)")
        String kind;
        @Option(names = "--task-param", paramLabel = "NAME=VALUE", description = "an inline task's parameter (repeatable)")
        Map<String, String> params = new LinkedHashMap<>();
    }

    static final class Model {
        @Option(names = "--layers", paramLabel = "N") Integer layers;
        @Option(names = "--d-model", paramLabel = "N") Integer dModel;
        @Option(names = "--heads", paramLabel = "N") Integer heads;
        @Option(names = "--d-head", paramLabel = "N") Integer dHead;
        @Option(names = "--d-mlp", paramLabel = "N") Integer dMlp;
        @Option(names = "--dtype", paramLabel = "float32|float64") String dtype;
        @Option(names = "--attn-only", description = "no MLP") Boolean attnOnly;
        @Option(names = "--mlp-only", description = "no attention") Boolean mlpOnly;
        @Option(names = "--layer-norm", description = "LayerNorm in each block") Boolean layerNorm;
        @Option(names = "--no-pos-embed", description = "no positional embedding") Boolean noPositionalEmbedding;
    }

    static final class Optimizer {
        @Option(names = "--lr", paramLabel = "X") Double lr;
        @Option(names = {"--weight-decay", "--wd"}, paramLabel = "X") Double weightDecay;
        @Option(names = "--beta1", paramLabel = "X") Double beta1;
        @Option(names = "--beta2", paramLabel = "X") Double beta2;
        @Option(names = "--eps", paramLabel = "X") Double eps;
        @Option(names = "--warmup", paramLabel = "N", description = "linear warm-up steps") Integer warmup;
        @Option(names = "--batch-size", paramLabel = "N", description = "0 = the full batch") Integer batchSize;
    }

    static final class GrokFast {
        @Option(names = "--grokfast", paramLabel = "none|ema|ma") String kind;
        @Option(names = "--alpha", paramLabel = "X") Double alpha;
        @Option(names = "--lambda", paramLabel = "X") Double lambda;
        @Option(names = "--window", paramLabel = "N") Integer window;
        @Option(names = "--reduction", paramLabel = "mean|sum") String reduction;
    }

    static final class Run {
        @Option(names = "--name", paramLabel = "TEXT") String name;
        @Option(names = "--seed", paramLabel = "N") Long seed;
        @Option(names = "--public", description = "readable by every team") Boolean isPublic;
        @Option(names = "--max-steps", paramLabel = "N") Long maxSteps;
        @Option(names = "--stop-at", paramLabel = "ACC", description = "stop once validation accuracy reaches ACC") Double stopAt;
        @Option(names = "--stop-if-forecast-not-to-grok", description = "cancel the run once the grokking forecast "
                + "confirms it will not grok within --max-steps (see `forecast`)") Boolean stopIfForecastNotToGrok;
        @Option(names = "--metrics-every", paramLabel = "N") Integer metricsEvery;
        @Option(names = "--snapshot-every", paramLabel = "N") Integer snapshotEvery;
        @Option(names = "--snapshot-every-early", paramLabel = "N") Integer snapshotEveryEarly;
        @Option(names = "--early-steps", paramLabel = "N") Integer earlySteps;
        @Option(names = "--checkpoint-every", paramLabel = "N") Integer checkpointEvery;
        @Option(names = "--snapshots", paramLabel = "fixed|adaptive", description = "fixed: every --snapshot-every "
                + "steps; adaptive: dense around detected transitions, sparse elsewhere, within --snapshot-budget")
        String snapshots;
        @Option(names = "--snapshot-budget", paramLabel = "N", description = "adaptive: the most snapshots the run "
                + "publishes, the last step among them (implies --snapshots adaptive)") Integer snapshotBudget;
        @Option(names = "--snapshot-min-every", paramLabel = "N", description = "adaptive: the spacing of snapshots "
                + "around a transition (default 10)") Integer snapshotMinEvery;
        @Option(names = "--snapshot-look-back", paramLabel = "N", description = "adaptive: weights kept every "
                + "--snapshot-min-every steps and published when a transition is detected (default 4)")
        Integer snapshotLookBack;
    }

    @ArgGroup(validate = false, heading = "%nTask:%n") Task task = new Task();
    @ArgGroup(validate = false, heading = "%nModel:%n") Model model = new Model();
    @ArgGroup(validate = false, heading = "%nOptimizer:%n") Optimizer optimizer = new Optimizer();
    @ArgGroup(validate = false, heading = "%nGrokFast (Lee et al. 2024):%n") GrokFast grokfast = new GrokFast();
    @ArgGroup(validate = false, heading = "%nRun, budget and cadence:%n") Run run = new Run();

    /**
     * The create body (or clone overrides) the options give.
     *
     * @throws IllegalArgumentException when a catalog task and inline task options are both given
     */
    ObjectNode body() {
        ObjectNode body = JSON.createObjectNode();
        put(body, "name", run.name);
        put(body, "seed", run.seed);
        put(body, "public", run.isPublic);
        put(body, "taskId", task.taskId);
        Map<String, Object> taskParams = new LinkedHashMap<>();
        if (task.p != null) {
            taskParams.put("p", task.p);
        }
        if (task.operation != null) {
            taskParams.put("operation", task.operation);
        }
        if (task.trainFraction != null) {
            taskParams.put("trainFraction", task.trainFraction);
        }
        if (task.taskSeed != null) {
            taskParams.put("seed", task.taskSeed);
        }
        task.params.forEach((k, v) -> taskParams.put(k, number(v)));
        if (!taskParams.isEmpty() || task.kind != null) {
            if (task.taskId != null) {
                throw new IllegalArgumentException("--task names a catalog task; inline task options (--p, --operation, "
                        + "--train-fraction, --task-seed, --task-kind, --task-param) cannot be added to it");
            }
            put(body, "task.kind", task.kind == null ? NandaPreset.KIND : task.kind);
            taskParams.forEach((k, v) -> put(body, "task.parameters." + k, v));
        }
        put(body, "model.nLayers", model.layers);
        put(body, "model.dModel", model.dModel);
        put(body, "model.nHeads", model.heads);
        put(body, "model.dHead", model.dHead);
        put(body, "model.dMlp", model.dMlp);
        put(body, "model.dtype", model.dtype);
        put(body, "model.attnOnly", model.attnOnly);
        put(body, "model.mlpOnly", model.mlpOnly);
        put(body, "model.layerNorm", model.layerNorm);
        put(body, "model.positionalEmbedding", model.noPositionalEmbedding == null ? null : !model.noPositionalEmbedding);
        put(body, "optimizer.lr", optimizer.lr);
        put(body, "optimizer.weightDecay", optimizer.weightDecay);
        put(body, "optimizer.beta1", optimizer.beta1);
        put(body, "optimizer.beta2", optimizer.beta2);
        put(body, "optimizer.eps", optimizer.eps);
        put(body, "optimizer.warmupSteps", optimizer.warmup);
        put(body, "optimizer.batchSize", optimizer.batchSize);
        put(body, "grokfast.kind", grokfast.kind);
        put(body, "grokfast.alpha", grokfast.alpha);
        put(body, "grokfast.lambda", grokfast.lambda);
        put(body, "grokfast.window", grokfast.window);
        put(body, "grokfast.reduction", grokfast.reduction);
        put(body, "budget.maxSteps", run.maxSteps);
        put(body, "budget.stopAtValidationAccuracy", run.stopAt);
        put(body, "budget.stopIfForecastNotToGrok", run.stopIfForecastNotToGrok);
        put(body, "cadence.metricsEvery", run.metricsEvery);
        put(body, "cadence.snapshotEvery", run.snapshotEvery);
        put(body, "cadence.snapshotEveryEarly", run.snapshotEveryEarly);
        put(body, "cadence.earlySteps", run.earlySteps);
        put(body, "cadence.checkpointEvery", run.checkpointEvery);
        put(body, "cadence.snapshots.mode", run.snapshots == null && run.snapshotBudget != null ? "adaptive"
                : run.snapshots);
        put(body, "cadence.snapshots.budget", run.snapshotBudget);
        put(body, "cadence.snapshots.minEvery", run.snapshotMinEvery);
        put(body, "cadence.snapshots.lookBack", run.snapshotLookBack);
        return body;
    }

    /**
     * A sweep grid from {@code PATH=V1,V2,...} specs, values typed as numbers where they read as numbers.
     *
     * @throws IllegalArgumentException for a spec without {@code =} or without values
     */
    static ObjectNode grid(Iterable<String> specs) {
        ObjectNode grid = JSON.createObjectNode();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a sweep parameter is PATH=V1,V2,... (e.g. optimizer.weightDecay=0.3,1), got '" + spec + "'");
            }
            var values = grid.putArray(spec.substring(0, eq));
            for (String v : spec.substring(eq + 1).split(",")) {
                if (!v.isBlank()) {
                    values.add(JSON.valueToTree(number(v.strip())));
                }
            }
            if (values.isEmpty()) {
                throw new IllegalArgumentException("sweep parameter " + spec.substring(0, eq) + " has no values");
            }
        }
        return grid;
    }

    /** {@code raw} as an integer or a decimal where it reads as one, else the text. */
    static Object number(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException notWhole) {
            try {
                return Double.parseDouble(raw);
            } catch (NumberFormatException notNumber) {
                return raw;
            }
        }
    }

    /** Sets {@code value} at a dotted {@code path}, creating the objects on the way; a null value is left out. */
    static void put(ObjectNode root, String path, Object value) {
        if (value == null) {
            return;
        }
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], JSON.valueToTree(value));
    }
}
