package io.grokstream.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.submit.ExperimentService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A grid over one or two parameters as one request: linked experiments sharing a sweep id. */
@Path("/api/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "experiments")
public class SweepsResource {
    private final ExperimentService service;
    private final RequestCaller requestCaller;

    public SweepsResource(ExperimentService service, RequestCaller requestCaller) {
        this.service = service;
        this.requestCaller = requestCaller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a sweep: {base: <create body>, grid: {\"optimizer.weightDecay\": [0.3, 1.0]}}")
    public Response create(JsonNode body) {
        return Response.status(201).entity(service.sweep(body, requestCaller.get())).build();
    }
}
