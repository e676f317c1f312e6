package io.grokstream.contracts;

import java.util.Arrays;
import java.util.Optional;

/**
 * The registry of event types: CloudEvents {@code ce_type}, record class and topic. One writer per topic
 * (only the service that owns a topic publishes to it); a reader picks the record class from the {@code ce_type}
 * header.
 */
public enum EventType {
    TASK_DEFINED("grokstream.task.defined.v1", TaskDefined.class, Topics.TASKS),
    EXPERIMENT_SUBMITTED("grokstream.experiment.submitted.v1", ExperimentSubmitted.class, Topics.EXPERIMENTS),
    EXPERIMENT_CANCELLED("grokstream.experiment.cancelled.v1", ExperimentCancelled.class, Topics.EXPERIMENTS),
    TRAINING_STARTED("grokstream.training.started.v1", TrainingStarted.class, Topics.TRAINING),
    STEP_METRICS("grokstream.training.metrics.v1", StepMetrics.class, Topics.TRAINING),
    TRAINING_COMPLETED("grokstream.training.completed.v1", TrainingCompleted.class, Topics.TRAINING),
    TRAINING_FAILED("grokstream.training.failed.v1", TrainingFailed.class, Topics.TRAINING),
    TRAINING_ANOMALY("grokstream.training.anomaly.v1", TrainingAnomaly.class, Topics.TRAINING),
    PROGRESS_MEASURED("grokstream.progress.measured.v1", ProgressMeasured.class, Topics.MEASURES),
    PHASE_DETECTED("grokstream.phase.detected.v1", PhaseDetected.class, Topics.MEASURES),
    WEBHOOK_REGISTERED("grokstream.webhook.registered.v1", WebhookRegistered.class, Topics.WEBHOOKS),
    WEBHOOK_ATTEMPTED("grokstream.webhook.attempted.v1", WebhookAttempted.class, Topics.WEBHOOK_DELIVERIES);

    /** {@code ce_type} of the binary records on the snapshot and checkpoint topics (not JSON events). */
    public static final String SNAPSHOT_TAKEN = "grokstream.snapshot.taken.v1";
    public static final String CHECKPOINT_SAVED = "grokstream.checkpoint.saved.v1";

    private final String ceType;
    private final Class<? extends GrokEvent> recordClass;
    private final String topic;

    EventType(String ceType, Class<? extends GrokEvent> recordClass, String topic) {
        this.ceType = ceType;
        this.recordClass = recordClass;
        this.topic = topic;
    }

    public String ceType() {
        return ceType;
    }

    public Class<? extends GrokEvent> recordClass() {
        return recordClass;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> ofCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }

    public static EventType of(GrokEvent event) {
        return Arrays.stream(values()).filter(t -> t.recordClass == event.getClass()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event type for " + event.getClass().getName()));
    }
}
