package io.grokstream.gateway.api;

import io.grokstream.gateway.auth.Caller;
import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.live.LiveHub;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.ViewState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The live stream of every experiment the caller may read (the dashboard's list page). */
@Path("/api/stream")
@Tag(name = "live")
public class StreamResource {
    private final ViewState views;
    private final RequestCaller requestCaller;
    private final LiveHub hub;

    public StreamResource(EventFolder folder, RequestCaller requestCaller, LiveHub hub) {
        this.views = folder.state();
        this.requestCaller = requestCaller;
        this.hub = hub;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live events of the caller's experiments: state (the list) first, then changes")
    public void stream(@Context SseEventSink sink, @Context Sse sse) {
        Caller caller = requestCaller.get();
        hub.subscribe(caller, null, sink, sse, () -> views.summaries(e -> caller.canRead(e.team(), e.publicRead())));
    }
}
