package io.grokstream.gateway.webhook;

import io.grokstream.contracts.AlertKind;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.WebhookAttempted;
import io.grokstream.contracts.WebhookRegistered;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The webhooks and their delivery log as one gateway replica knows them: a fold of {@link Topics#WEBHOOKS} (a
 * tombstone removes a webhook) and {@link Topics#WEBHOOK_DELIVERIES} (the newest {@code logSize} attempts per
 * webhook), read from the beginning at every start, so every replica serves the same. The replica that registers,
 * removes or attempts also applies it at once, so its own answers see it; folding it again from the topic changes
 * nothing. Thread-safe.
 */
public final class WebhookRegistry {
    /** The team whose webhooks hear every team's experiments: the operators' key. */
    private final String everyTeam;
    private final int logSize;
    private final Map<String, WebhookRegistered> hooks = new TreeMap<>();
    private final Map<String, Deque<WebhookAttempted>> log = new HashMap<>();

    public WebhookRegistry(int logSize, String everyTeam) {
        if (logSize < 1) {
            throw new IllegalArgumentException("the delivery log keeps at least one attempt, got " + logSize);
        }
        this.logSize = logSize;
        this.everyTeam = everyTeam;
    }

    /** One record of either topic. */
    public void fold(ConsumerRecord<String, byte[]> r) {
        if (Topics.WEBHOOKS.equals(r.topic())) {
            if (r.value() == null) {
                remove(r.key());
            } else {
                put(EventCodec.decode(WebhookRegistered.class, r.value()));
            }
        } else if (Topics.WEBHOOK_DELIVERIES.equals(r.topic())) {
            record(EventCodec.decode(WebhookAttempted.class, r.value()));
        }
    }

    public synchronized void put(WebhookRegistered hook) {
        hooks.put(hook.webhookId(), hook);
    }

    public synchronized void remove(String webhookId) {
        hooks.remove(webhookId);
        log.remove(webhookId);
    }

    /** Keeps an attempt once (the replica that made it applies it before the topic brings it back). */
    public synchronized void record(WebhookAttempted a) {
        Deque<WebhookAttempted> attempts = log.computeIfAbsent(a.webhookId(), k -> new ArrayDeque<>());
        if (attempts.stream().anyMatch(x -> x.deliveryId().equals(a.deliveryId()) && x.attempt() == a.attempt())) {
            return;
        }
        attempts.addLast(a);
        while (attempts.size() > logSize) {
            attempts.removeFirst();
        }
    }

    public synchronized Optional<WebhookRegistered> get(String webhookId) {
        return Optional.ofNullable(hooks.get(webhookId));
    }

    /** Every webhook, by id. */
    public synchronized List<WebhookRegistered> all() {
        return List.copyOf(hooks.values());
    }

    /**
     * The webhooks an alert of {@code kind} about {@code team}'s experiment goes to: the team's own (and the
     * operators'), subscribed to the kind, about every experiment or this one, and registered before the event was
     * published (a new webhook is not sent the past).
     */
    public synchronized List<WebhookRegistered> matching(String team, String experimentId, AlertKind kind,
                                                         long publishedAtMillis) {
        return hooks.values().stream()
                .filter(h -> h.team().equals(team) || h.team().equals(everyTeam))
                .filter(h -> h.events().contains(kind.wire()))
                .filter(h -> h.experimentId() == null || h.experimentId().equals(experimentId))
                .filter(h -> h.registeredAt().toEpochMilli() <= publishedAtMillis)
                .toList();
    }

    /** A webhook's newest attempts, newest first. */
    public synchronized List<WebhookAttempted> deliveries(String webhookId) {
        return log.getOrDefault(webhookId, new ArrayDeque<>()).stream()
                .sorted(Comparator.comparing(WebhookAttempted::attemptedAt).reversed()).toList();
    }
}
