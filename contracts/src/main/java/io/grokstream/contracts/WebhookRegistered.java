package io.grokstream.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A team's webhook, on the compacted {@link Topics#WEBHOOKS} keyed by its id (a tombstone removes it). Only the
 * gateway writes and reads that topic: the secret every gateway replica signs with travels there and nowhere else.
 *
 * @param events       the {@link AlertKind} wire words it is sent
 * @param experimentId the one experiment it is about, or null for every experiment of the team
 * @param secret       the HMAC key of its signatures ({@link Webhooks})
 */
public record WebhookRegistered(String webhookId, String team, String url, List<String> events, String experimentId,
                                String secret, Instant registeredAt) implements GrokEvent {
    public WebhookRegistered {
        if (webhookId == null || webhookId.isBlank() || team == null || url == null || secret == null
                || registeredAt == null) {
            throw new IllegalArgumentException("a webhook needs an id, a team, a url, a secret and a time");
        }
        if (events == null || events.isEmpty() || events.stream().anyMatch(e -> AlertKind.of(e)
                .filter(AlertKind::subscribable).isEmpty())) {
            throw new IllegalArgumentException("a webhook's events are alert kinds, got " + events);
        }
        events = List.copyOf(events);
    }

    @Override
    public String subject() {
        return webhookId;
    }

    @Override
    public String dedupeKey() {
        return "registered";
    }
}
