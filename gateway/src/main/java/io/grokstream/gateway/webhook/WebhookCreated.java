package io.grokstream.gateway.webhook;

import io.grokstream.contracts.WebhookRegistered;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a registration: the webhook and, this once only, the secret its deliveries are signed with
 * ({@link io.grokstream.contracts.Webhooks}).
 */
public record WebhookCreated(String webhookId, String team, String url, List<String> events, String experimentId,
                             Instant registeredAt, String secret) {
    static WebhookCreated of(WebhookRegistered h) {
        return new WebhookCreated(h.webhookId(), h.team(), h.url(), h.events(), h.experimentId(), h.registeredAt(),
                h.secret());
    }
}
