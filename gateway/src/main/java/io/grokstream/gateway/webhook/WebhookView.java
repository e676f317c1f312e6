package io.grokstream.gateway.webhook;

import io.grokstream.contracts.WebhookAttempted;
import io.grokstream.contracts.WebhookRegistered;

import java.time.Instant;
import java.util.List;

/**
 * A webhook as {@code GET /api/webhooks} shows it: never its secret.
 *
 * @param lastAttempt its newest delivery attempt, or null
 */
public record WebhookView(String webhookId, String team, String url, List<String> events, String experimentId,
                          Instant registeredAt, WebhookAttempted lastAttempt) {
    static WebhookView of(WebhookRegistered h, WebhookAttempted last) {
        return new WebhookView(h.webhookId(), h.team(), h.url(), h.events(), h.experimentId(), h.registeredAt(), last);
    }
}
