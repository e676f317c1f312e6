package io.grokstream.analysis.api;

import io.grokstream.analysis.consume.AnalysisLoops;
import io.grokstream.analysis.consume.Replay;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * Operator endpoints. {@code POST /admin/replay} re-analyses every stored snapshot for the current analysis
 * version (what is already measured at this version is skipped); {@code GET /admin/replay} reports its progress.
 */
@Path("/admin/replay")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
    private final AnalysisLoops loops;

    public AdminResource(AnalysisLoops loops) {
        this.loops = loops;
    }

    @POST
    public Response replay() {
        if (!loops.ready()) {
            return AdminError.of(503, "the service is still folding its published measures; retry shortly", "replay");
        }
        Map.Entry<Replay, Boolean> r = loops.startReplay();
        if (!r.getValue()) {
            return AdminError.of(409, "a replay is already running: " + r.getKey().id(), "replay");
        }
        return Response.accepted(r.getKey()).build();
    }

    @GET
    public Response status() {
        return loops.replay().map(r -> Response.ok(r).build())
                .orElseGet(() -> AdminError.of(404, "no replay has been started", "replay"));
    }
}
