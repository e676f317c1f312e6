package io.grokstream.gateway.api;

import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.view.DeadLetterEntry;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.ViewState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Operators' views: the dead letters every consumer wrote, with reason and origin. */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AdminResource {
    private final ViewState views;
    private final RequestCaller requestCaller;
    private final Access access;

    public AdminResource(EventFolder folder, RequestCaller requestCaller, Access access) {
        this.views = folder.state();
        this.requestCaller = requestCaller;
        this.access = access;
    }

    @GET
    @Path("deadletters")
    @Operation(summary = "Dead letters (newest kept in memory), admin key only")
    public List<DeadLetterEntry> deadLetters() {
        access.requireAdmin(requestCaller.get());
        return views.deadLetters();
    }
}
