package io.grokstream.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.AlertKind;
import io.grokstream.gateway.api.ApiException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A registration's body, {@code {url, events, experimentId?}}, read strictly: every refusal is a 400 naming the
 * field. Whether the URL may be called and the experiment is the caller's is checked by {@link WebhookService}.
 *
 * @param events the subscribed {@link AlertKind} wire words, each once, in the order given
 */
public record WebhookRequest(String url, List<String> events, String experimentId) {
    private static final Set<String> FIELDS = Set.of("url", "events", "experimentId");

    /** @throws ApiException 400 naming the field at fault */
    public static WebhookRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "the request body must be a JSON object {url, events, experimentId?}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest(f, "unknown field " + f + "; known: events, experimentId, url");
            }
        }
        JsonNode url = body.get("url");
        if (url == null || !url.isTextual() || url.asText().isBlank()) {
            throw ApiException.badRequest("url", "url is required: the http(s) address alerts are posted to");
        }
        JsonNode experiment = body.get("experimentId");
        if (experiment != null && !experiment.isNull() && !experiment.isTextual()) {
            throw ApiException.badRequest("experimentId", "experimentId must be a string");
        }
        return new WebhookRequest(url.asText().trim(), events(body.get("events")),
                experiment == null || experiment.isNull() ? null : experiment.asText());
    }

    private static List<String> events(JsonNode events) {
        List<String> known = Arrays.stream(AlertKind.values()).filter(AlertKind::subscribable).map(AlertKind::wire)
                .toList();
        if (events == null || !events.isArray() || events.isEmpty()) {
            throw ApiException.badRequest("events", "events must be a non-empty array of " + String.join(", ", known));
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode e : events) {
            if (!e.isTextual() || !known.contains(e.asText())) {
                throw ApiException.badRequest("events", "unknown event " + e + "; known: " + String.join(", ", known));
            }
            out.add(e.asText());
        }
        return new ArrayList<>(out);
    }
}
