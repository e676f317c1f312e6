package io.grokstream.gateway.api;

import io.grokstream.contracts.InterventionKind;
import io.grokstream.gateway.auth.RequestCaller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;

/** The intervention kinds and the fields each reads, from contracts' {@link InterventionKind}: the dashboard's form. */
@Path("/api/interventions/kinds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "checkpoints")
public class InterventionKindsResource {

    /** One kind on the wire and the request fields it reads (besides {@code kind} and {@code inputs}). */
    public record Kind(String kind, List<String> fields) {
    }

    private final RequestCaller requestCaller;

    public InterventionKindsResource(RequestCaller requestCaller) {
        this.requestCaller = requestCaller;
    }

    @GET
    @Operation(summary = "The intervention kinds and the fields each reads")
    public List<Kind> kinds() {
        requestCaller.get();
        return Arrays.stream(InterventionKind.values()).map(k -> new Kind(k.wire(), k.fields())).toList();
    }
}
