package io.grokstream.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.ExperimentSubmitted.SnapshotPolicy;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.OptimizerKind;
import io.grokstream.contracts.SnapshotMode;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.model.Biases;
import io.grokstream.model.Initialization;
import io.grokstream.model.MlpActivation;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.NormPlacement;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.grokstream.gateway.submit.RequestReader.bool;
import static io.grokstream.gateway.submit.RequestReader.integer;
import static io.grokstream.gateway.submit.RequestReader.number;
import static io.grokstream.gateway.submit.RequestReader.object;
import static io.grokstream.gateway.submit.RequestReader.onlyKnown;
import static io.grokstream.gateway.submit.RequestReader.text;

/**
 * A validated experiment request, every field defaulted: Nanda et al. (2023)'s run ({@link NandaPreset}, no
 * GrokFast) with the gateway's default budget. The task-dependent part of the model (vocabulary, context, output
 * groups) is resolved later against the task.
 *
 * @param taskId     the catalog task, or null (then {@code inlineTask}, or the default task)
 * @param inlineTask {kind, parameters} to forward to the dataset service, or null
 */
public record ExperimentRequest(String name, String taskId, ObjectNode inlineTask, ModelShape model,
                                OptimizerConfig optimizer, GrokFastConfig grokfast, TrainingBudget budget, long seed,
                                Cadence cadence, boolean publicRead) {

    /** The architecture fields of {@link ModelConfig} a request may set. */
    public record ModelShape(int nLayers, int dModel, int nHeads, int dHead, int dMlp, boolean attnOnly,
                             boolean mlpOnly, boolean layerNorm, boolean positionalEmbedding, String dtype,
                             MlpActivation activation, Biases biases, NormPlacement normPlacement, double dropout,
                             Initialization initialization) {
        public static final ModelShape NANDA = of(NandaPreset.model());

        /** The architecture fields of a resolved config. */
        public static ModelShape of(ModelConfig m) {
            return new ModelShape(m.nLayers(), m.dModel(), m.nHeads(), m.dHead(), m.dMlp(), m.attnOnly(),
                    m.mlpOnly(), m.layerNorm(), m.positionalEmbedding(), m.dtype(), m.activation(), m.biases(),
                    m.normPlacement(), m.dropout(), m.initialization());
        }

        public ModelConfig resolve(int dVocab, int nCtx, List<io.grokstream.model.OutputGroup> outputs) {
            return new ModelConfig(nLayers, dModel, nHeads, dHead, dMlp, dVocab, nCtx, outputs, attnOnly, mlpOnly,
                    layerNorm, positionalEmbedding, dtype, activation, biases, normPlacement, dropout, initialization);
        }
    }

    static final Set<String> TOP = Set.of("name", "taskId", "task", "model", "optimizer", "grokfast", "budget",
            "seed", "cadence", "public");
    static final Set<String> MODEL = Set.of("nLayers", "dModel", "nHeads", "dHead", "dMlp", "attnOnly", "mlpOnly",
            "layerNorm", "positionalEmbedding", "dtype", "activation", "biases", "normPlacement", "dropout",
            "initialization");
    static final Set<String> OPTIMIZER = Set.of("lr", "weightDecay", "beta1", "beta2", "eps", "warmupSteps",
            "batchSize", "kind");
    static final Set<String> GROKFAST = Set.of("kind", "alpha", "lambda", "window", "reduction");
    static final Set<String> BUDGET = Set.of("maxSteps", "stopAtValidationAccuracy", "stopIfForecastNotToGrok");
    static final Set<String> CADENCE = Set.of("metricsEvery", "snapshotEvery", "snapshotEveryEarly", "earlySteps",
            "checkpointEvery");
    static final Set<String> TASK = Set.of("kind", "parameters");
    static final Set<String> SNAPSHOTS = Set.of("mode", "budget", "minEvery", "lookBack");

    /** Every leaf a sweep grid may vary, as dotted paths. */
    public static Set<String> sweepablePaths() {
        Set<String> out = new LinkedHashSet<>();
        MODEL.forEach(f -> out.add("model." + f));
        OPTIMIZER.forEach(f -> out.add("optimizer." + f));
        GROKFAST.forEach(f -> out.add("grokfast." + f));
        BUDGET.forEach(f -> out.add("budget." + f));
        CADENCE.forEach(f -> out.add("cadence." + f));
        out.add("seed");
        return out;
    }

    private static <E> Set<String> wires(E[] values, java.util.function.Function<E, String> wire) {
        return java.util.Arrays.stream(values).map(wire).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
    }

    /** Reads and validates a create body ({@code defaultMaxSteps} when the budget names none). */
    public static ExperimentRequest parse(JsonNode body, long defaultMaxSteps) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "the request body must be a JSON object ({} for all defaults)");
        }
        onlyKnown(body, "", TOP);
        String name = text(body, "name", "name", null, null);
        if (name != null && (name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl))) {
            throw ApiException.badRequest("name", "name must be 1 to 200 printable characters");
        }
        String taskId = text(body, "taskId", "taskId", null, null);
        if (taskId != null && !taskId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw ApiException.badRequest("taskId", "taskId must match [A-Za-z0-9._-]{1,200}");
        }
        ObjectNode task = object(body, "task", "task");
        if (task != null) {
            if (taskId != null) {
                throw ApiException.badRequest("task", "give taskId or task, not both");
            }
            onlyKnown(task, "task", TASK);
            text(task, "kind", "task.kind", null, null);
            if (task.get("kind") == null || task.get("kind").isNull()) {
                throw ApiException.badRequest("task.kind", "task.kind is required for an inline task");
            }
            object(task, "parameters", "task.parameters");
        }

        ObjectNode m = object(body, "model", "model");
        onlyKnown(m, "model", MODEL);
        ModelShape d = ModelShape.NANDA;
        ModelShape model = new ModelShape(
                (int) integer(m, "nLayers", "model.nLayers", d.nLayers(), 1, 16),
                (int) integer(m, "dModel", "model.dModel", d.dModel(), 1, 4096),
                (int) integer(m, "nHeads", "model.nHeads", d.nHeads(), 1, 64),
                (int) integer(m, "dHead", "model.dHead", d.dHead(), 1, 1024),
                (int) integer(m, "dMlp", "model.dMlp", d.dMlp(), 1, 16384),
                bool(m, "attnOnly", "model.attnOnly", d.attnOnly()),
                bool(m, "mlpOnly", "model.mlpOnly", d.mlpOnly()),
                bool(m, "layerNorm", "model.layerNorm", d.layerNorm()),
                bool(m, "positionalEmbedding", "model.positionalEmbedding", d.positionalEmbedding()),
                text(m, "dtype", "model.dtype", d.dtype(), Set.of("float32", "float64")),
                MlpActivation.of(text(m, "activation", "model.activation", d.activation().wire(),
                        wires(MlpActivation.values(), MlpActivation::wire))),
                Biases.of(text(m, "biases", "model.biases", d.biases().wire(), wires(Biases.values(), Biases::wire))),
                NormPlacement.of(text(m, "normPlacement", "model.normPlacement", d.normPlacement().wire(),
                        wires(NormPlacement.values(), NormPlacement::wire))),
                number(m, "dropout", "model.dropout", d.dropout(), 0, false, 1, true),
                Initialization.of(text(m, "initialization", "model.initialization", d.initialization().wire(),
                        wires(Initialization.values(), Initialization::wire))));
        if (model.attnOnly() && model.mlpOnly()) {
            throw ApiException.badRequest("model.mlpOnly", "model.attnOnly and model.mlpOnly cannot both be true");
        }
        if (model.normPlacement() != NormPlacement.PRE && !model.layerNorm()) {
            throw ApiException.badRequest("model.normPlacement", "model.normPlacement "
                    + model.normPlacement().wire() + " needs model.layerNorm true");
        }

        ObjectNode o = object(body, "optimizer", "optimizer");
        onlyKnown(o, "optimizer", OPTIMIZER);
        OptimizerConfig od = NandaPreset.optimizer();
        OptimizerConfig optimizer = new OptimizerConfig(
                number(o, "lr", "optimizer.lr", od.lr(), 0, true, 10, false),
                number(o, "weightDecay", "optimizer.weightDecay", od.weightDecay(), 0, false, 100, false),
                number(o, "beta1", "optimizer.beta1", od.beta1(), 0, false, 1, true),
                number(o, "beta2", "optimizer.beta2", od.beta2(), 0, false, 1, true),
                number(o, "eps", "optimizer.eps", od.eps(), 0, true, 1, false),
                (int) integer(o, "warmupSteps", "optimizer.warmupSteps", od.warmupSteps(), 0, 10_000_000),
                (int) integer(o, "batchSize", "optimizer.batchSize", od.batchSize(), 0, 10_000_000),
                OptimizerKind.of(text(o, "kind", "optimizer.kind", od.kind().wire(), Set.of(OptimizerKind.wires()))));

        ObjectNode g = object(body, "grokfast", "grokfast");
        onlyKnown(g, "grokfast", GROKFAST);
        GrokFastConfig gd = GrokFastConfig.none();
        GrokFastConfig grokfast = new GrokFastConfig(
                text(g, "kind", "grokfast.kind", gd.kind(), Set.of("none", "ema", "ma")),
                number(g, "alpha", "grokfast.alpha", gd.alpha(), 0, false, 1, true),
                number(g, "lambda", "grokfast.lambda", gd.lambda(), 0, false, 100, false),
                (int) integer(g, "window", "grokfast.window", gd.window(), 1, 10_000),
                text(g, "reduction", "grokfast.reduction", gd.reduction(), Set.of("mean", "sum")));

        ObjectNode b = object(body, "budget", "budget");
        onlyKnown(b, "budget", BUDGET);
        long maxSteps = integer(b, "maxSteps", "budget.maxSteps", defaultMaxSteps, 1, 100_000_000);
        Double stopAt = b == null || b.get("stopAtValidationAccuracy") == null
                || b.get("stopAtValidationAccuracy").isNull() ? null
                : number(b, "stopAtValidationAccuracy", "budget.stopAtValidationAccuracy", 1, 0, true, 1, false);
        TrainingBudget budget = new TrainingBudget(maxSteps, stopAt,
                bool(b, "stopIfForecastNotToGrok", "budget.stopIfForecastNotToGrok", false));

        long seed = integer(body, "seed", "seed", 0, 0, Long.MAX_VALUE);

        ObjectNode c = object(body, "cadence", "cadence");
        onlyKnown(c, "cadence", union(CADENCE, Set.of("snapshots")));
        Cadence cd = Cadence.defaults();
        Cadence cadence = new Cadence(
                (int) integer(c, "metricsEvery", "cadence.metricsEvery", cd.metricsEvery(), 1, 1_000_000),
                (int) integer(c, "snapshotEvery", "cadence.snapshotEvery", cd.snapshotEvery(), 1, 100_000_000),
                (int) integer(c, "snapshotEveryEarly", "cadence.snapshotEveryEarly", cd.snapshotEveryEarly(), 1,
                        100_000_000),
                (int) integer(c, "earlySteps", "cadence.earlySteps", cd.earlySteps(), 0, 100_000_000),
                (int) integer(c, "checkpointEvery", "cadence.checkpointEvery", cd.checkpointEvery(), 1, 100_000_000),
                snapshots(c == null ? null : object(c, "snapshots", "cadence.snapshots")));

        boolean pub = bool(body, "public", "public", false);
        return new ExperimentRequest(name, taskId, task, model, optimizer, grokfast, budget, seed, cadence, pub);
    }

    /** {@code cadence.snapshots}: absent is the fixed cadence; adaptive needs a budget. */
    private static SnapshotPolicy snapshots(ObjectNode n) {
        onlyKnown(n, "cadence.snapshots", SNAPSHOTS);
        SnapshotMode mode = SnapshotMode.of(text(n, "mode", "cadence.snapshots.mode", SnapshotMode.FIXED.wire(),
                Set.of(SnapshotMode.wires())));
        if (mode == SnapshotMode.FIXED) {
            for (String f : List.of("budget", "minEvery", "lookBack")) {
                if (n != null && n.hasNonNull(f)) {
                    throw ApiException.badRequest("cadence.snapshots." + f, "cadence.snapshots." + f
                            + " is for mode adaptive; the fixed mode spaces snapshots by the cadence");
                }
            }
            return SnapshotPolicy.FIXED;
        }
        if (n.get("budget") == null || n.get("budget").isNull()) {
            throw ApiException.badRequest("cadence.snapshots.budget", "cadence.snapshots.budget is required for mode "
                    + "adaptive: the most snapshots the run may publish");
        }
        return new SnapshotPolicy(mode,
                (int) integer(n, "budget", "cadence.snapshots.budget", 0, 2, SnapshotPolicy.MAX_BUDGET),
                (int) integer(n, "minEvery", "cadence.snapshots.minEvery", SnapshotPolicy.DEFAULT_MIN_EVERY, 1,
                        100_000_000),
                (int) integer(n, "lookBack", "cadence.snapshots.lookBack", SnapshotPolicy.DEFAULT_LOOK_BACK, 0,
                        SnapshotPolicy.MAX_LOOK_BACK));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }

    /** The request tree an existing experiment corresponds to (the base a clone's overrides apply to). */
    public static ObjectNode treeOf(ExperimentSubmitted e) {
        return new ExperimentRequest(e.name(), e.taskId(), null, ModelShape.of(e.model()), e.optimizer(), e.grokfast(), e.budget(),
                e.seed(), e.cadence(), e.publicRead()).tree();
    }

    /** This request as a create body with every field written out (the inline task is left out). */
    public ObjectNode tree() {
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        t.put("name", name);
        t.put("taskId", taskId);
        ModelShape m = model;
        t.putObject("model").put("nLayers", m.nLayers()).put("dModel", m.dModel()).put("nHeads", m.nHeads())
                .put("dHead", m.dHead()).put("dMlp", m.dMlp()).put("attnOnly", m.attnOnly())
                .put("mlpOnly", m.mlpOnly()).put("layerNorm", m.layerNorm())
                .put("positionalEmbedding", m.positionalEmbedding()).put("dtype", m.dtype())
                .put("activation", m.activation().wire()).put("biases", m.biases().wire())
                .put("normPlacement", m.normPlacement().wire()).put("dropout", m.dropout())
                .put("initialization", m.initialization().wire());
        OptimizerConfig o = optimizer;
        t.putObject("optimizer").put("lr", o.lr()).put("weightDecay", o.weightDecay()).put("beta1", o.beta1())
                .put("beta2", o.beta2()).put("eps", o.eps()).put("warmupSteps", o.warmupSteps())
                .put("batchSize", o.batchSize()).put("kind", o.kind().wire());
        GrokFastConfig g = grokfast;
        t.putObject("grokfast").put("kind", g.kind()).put("alpha", g.alpha()).put("lambda", g.lambda())
                .put("window", g.window()).put("reduction", g.reduction());
        ObjectNode b = t.putObject("budget").put("maxSteps", budget.maxSteps());
        if (budget.stopAtValidationAccuracy() == null) {
            b.putNull("stopAtValidationAccuracy");
        } else {
            b.put("stopAtValidationAccuracy", budget.stopAtValidationAccuracy());
        }
        b.put("stopIfForecastNotToGrok", budget.stopIfForecastNotToGrok());
        t.put("seed", seed);
        Cadence c = cadence;
        t.putObject("cadence").put("metricsEvery", c.metricsEvery()).put("snapshotEvery", c.snapshotEvery())
                .put("snapshotEveryEarly", c.snapshotEveryEarly()).put("earlySteps", c.earlySteps())
                .put("checkpointEvery", c.checkpointEvery());
        SnapshotPolicy sp = c.snapshots();
        ObjectNode snaps = ((ObjectNode) t.get("cadence")).putObject("snapshots").put("mode", sp.mode().wire());
        if (sp.adaptive()) {
            snaps.put("budget", sp.budget()).put("minEvery", sp.minEvery()).put("lookBack", sp.lookBack());
        }
        t.put("public", publicRead);
        return t;
    }

    /**
     * Overlays {@code overrides} on {@code base}: objects merge field by field, anything else replaces. Giving
     * {@code task} drops the base's {@code taskId} (and the reverse), so a clone may change its task.
     */
    public static ObjectNode merge(ObjectNode base, JsonNode overrides) {
        ObjectNode out = base.deepCopy();
        if (overrides == null || overrides.isNull() || overrides.isMissingNode()) {
            return out;
        }
        if (!overrides.isObject()) {
            throw ApiException.badRequest("body", "the request body must be a JSON object");
        }
        if (overrides.has("task")) {
            out.remove("taskId");
        }
        if (overrides.has("taskId")) {
            out.remove("task");
        }
        mergeInto(out, (ObjectNode) overrides);
        return out;
    }

    private static void mergeInto(ObjectNode target, ObjectNode src) {
        src.fields().forEachRemaining(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()
                    && !"task".equals(e.getKey())) {
                mergeInto((ObjectNode) existing, (ObjectNode) e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }
}
