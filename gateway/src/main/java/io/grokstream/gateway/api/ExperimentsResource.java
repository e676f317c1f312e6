package io.grokstream.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.gateway.auth.Caller;
import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.live.LiveHub;
import io.grokstream.gateway.submit.ExperimentService;
import io.grokstream.gateway.view.Downsample;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.ExperimentDetail;
import io.grokstream.gateway.view.ExperimentSummary;
import io.grokstream.gateway.view.MeasurePoint;
import io.grokstream.gateway.view.MetricPoint;
import io.grokstream.gateway.view.StepRange;
import io.grokstream.gateway.view.ViewState;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Experiments: submit, list, read, cancel, clone, histories and the per-experiment live stream. */
@Path("/api/experiments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "experiments")
public class ExperimentsResource {
    private final ViewState views;
    private final ExperimentService service;
    private final RequestCaller requestCaller;
    private final Access access;
    private final LiveHub hub;

    public ExperimentsResource(EventFolder folder, ExperimentService service, RequestCaller requestCaller,
                               Access access, LiveHub hub) {
        this.views = folder.state();
        this.service = service;
        this.requestCaller = requestCaller;
        this.access = access;
        this.hub = hub;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit an experiment; every field optional (Nanda's run by default)")
    public Response create(JsonNode body) {
        ExperimentSubmitted e = service.create(body, requestCaller.get());
        return Response.status(201).entity(views.detail(e.experimentId()).orElseThrow()).build();
    }

    @GET
    @Operation(summary = "Experiments the caller may read (own team and public; admin: all, ?team= filters)")
    public List<ExperimentSummary> list(@QueryParam("team") String team) {
        Caller caller = requestCaller.get();
        return views.summaries(e -> caller.canRead(e.team(), e.publicRead()) && (team == null || team.equals(e.team())));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One experiment: summary, its submission (config), worker and device")
    public ExperimentDetail get(@PathParam("id") String id) {
        access.readable(id, requestCaller.get());
        return views.detail(id).orElseThrow();
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel an experiment of the caller's team (admin: any)")
    public Response cancel(@PathParam("id") String id, JsonNode body) {
        Caller caller = requestCaller.get();
        ExperimentSubmitted e = access.readable(id, caller);
        String reason = null;
        if (body != null && !body.isNull()) {
            if (!body.isObject()) {
                throw ApiException.badRequest("body", "the request body must be a JSON object {reason}");
            }
            for (var it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("reason")) {
                    throw ApiException.badRequest(f, "unknown field " + f + "; known: reason");
                }
            }
            if (body.has("reason") && !body.get("reason").isNull() && !body.get("reason").isTextual()) {
                throw ApiException.badRequest("reason", "reason must be a string");
            }
            reason = body.hasNonNull("reason") ? body.get("reason").asText() : null;
        }
        ExperimentCancelled c = service.cancel(e, caller, reason);
        return Response.status(202).entity(Map.of("experimentId", id, "status", ExperimentStatus.CANCELLED.wire(),
                "reason", c.reason(), "cancelledAt", c.cancelledAt().toString())).build();
    }

    @POST
    @Path("{id}/clone")
    @Operation(summary = "A new experiment from an existing one with partial overrides (same shape as create)")
    public Response cloneOf(@PathParam("id") String id, JsonNode overrides) {
        Caller caller = requestCaller.get();
        ExperimentSubmitted original = access.readable(id, caller);
        ExperimentSubmitted e = service.cloneOf(original, overrides, caller);
        return Response.status(201).entity(views.detail(e.experimentId()).orElseThrow()).build();
    }

    @GET
    @Path("{id}/metrics")
    @Operation(summary = "Metric history by step (from..to, both optional), downsampled to maxPoints keeping each "
            + "bucket's extremes of every metric")
    public List<MetricPoint> metrics(@PathParam("id") String id, @QueryParam("maxPoints") String maxPoints,
                                     @QueryParam("from") String from, @QueryParam("to") String to) {
        Integer max = Access.maxPoints(maxPoints);
        StepRange range = Access.stepRange(from, to);
        access.readable(id, requestCaller.get());
        return Downsample.extremes(views.histories().metrics(id, range), max, MetricPoint.SERIES);
    }

    @GET
    @Path("{id}/measures")
    @Operation(summary = "Progress-measure history (newest analysis version per step, from..to), downsampled to "
            + "maxPoints keeping each bucket's extremes of every scalar; spectra=a,b adds those spectra")
    public List<MeasurePoint> measures(@PathParam("id") String id, @QueryParam("maxPoints") String maxPoints,
                                       @QueryParam("spectra") String spectra, @QueryParam("from") String from,
                                       @QueryParam("to") String to) {
        Integer max = Access.maxPoints(maxPoints);
        StepRange range = Access.stepRange(from, to);
        access.readable(id, requestCaller.get());
        List<String> names = spectra == null || spectra.isBlank() ? null
                : Arrays.stream(spectra.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<MeasurePoint> all = views.histories().measures(id, range);
        List<MeasurePoint> points = Downsample.extremes(all, max, MeasurePoint.series(all));
        return names == null ? points : views.histories().withSpectra(id, points, names::contains);
    }

    @GET
    @Path("{id}/measures/latest")
    @Operation(summary = "The latest ProgressMeasured in full: scalars, spectra, grids")
    public ProgressMeasured latestMeasures(@PathParam("id") String id) {
        access.readable(id, requestCaller.get());
        return views.latestMeasured(id).orElseThrow(() -> ApiException.notFound("experimentId",
                "experiment " + id + " has no progress measures yet"));
    }

    @GET
    @Path("{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live events of one experiment: state first, then metrics, measures, status, phase, checkpoint")
    public void stream(@PathParam("id") String id, @Context SseEventSink sink, @Context Sse sse) {
        Caller caller = requestCaller.get();
        access.readable(id, caller);
        hub.subscribe(caller, id, sink, sse, () -> views.detail(id).orElseThrow());
    }
}
