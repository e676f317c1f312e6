package io.grokstream.gateway.api;

import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.TaskSummary;
import io.grokstream.gateway.view.ViewState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The task catalog, folded from the tasks topic (definitions without their data). */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tasks")
public class TasksResource {
    private final ViewState views;
    private final RequestCaller requestCaller;

    public TasksResource(EventFolder folder, RequestCaller requestCaller) {
        this.views = folder.state();
        this.requestCaller = requestCaller;
    }

    @GET
    @Operation(summary = "Every task: kind, parameters, sequence layout, targets, statistics, warnings")
    public List<TaskSummary> list() {
        requestCaller.get();
        return views.tasks();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One task of the catalog")
    public TaskSummary get(@PathParam("id") String id) {
        requestCaller.get();
        return views.task(id).map(TaskSummary::of)
                .orElseThrow(() -> ApiException.notFound("taskId", "no task " + id));
    }
}
