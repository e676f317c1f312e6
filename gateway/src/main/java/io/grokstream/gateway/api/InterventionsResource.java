package io.grokstream.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.intervene.InterventionEngine;
import io.grokstream.gateway.intervene.InterventionRequest;
import io.grokstream.gateway.intervene.InterventionResult;
import io.grokstream.gateway.intervene.TaskRows;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.ViewState;
import io.grokstream.model.Safetensors;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.concurrent.Semaphore;

/**
 * Interventions on a stored checkpoint (issue 19): ablations of Fourier frequencies, neurons or heads, and activation
 * patching, scored over every input of the experiment's task (gateway/API.md, "Interventions"). Read access as for
 * every checkpoint route: another team's private experiment is a 404 like a missing one.
 */
@Path("/api/experiments/{id}/checkpoints/{step}/interventions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "checkpoints")
public class InterventionsResource {
    /**
     * The most work one intervention may take: task rows times model parameters (two passes run). Nanda's p = 113 run
     * is 12,769 x 227,200 = 2.9e9, a few seconds here; ten times that is still under a minute.
     */
    static final double MAX_WORK = 3e10;

    /** One at a time: each holds a CPU for seconds and its activations in memory. */
    private static final Semaphore RUNNING = new Semaphore(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ViewState views;
    private final RequestCaller requestCaller;
    private final Access access;

    public InterventionsResource(EventFolder folder, RequestCaller requestCaller, Access access) {
        this.views = folder.state();
        this.requestCaller = requestCaller;
        this.access = access;
    }

    @POST
    @Operation(summary = "Intervene on the checkpoint: loss and accuracy over every task input per target, clean and"
            + " intervened, the (x, y) accuracy grid and the requested inputs' logits")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "ablate key frequencies from the logits",
                    value = "{\"kind\": \"ablate_fourier_logits\", \"frequencies\": [14, 35, 41]}"),
            @ExampleObject(name = "mean-ablate neurons",
                    value = "{\"kind\": \"mean_ablate_neurons\", \"layer\": 0, \"neurons\": [1, 2, 3]}"),
            @ExampleObject(name = "patch the residual of (5, 7) into every input",
                    value = "{\"kind\": \"patch_activation\", \"hook\": \"blocks.0.hook_resid_post\", \"position\": 2,"
                            + " \"source\": {\"x\": 5, \"y\": 7}, \"inputs\": [{\"x\": 1, \"y\": 2}]}")}))
    @Consumes(MediaType.WILDCARD)
    public InterventionResult intervene(@PathParam("id") String id, @PathParam("step") String step, String raw) {
        ExperimentSubmitted e = access.readable(id, requestCaller.get());
        JsonNode body = json(raw);
        long s = CheckpointStep.of(views, id, step, 404);
        TaskDefined task = views.task(e.taskId()).filter(t -> t.data() != null).orElseThrow(() -> new ApiException(422,
                "the task " + e.taskId() + " of experiment " + id + " is not in the catalog", "taskId"));
        if ((double) task.data().rows() * e.model().parameterCount() > MAX_WORK) {
            throw new ApiException(422, "task rows x model parameters = " + task.data().rows() + " x "
                    + e.model().parameterCount() + " is above the interventions' limit " + MAX_WORK, "step");
        }
        TaskRows rows = new TaskRows(task);
        if (!RUNNING.tryAcquire()) {
            throw new ApiException(409, "another intervention is running; try again in a few seconds", null);
        }
        try {
            InterventionEngine engine = new InterventionEngine(e.model(),
                    Safetensors.read(views.checkpointBytes(id, s)).tensors(), rows);
            InterventionRequest request = InterventionRequest.parse(body, e.model(), rows, engine.readAt());
            return engine.run(id, s, request);
        } finally {
            RUNNING.release();
        }
    }

    /** The body as JSON whatever its Content-Type says (none, as curl -d sends it, included). */
    private static JsonNode json(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(raw);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw ApiException.badRequest("body", "the body is not JSON: " + ex.getOriginalMessage());
        }
    }
}
