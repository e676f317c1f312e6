package io.grokstream.gateway.webhook;

import io.grokstream.contracts.AlertKind;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;

import java.time.Instant;
import java.util.Locale;

/**
 * The JSON body of one webhook delivery: the same for every attempt of it (its id is the receiver's dedupe key).
 *
 * @param experimentId null for a {@link AlertKind#PING}
 * @param step         the step the event happened at (0 for a ping)
 * @param detail       the evidence, in words
 * @param occurredAt   when the event was published
 */
public record AlertPayload(String deliveryId, String webhookId, String kind, String experimentId, String team,
                           long step, String detail, Instant occurredAt) {

    /** The alert {@code event} raises, as {@code kind}. */
    static AlertPayload of(String deliveryId, String webhookId, AlertKind kind, GrokEvent event, String team,
                           Instant occurredAt) {
        return new AlertPayload(deliveryId, webhookId, kind.wire(), event.subject(), team, step(event),
                detail(event), occurredAt);
    }

    /** A test delivery. */
    static AlertPayload ping(String deliveryId, String webhookId, String team) {
        return new AlertPayload(deliveryId, webhookId, AlertKind.PING.wire(), null, team, 0,
                "a test delivery, asked for through the API", Instant.now());
    }

    private static long step(GrokEvent event) {
        if (event instanceof PhaseDetected p) {
            return p.step();
        }
        if (event instanceof TrainingAnomaly a) {
            return a.step();
        }
        if (event instanceof TrainingCompleted c) {
            return c.finalStep();
        }
        return event instanceof TrainingFailed f ? f.step() : 0;
    }

    private static String detail(GrokEvent event) {
        if (event instanceof PhaseDetected p) {
            return p.evidence();
        }
        if (event instanceof TrainingAnomaly a) {
            return a.kind() + ": " + a.detail() + " (action " + a.action() + ")";
        }
        if (event instanceof TrainingCompleted c) {
            return String.format(Locale.ROOT, "ended (%s) at step %d: validation accuracy %.4f, train accuracy %.4f",
                    c.reason(), c.finalStep(), c.validationAccuracy(), c.trainAccuracy());
        }
        return event instanceof TrainingFailed f ? f.reason() : null;
    }
}
