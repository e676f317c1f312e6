package io.grokstream.contracts;

import java.time.Instant;

/**
 * One attempt to deliver an alert to a webhook, on {@link Topics#WEBHOOK_DELIVERIES} keyed by the webhook's id: the
 * delivery log every gateway replica serves.
 *
 * @param status      the receiver's HTTP status, or null when no answer came ({@code error} says why)
 * @param error       why the attempt failed without a status, or null
 * @param nextRetryAt when the next attempt is due, or null when this one was the last
 */
public record WebhookAttempted(String webhookId, String deliveryId, String kind, String experimentId, int attempt,
                               Integer status, String error, Instant attemptedAt, Instant nextRetryAt)
        implements GrokEvent {
    public WebhookAttempted {
        if (webhookId == null || deliveryId == null || kind == null || attemptedAt == null || attempt < 1) {
            throw new IllegalArgumentException("an attempt needs a webhook, a delivery, a kind, a time and a number >= 1");
        }
    }

    /** Whether the receiver took it (a 2xx answer). */
    public boolean delivered() {
        return status != null && status >= 200 && status < 300;
    }

    @Override
    public String subject() {
        return webhookId;
    }

    @Override
    public String dedupeKey() {
        return deliveryId + "#" + attempt;
    }
}
