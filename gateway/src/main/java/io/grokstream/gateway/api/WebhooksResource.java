package io.grokstream.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.AlertKind;
import io.grokstream.contracts.WebhookAttempted;
import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.webhook.WebhookCreated;
import io.grokstream.gateway.webhook.WebhookRequest;
import io.grokstream.gateway.webhook.WebhookService;
import io.grokstream.gateway.webhook.WebhookView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Alerts (issue 19): a team's webhooks, told of its experiments' phase events, anomalies and ends with signed
 * payloads, retried with back-off; their delivery log; a test delivery.
 */
@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
public class WebhooksResource {
    private final WebhookService webhooks;
    private final RequestCaller requestCaller;

    public WebhooksResource(WebhookService webhooks, RequestCaller requestCaller) {
        this.webhooks = webhooks;
        this.requestCaller = requestCaller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a webhook {url, events, experimentId?}; the answer holds its signing secret, "
            + "shown this once")
    public Response create(JsonNode body) {
        WebhookCreated created = webhooks.register(WebhookRequest.parse(body), requestCaller.get());
        return Response.status(201).entity(created).build();
    }

    @GET
    @Path("kinds")
    @Operation(summary = "The alert kinds a webhook may subscribe to (its events), from contracts' AlertKind")
    public List<String> kinds() {
        return Arrays.stream(AlertKind.values()).filter(AlertKind::subscribable).map(AlertKind::wire).toList();
    }

    @GET
    @Operation(summary = "The team's webhooks (admin: every team's), without secrets, each with its last attempt")
    public List<WebhookView> list() {
        return webhooks.list(requestCaller.get());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove a webhook of the team")
    public Response remove(@PathParam("id") String id) {
        webhooks.remove(id, requestCaller.get());
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "The delivery log: every attempt (event, experiment, attempt, HTTP status or error, time, "
            + "next retry), newest first")
    public List<WebhookAttempted> deliveries(@PathParam("id") String id) {
        return webhooks.deliveries(id, requestCaller.get());
    }

    @POST
    @Path("{id}/test")
    @Operation(summary = "Send a test delivery (kind ping) now; no body")
    public Response test(@PathParam("id") String id) {
        String deliveryId = webhooks.test(id, requestCaller.get());
        return Response.status(202).entity(Map.of("webhookId", id, "deliveryId", deliveryId)).build();
    }
}
