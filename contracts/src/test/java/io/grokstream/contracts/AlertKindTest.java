package io.grokstream.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertKindTest {
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void eachAlertComesFromItsEvent() {
        assertEquals(Optional.of(AlertKind.MEMORISED), AlertKind.of(new PhaseDetected("e", "memorised", 1, "", "1")));
        assertEquals(Optional.of(AlertKind.CIRCUIT_FORMATION),
                AlertKind.of(new PhaseDetected("e", "circuit_formation", 1, "", "1")));
        assertEquals(Optional.of(AlertKind.CLEANUP), AlertKind.of(new PhaseDetected("e", "cleanup", 1, "", "1")));
        assertEquals(Optional.of(AlertKind.GROKKED), AlertKind.of(new PhaseDetected("e", "grokked", 1, "", "1")));
        assertEquals(Optional.empty(), AlertKind.of(new PhaseDetected("e", "memorisation", 1, "", "1")));
        assertEquals(Optional.of(AlertKind.ANOMALY), AlertKind.of(new TrainingAnomaly("e", 3, "spike", "x", "none")));
        assertEquals(Optional.of(AlertKind.FAILED), AlertKind.of(new TrainingFailed("e", 3, "oom", T)));
        assertEquals(Optional.of(AlertKind.COMPLETED), AlertKind.of(completed(EndReason.BUDGET)));
        assertEquals(Optional.of(AlertKind.COMPLETED), AlertKind.of(completed(EndReason.EARLY_STOP)));
        assertEquals(Optional.of(AlertKind.CANCELLED), AlertKind.of(completed(EndReason.CANCELLED)));
        assertEquals(Optional.empty(), AlertKind.of(new TrainingStarted("e", "w", "cpu", 0, T)));
        assertEquals(Optional.empty(), AlertKind.of(new StepMetrics("e", 1, 1, 1, 0, 0, Map.of(), Map.of(), Map.of(),
                Map.of(), 0, Map.of(), 0, 0, 0)));
    }

    @Test
    void theSourcesAreExactlyTheEventTypesThatRaiseAlerts() {
        assertEquals(java.util.Set.of(EventType.PHASE_DETECTED, EventType.TRAINING_ANOMALY,
                EventType.TRAINING_COMPLETED, EventType.TRAINING_FAILED), AlertKind.SOURCES);
        assertFalse(AlertKind.PING.subscribable());
        assertEquals(Optional.of(AlertKind.CIRCUIT_FORMATION), AlertKind.of("circuit_formation"));
    }

    @Test
    void aWebhookSubscribesOnlyToKnownAlertKinds() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookRegistered("w", "demo", "https://x", List.of("ping"),
                null, "s", T));
        assertThrows(IllegalArgumentException.class, () -> new WebhookRegistered("w", "demo", "https://x", List.of(),
                null, "s", T));
    }

    @Test
    void theSignatureIsTheHmacSha256OfTimestampDotBody() {
        // known answers computed with Python's hmac module
        byte[] body = "{\"kind\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        String expected = "sha256=db12e0595715d2510c13dea54c40711d893816899ee5d343115eb8d29144001d";
        assertEquals(expected, Webhooks.signature("whsec_test", 1_700_000_000L, body));
        assertTrue(Webhooks.verify("whsec_test", 1_700_000_000L, body, expected));
        assertFalse(Webhooks.verify("whsec_test", 1_700_000_001L, body, expected), "another timestamp");
        assertFalse(Webhooks.verify("whsec_other", 1_700_000_000L, body, expected), "another secret");
    }

    private static TrainingCompleted completed(EndReason reason) {
        return new TrainingCompleted("e", 100, 0, 0, 1, 1, null, null, reason.wire(), T);
    }
}
