package io.grokstream.contracts;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The topic registry: names, keys, values and the topic configs DESIGN.md names. Topics are created by code
 * ({@link TopicInitializer}), never left to auto-creation; tests reuse these constants.
 */
public final class Topics {
    public static final String TASKS = "grokstream.tasks.v1";
    public static final String EXPERIMENTS = "grokstream.experiments.v1";
    public static final String TRAINING = "grokstream.training.v1";
    public static final String SNAPSHOTS = "grokstream.snapshots.v1";
    public static final String CHECKPOINTS = "grokstream.checkpoints.v1";
    public static final String MEASURES = "grokstream.measures.v1";
    public static final String DEADLETTER = "grokstream.deadletter.v1";

    /** 16 MiB: snapshots of Nanda's model are ~0.9 MB, checkpoints (with AdamW moments) ~2.7 MB, float64 twice. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final int PARTITIONS = 4;

    /** A topic's definition. */
    public record TopicSpec(String name, int partitions, String key, String value, Map<String, String> configs) {
    }

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(TASKS, 1, "task id", "TaskDefined (JSON)", Map.of(
                    "cleanup.policy", "compact",
                    "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES))),
            new TopicSpec(EXPERIMENTS, PARTITIONS, "experiment id", "ExperimentSubmitted, ExperimentCancelled (JSON)",
                    Map.of("retention.ms", "-1")),
            new TopicSpec(TRAINING, PARTITIONS, "experiment id",
                    "TrainingStarted, StepMetrics, TrainingCompleted, TrainingFailed, TrainingAnomaly (JSON)",
                    Map.of("retention.ms", "-1")),
            new TopicSpec(SNAPSHOTS, PARTITIONS, "experiment id", "safetensors bytes (binary, zstd)", Map.of(
                    "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES),
                    "retention.ms", "-1")),
            new TopicSpec(CHECKPOINTS, PARTITIONS, "experiment id", "safetensors training state (binary, compacted)",
                    Map.of("cleanup.policy", "compact",
                            "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES))),
            new TopicSpec(MEASURES, PARTITIONS, "experiment id", "ProgressMeasured, PhaseDetected (JSON)",
                    Map.of("retention.ms", "-1")),
            new TopicSpec(DEADLETTER, 1, "original key", "original bytes, error in headers",
                    Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES))));

    private Topics() {
    }

    public static TopicSpec spec(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown topic " + name));
    }

    /**
     * The partition Kafka's default partitioner gives a record keyed {@code key}: {@code toPositive(murmur2(key)) %
     * partitions} (as {@code BuiltInPartitioner.partitionForKey}). Every experiment-keyed topic puts an experiment's
     * records there, so a reader of one experiment reads one partition.
     */
    public static int partitionFor(String key, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive, got " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
