package io.grokstream.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.gateway.analysis.AnalysisClient;
import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.ViewState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * A team's retrospective measures: every stored snapshot of an experiment it may read re-measured by the analysis
 * service with the key frequencies given. The read rule is {@link Access}'s (another team's private experiment is a
 * 404 and the analysis service is never asked); the gateway then calls the analysis service with the service key,
 * which no team holds.
 */
@Path("/api/experiments/{id}/retrospective")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "experiments")
public class RetrospectiveResource {
    private final ViewState views;
    private final RequestCaller requestCaller;
    private final Access access;
    private final AnalysisClient analysis;

    public RetrospectiveResource(EventFolder folder, RequestCaller requestCaller, Access access, AnalysisClient analysis) {
        this.views = folder.state();
        this.requestCaller = requestCaller;
        this.access = access;
        this.analysis = analysis;
    }

    @GET
    @Operation(summary = "Restricted and excluded loss of every stored snapshot with the key frequencies given "
            + "(the analysis service's retrospective measures)")
    public JsonNode measure(@PathParam("id") String id, @QueryParam("frequencies") String frequencies) {
        ExperimentSubmitted e = access.readable(id, requestCaller.get());
        TaskDefined.Residues residues = views.task(e.taskId()).map(TaskDefined::residues).orElse(null);
        List<Integer> keys = FrequenciesParameter.parse(frequencies, residues);
        return analysis.retrospective(id, keys);
    }
}
