package io.grokstream.dataset.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.dataset.DatasetConfig;
import io.grokstream.dataset.catalog.TaskCatalog;
import io.grokstream.dataset.catalog.TaskService;
import io.grokstream.dataset.generate.InvalidRequestException;
import io.grokstream.dataset.generate.TaskKinds;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The task catalog over HTTP: kinds, create (idempotent), list, get with statistics and preview, download. */
@Path("/tasks")
@Tag(name = "tasks", description = "The task catalog")
public class TaskResource {
    private final TaskService service;
    private final TaskCatalog catalog;
    private final DatasetConfig config;

    public TaskResource(TaskService service, TaskCatalog catalog, DatasetConfig config) {
        this.service = service;
        this.catalog = catalog;
        this.config = config;
    }

    @GET
    @Path("/kinds")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Task kinds with their parameters, defaults and limits")
    public KindsView kinds() {
        KindsView.Limits limits = new KindsView.Limits(config.maxRows(), config.maxP(), config.maxUploadBytes());
        return new KindsView(TaskKinds.ALL.stream().map(kind -> KindsView.describe(kind, limits)).toList(), limits);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a task (idempotent: the same request gives the same id and one definition)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TaskRequest.class)))
    @APIResponse(responseCode = "201", description = "created and published",
            content = @Content(schema = @Schema(implementation = TaskSummary.class)))
    @APIResponse(responseCode = "200", description = "the task already existed",
            content = @Content(schema = @Schema(implementation = TaskSummary.class)))
    @APIResponse(responseCode = "400", description = "bad request; names the field and the rule",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Response create(byte[] body) {
        TaskRequest request = parse(body);
        return answer(service.create(request.kind(), request.parameters()));
    }

    @POST
    @Path("/custom")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a task from an uploaded CSV: a header of column names, then rows; label columns "
            + "become targets, the others token positions")
    @RequestBody(required = true, description = "UTF-8 CSV, comma-separated, no quoting, at most "
            + "grokstream.dataset.max-upload-bytes", content = @Content(mediaType = "text/csv"))
    @APIResponse(responseCode = "201", description = "created and published",
            content = @Content(schema = @Schema(implementation = TaskSummary.class)))
    @APIResponse(responseCode = "200", description = "the same upload and parameters already exist",
            content = @Content(schema = @Schema(implementation = TaskSummary.class)))
    @APIResponse(responseCode = "400", description = "malformed CSV or parameters",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "413", description = "upload over the size limit",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Response createCustom(
            @Parameter(description = "readable name for the task id, [A-Za-z0-9_-]{1,40}") @QueryParam("name") String name,
            @Parameter(description = "comma-separated label columns; default: the last column") @QueryParam("labels") String labels,
            @Parameter(description = "training share in (0, 1), default 0.3") @QueryParam("trainFraction") String trainFraction,
            @Parameter(description = "split seed 0..2^31-1, default 598") @QueryParam("seed") String seed,
            InputStream body) {
        byte[] csv = readLimited(body, config.maxUploadBytes());
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (name != null) {
            parameters.put("name", name);
        }
        if (labels != null && !labels.isBlank()) {
            parameters.put("labels", labels);
        }
        if (trainFraction != null) {
            parameters.put("trainFraction", number(trainFraction, "trainFraction"));
        }
        if (seed != null) {
            parameters.put("seed", number(seed, "seed"));
        }
        return answer(service.createCustom(csv, parameters));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every task in the catalog, without data")
    public List<TaskSummary> list() {
        return catalog.all().stream().map(TaskSummary::of).toList();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A task: definition, label statistics, and its first 20 rows")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TaskDetail.class)))
    @APIResponse(responseCode = "404", description = "no such task",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public TaskDetail get(@Parameter(description = "task id") @PathParam("id") String id) {
        return TaskDetail.of(require(id));
    }

    @GET
    @Path("/{id}/data.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A task's full data as JSON")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TaskDataJson.class)))
    public TaskDataJson dataJson(@Parameter(description = "task id") @PathParam("id") String id) {
        return TaskDataJson.of(require(id));
    }

    @GET
    @Path("/{id}/data.csv")
    @Produces("text/csv")
    @Operation(summary = "A task's full data as CSV: row, split (train|validation), token ids t0.., one column per target")
    public Response dataCsv(@Parameter(description = "task id") @PathParam("id") String id) {
        TaskDefined task = require(id);
        StreamingOutput output = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            writeCsv(task, writer);
            writer.flush();
        };
        return Response.ok(output, "text/csv")
                .header("Content-Disposition", "attachment; filename=\"" + task.taskId() + ".csv\"").build();
    }

    static void writeCsv(TaskDefined task, Writer writer) throws IOException {
        StringBuilder header = new StringBuilder("row,split");
        for (int i = 0; i < task.seqLen(); i++) {
            header.append(",t").append(i);
        }
        for (TaskDefined.Target target : task.targets()) {
            header.append(',').append(target.name());
        }
        writer.write(header.append('\n').toString());
        int[] train = task.data().trainRows();
        StringBuilder line = new StringBuilder();
        for (int r = 0; r < task.data().rows(); r++) {
            line.setLength(0);
            line.append(r).append(Arrays.binarySearch(train, r) >= 0 ? ",train" : ",validation");
            for (int token : task.data().inputs()[r]) {
                line.append(',').append(token);
            }
            for (int label : task.data().labels()[r]) {
                line.append(',').append(label);
            }
            writer.write(line.append('\n').toString());
        }
    }

    private TaskDefined require(String id) {
        return catalog.find(id).orElseThrow(() -> new InvalidRequestException("id", "no task with id " + id, 404));
    }

    private static Response answer(TaskService.Created result) {
        TaskSummary summary = TaskSummary.of(result.task());
        if (result.created()) {
            return Response.created(URI.create("/tasks/" + summary.taskId())).entity(summary).build();
        }
        return Response.ok(summary).build();
    }

    /** Parses {@code {"kind": ..., "parameters": {...}}}, refusing anything else with the field named. */
    static TaskRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : EventCodec.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRequestException("body", "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("body", "cannot read the body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("body", "body must be a JSON object {\"kind\": ..., \"parameters\": {...}}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("kind") && !name.equals("parameters")) {
                throw new InvalidRequestException(name, "unknown field " + name + "; the body has kind and parameters");
            }
        }
        JsonNode kind = root.get("kind");
        if (kind == null || !kind.isTextual()) {
            throw new InvalidRequestException("kind", "kind is required and must be a string; one of " + TaskKinds.names());
        }
        JsonNode parameters = root.get("parameters");
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw new InvalidRequestException("parameters", "parameters must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = parameters == null || parameters.isNull() ? Map.of()
                : EventCodec.JSON.convertValue(parameters, Map.class);
        return new TaskRequest(kind.asText(), map);
    }

    private static byte[] readLimited(InputStream body, int limit) {
        if (body == null) {
            throw new InvalidRequestException("body", "a CSV body is required");
        }
        try {
            byte[] bytes = body.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new InvalidRequestException("body", "upload is larger than the limit of " + limit
                        + " bytes (grokstream.dataset.max-upload-bytes)", 413);
            }
            return bytes;
        } catch (IOException e) {
            throw new InvalidRequestException("body", "cannot read the upload: " + e.getMessage());
        }
    }

    private static Object number(String raw, String field) {
        try {
            return raw.matches("-?\\d+") ? (Object) Long.parseLong(raw) : (Object) Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("parameters." + field, field + " must be a number, got \"" + raw + "\"");
        }
    }
}
