package io.grokstream.analysis.api;

import io.grokstream.analysis.consume.OpenGaps;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * {@code GET /admin/gaps}: the snapshots this instance skipped to keep up and has not measured yet ({@link OpenGaps}),
 * in total and by experiment. They fill by themselves when the live consumer is idle; no replay is needed.
 */
@Path("/admin/gaps")
@Produces(MediaType.APPLICATION_JSON)
public class GapsResource {
    private final OpenGaps gaps;

    public GapsResource(OpenGaps gaps) {
        this.gaps = gaps;
    }

    /** What is open now. */
    public record Status(int open, Map<String, Integer> byExperiment) {
    }

    @GET
    public Status status() {
        return new Status(gaps.size(), gaps.byExperiment());
    }
}
