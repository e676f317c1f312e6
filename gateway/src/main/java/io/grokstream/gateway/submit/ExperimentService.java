package io.grokstream.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.gateway.GatewayConfig;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.gateway.auth.Caller;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.ExperimentSummary;
import io.grokstream.gateway.view.ViewState;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Turns create, clone, sweep and cancel requests into events: validates and defaults the request, resolves the
 * model against the task (vocabulary, sequence length, output groups), refuses what a worker could not train,
 * and publishes. Nothing is published unless every experiment of the request is valid. Published events are
 * folded into the views at once, so a client reads its own writes.
 */
@ApplicationScoped
public class ExperimentService {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ViewState views;
    private final EventPublisher publisher;
    private final DatasetClient dataset;
    private final GatewayConfig config;

    public ExperimentService(EventFolder folder, EventPublisher publisher, DatasetClient dataset, GatewayConfig config) {
        this.views = folder.state();
        this.publisher = publisher;
        this.dataset = dataset;
        this.config = config;
    }

    /** A created sweep: its id and its experiments in grid order. */
    public record Sweep(String sweepId, List<String> experimentIds, List<ExperimentSummary> experiments) {
    }

    public ExperimentSubmitted create(JsonNode body, Caller caller) {
        ExperimentRequest request = ExperimentRequest.parse(body, config.defaultMaxSteps());
        ExperimentSubmitted e = build(request, resolveTask(request), caller, newId("exp-"), null, null, null);
        publish(List.of(e));
        return e;
    }

    public ExperimentSubmitted cloneOf(ExperimentSubmitted original, JsonNode overrides, Caller caller) {
        ObjectNode merged = ExperimentRequest.merge(ExperimentRequest.treeOf(original), overrides);
        if (overrides == null || !overrides.has("name")) {
            merged.put("name", truncate(original.name() + " (clone)"));
        }
        ExperimentRequest request = ExperimentRequest.parse(merged, config.defaultMaxSteps());
        ExperimentSubmitted e = build(request, resolveTask(request), caller, newId("exp-"), null, original.experimentId(),
                null);
        publish(List.of(e));
        return e;
    }

    public Sweep sweep(JsonNode body, Caller caller) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "the request body must be a JSON object {base, grid}");
        }
        RequestReader.onlyKnown(body, "", java.util.Set.of("base", "grid"));
        JsonNode baseNode = body.get("base");
        if (baseNode != null && !baseNode.isNull() && !baseNode.isObject()) {
            throw ApiException.badRequest("base", "base must be a JSON object (a create body)");
        }
        ObjectNode base = baseNode == null || baseNode.isNull() ? EventCodec.JSON.createObjectNode()
                : ((ObjectNode) baseNode).deepCopy();
        JsonNode grid = body.get("grid");
        if (grid == null || !grid.isObject() || grid.isEmpty()) {
            throw ApiException.badRequest("grid", "grid must be an object of one or two parameters, each a list of values");
        }
        if (grid.size() > 2) {
            throw ApiException.badRequest("grid", "grid varies at most two parameters, got " + grid.size());
        }
        Map<String, List<JsonNode>> axes = new LinkedHashMap<>();
        long count = 1;
        for (var it = grid.fields(); it.hasNext(); ) {
            var f = it.next();
            String path = f.getKey();
            if (!ExperimentRequest.sweepablePaths().contains(path)) {
                throw ApiException.badRequest("grid." + path, "grid parameter " + path + " is not a sweepable field; "
                        + "use a dotted path such as optimizer.weightDecay or grokfast.lambda");
            }
            if (!f.getValue().isArray() || f.getValue().isEmpty()) {
                throw ApiException.badRequest("grid." + path, "grid." + path + " must be a non-empty list of values");
            }
            List<JsonNode> values = new ArrayList<>();
            f.getValue().forEach(values::add);
            if (values.stream().distinct().count() != values.size()) {
                throw ApiException.badRequest("grid." + path, "grid." + path + " repeats a value");
            }
            axes.put(path, values);
            count *= values.size();
        }
        if (count > config.maxSweepSize()) {
            throw ApiException.badRequest("grid", "the grid makes " + count + " experiments; the limit is "
                    + config.maxSweepSize());
        }
        // Validate the base once (field names in errors refer to the base), and resolve its task once.
        ExperimentRequest baseRequest;
        try {
            baseRequest = ExperimentRequest.parse(base, config.defaultMaxSteps());
        } catch (ApiException e) {
            throw new ApiException(e.status(), e.getMessage(), e.field() == null ? "base" : "base." + e.field());
        }
        TaskDefined task = resolveTask(baseRequest);
        base.remove("task");
        base.put("taskId", task.taskId());
        String sweepId = newId("sweep-");
        String baseName = baseRequest.name() == null ? sweepId : baseRequest.name();
        List<ExperimentSubmitted> experiments = new ArrayList<>();
        List<String> paths = List.copyOf(axes.keySet());
        for (List<JsonNode> combo : combinations(paths, axes)) {
            ObjectNode tree = base.deepCopy();
            StringBuilder label = new StringBuilder();
            for (int i = 0; i < paths.size(); i++) {
                set(tree, paths.get(i), combo.get(i));
                label.append(i == 0 ? " [" : ", ").append(paths.get(i)).append('=').append(combo.get(i).asText());
            }
            tree.put("name", truncate(baseName + label + "]"));
            ExperimentRequest r;
            try {
                r = ExperimentRequest.parse(tree, config.defaultMaxSteps());
            } catch (ApiException e) {
                String field = e.field() != null && axes.containsKey(e.field()) ? "grid." + e.field()
                        : e.field() == null ? "base" : "base." + e.field();
                throw new ApiException(e.status(), e.getMessage(), field);
            }
            experiments.add(build(r, task, caller, newId("exp-"), sweepId, null, paths));
        }
        publish(experiments);
        List<String> ids = experiments.stream().map(ExperimentSubmitted::experimentId).toList();
        return new Sweep(sweepId, ids, ids.stream().map(id -> views.summary(id).orElseThrow()).toList());
    }

    public ExperimentCancelled cancel(ExperimentSubmitted e, Caller caller, String reason) {
        if (!caller.canWrite(e.team())) {
            throw new ApiException(403, "experiment " + e.experimentId() + " belongs to another team; only its team "
                    + "or the admin may cancel it", "experimentId");
        }
        ExperimentSummary s = views.summary(e.experimentId()).orElseThrow();
        if (s.terminal()) {
            throw new ApiException(409, "experiment " + e.experimentId() + " is already " + s.status(), "experimentId");
        }
        if (reason != null && reason.length() > 500) {
            throw ApiException.badRequest("reason", "reason must be at most 500 characters");
        }
        ExperimentCancelled c = new ExperimentCancelled(e.experimentId(), caller.team(),
                reason == null || reason.isBlank() ? "cancelled by " + caller.team() : reason, Instant.now());
        publish(List.of(c));
        return c;
    }

    private ExperimentSubmitted build(ExperimentRequest r, TaskDefined task, Caller caller, String id, String sweepId,
                                      String clonedFrom, List<String> sweepPaths) {
        ModelConfig model;
        try {
            model = r.model().resolve(task.vocabulary().size(), task.seqLen(), outputs(task));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("model", "the model does not fit task " + task.taskId() + ": " + e.getMessage());
        }
        long params = model.parameterCount();
        if (params > ModelConfig.MAX_PARAMETERS) {
            String field = sweepPaths != null && sweepPaths.stream().anyMatch(p -> p.startsWith("model."))
                    ? "grid." + sweepPaths.stream().filter(p -> p.startsWith("model.")).findFirst().orElseThrow()
                    : "model";
            throw ApiException.badRequest(field, "the model has " + params + " parameters; the limit is "
                    + ModelConfig.MAX_PARAMETERS);
        }
        return new ExperimentSubmitted(id, caller.team(), r.name() == null ? id : r.name(), task.taskId(), task.sha256(),
                model, r.optimizer(), r.grokfast(), r.budget(), r.seed(), r.cadence(), r.publicRead(), sweepId,
                clonedFrom, Instant.now());
    }

    /** One output group per distinct target group, in the order the task declares them. */
    static List<OutputGroup> outputs(TaskDefined task) {
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (TaskDefined.Target t : task.targets()) {
            groups.merge(t.group(), t.classes(), Math::max);
        }
        return groups.entrySet().stream().map(e -> new OutputGroup(e.getKey(), e.getValue())).toList();
    }

    private TaskDefined resolveTask(ExperimentRequest r) {
        if (r.inlineTask() != null) {
            String id = dataset.defineTask(r.inlineTask());
            return awaitTask(id);
        }
        if (r.taskId() != null) {
            return views.task(r.taskId()).orElseThrow(() -> ApiException.badRequest("taskId",
                    "unknown task " + r.taskId() + "; see GET /api/tasks"));
        }
        // Among the catalog's p = 113 additions prefer Nanda's split (NandaPreset), then the oldest.
        Optional<TaskDefined> def = views.taskDefinitions().stream()
                .filter(t -> t.taskId().startsWith(config.defaultTaskPrefix()))
                .min(java.util.Comparator.comparing((TaskDefined t) -> !NandaPreset.isNandaSplit(t.parameters()))
                        .thenComparing(t -> t.definedAt() == null ? Instant.MAX : t.definedAt())
                        .thenComparing(TaskDefined::taskId));
        return def.orElseThrow(() -> ApiException.badRequest("taskId", "no taskId given and the default task ("
                + config.defaultTaskPrefix() + "*) is not in the catalog; name a task from GET /api/tasks"));
    }

    /** The dataset service acknowledged the definition; wait until the fold has it. */
    private TaskDefined awaitTask(String id) {
        long deadline = System.nanoTime() + config.datasetTimeoutMillis() * 1_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<TaskDefined> t = views.task(id);
            if (t.isPresent()) {
                return t.get();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new ApiException(503, "task " + id + " was defined but has not reached the gateway's catalog yet; "
                + "retry with taskId " + id, "task");
    }

    private void publish(List<? extends GrokEvent> events) {
        List<ProducerRecord<String, byte[]>> records = events.stream()
                .map(e -> EventCodec.toRecord(e, publisher.source())).toList();
        List<Future<RecordMetadata>> acks = records.stream().map(publisher::send).toList();
        publisher.flush();
        try {
            acks.forEach(EventPublisher::await);
        } catch (IllegalStateException e) {
            throw new ApiException(503, "could not publish to Kafka: " + e.getMessage(), null);
        }
        for (int i = 0; i < events.size(); i++) {
            views.apply(events.get(i), CloudEvents.id(records.get(i).headers()).orElse(null));
        }
    }

    private static List<List<JsonNode>> combinations(List<String> paths, Map<String, List<JsonNode>> axes) {
        List<List<JsonNode>> out = new ArrayList<>();
        out.add(List.of());
        for (String p : paths) {
            List<List<JsonNode>> next = new ArrayList<>();
            for (List<JsonNode> prefix : out) {
                for (JsonNode v : axes.get(p)) {
                    List<JsonNode> c = new ArrayList<>(prefix);
                    c.add(v);
                    next.add(c);
                }
            }
            out = next;
        }
        return out;
    }

    private static void set(ObjectNode tree, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value.deepCopy());
    }

    private static String newId(String prefix) {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    private static String truncate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200);
    }
}
