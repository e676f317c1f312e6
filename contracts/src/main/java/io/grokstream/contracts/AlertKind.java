package io.grokstream.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a team's webhook can be told (issue 19, alerts): the phase events the analysis service detects, a training
 * anomaly, and how a run ended. Each kind comes from one event on the platform's topics ({@link #of(GrokEvent)});
 * {@link #PING} is the test delivery a team asks for, never subscribed to. The {@code kind} of a webhook's payload
 * and of its {@code events} on the wire, lower case.
 */
public enum AlertKind {
    /** {@link PhaseDetected} {@code memorised}. */
    MEMORISED,
    /** {@link PhaseDetected} {@code circuit_formation}. */
    CIRCUIT_FORMATION,
    /** {@link PhaseDetected} {@code cleanup}. */
    CLEANUP,
    /** {@link PhaseDetected} {@code grokked}. */
    GROKKED,
    /** {@link TrainingAnomaly}: a non-finite loss or gradient, or a loss spike. */
    ANOMALY,
    /** {@link TrainingCompleted} with reason {@code budget} or {@code early_stop}. */
    COMPLETED,
    /** {@link TrainingFailed}. */
    FAILED,
    /** {@link TrainingCompleted} with reason {@code cancelled} (a cancelled run always ends with one). */
    CANCELLED,
    /** A test delivery ({@code POST /api/webhooks/{id}/test}); not an event a webhook subscribes to. */
    PING;

    /** The event types that can carry an alert: a reader skips every other record without decoding it. */
    public static final Set<EventType> SOURCES = Set.of(EventType.PHASE_DETECTED, EventType.TRAINING_ANOMALY,
            EventType.TRAINING_COMPLETED, EventType.TRAINING_FAILED);

    /** The word on the wire: {@code memorised}, {@code circuit_formation}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a webhook may subscribe to this kind (all but {@link #PING}). */
    public boolean subscribable() {
        return this != PING;
    }

    /** The kind a wire word names, or empty. */
    public static Optional<AlertKind> of(String wire) {
        return Arrays.stream(values()).filter(k -> k.wire().equals(wire)).findFirst();
    }

    /** The alert an event raises, or empty (metrics, measures, the memorisation phase, ...). */
    public static Optional<AlertKind> of(GrokEvent event) {
        if (event instanceof PhaseDetected p) {
            return Phase.of(p.phase()).map(AlertKind::ofPhase);
        }
        if (event instanceof TrainingAnomaly) {
            return Optional.of(ANOMALY);
        }
        if (event instanceof TrainingFailed) {
            return Optional.of(FAILED);
        }
        if (event instanceof TrainingCompleted c) {
            return Optional.of(EndReason.CANCELLED.wire().equals(c.reason()) ? CANCELLED : COMPLETED);
        }
        return Optional.empty();
    }

    private static AlertKind ofPhase(Phase phase) {
        return switch (phase) {
            case MEMORISED -> MEMORISED;
            case CIRCUIT_FORMATION -> CIRCUIT_FORMATION;
            case CLEANUP -> CLEANUP;
            case GROKKED -> GROKKED;
            case MEMORISATION -> null; // the first step of every run: no news
        };
    }
}
