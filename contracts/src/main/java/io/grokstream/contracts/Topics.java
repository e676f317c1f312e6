package io.grokstream.contracts;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topic registry: names, keys, values, partition counts and topic configs (retention, compaction, message
 * size). Topics are created by code
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
    /** The teams' webhooks (compacted; a tombstone removes one): the gateway's alone, since they hold secrets. */
    public static final String WEBHOOKS = "grokstream.webhooks.v1";
    /** Every attempt to deliver an alert to a webhook: the delivery log every gateway replica serves. */
    public static final String WEBHOOK_DELIVERIES = "grokstream.webhook-deliveries.v1";
    /** How long the delivery log is kept: a week. */
    public static final long WEBHOOK_DELIVERIES_RETENTION_MS = 7L * 24 * 3600 * 1000;

    /** 16 MiB: snapshots of Nanda's model are ~0.9 MB, checkpoints (with AdamW moments) ~2.7 MB, float64 twice. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /**
     * The experiments topic is the trainers' work queue (a share group) and has one partition: Kafka's share-group
     * assignor (SimpleAssignor, Kafka 4.2) spreads partitions over members first and shares a partition among
     * members only when they outnumber the partitions, so with more partitions than slots each partition would be
     * fetched by one member and an experiment could wait behind a busy one while other slots idle. One partition
     * gives every slot every waiting experiment, oldest first. Its traffic is a few small records per experiment.
     */
    public static final int QUEUE_PARTITIONS = 1;

    /**
     * Default partitions of the experiment-keyed event topics (training, snapshots, checkpoints, measures): sized
     * for tens of analysis instances (a consumer group reads a partition with one member) and spread load. Set
     * {@value #PARTITIONS_VARIABLE} (or the system property {@value #PARTITIONS_PROPERTY}) before the topics are
     * first created; the code never changes the count of an existing topic, since that would move experiments'
     * keys to other partitions.
     */
    public static final int DEFAULT_PARTITIONS = 32;
    public static final String PARTITIONS_VARIABLE = "GROKSTREAM_TOPIC_PARTITIONS";
    public static final String PARTITIONS_PROPERTY = "grokstream.topic.partitions";
    /** The most partitions {@value #PARTITIONS_VARIABLE} may ask for (the capacity plan caps its choice here too). */
    public static final int MAX_PARTITIONS = 1000;
    private static final int PARTITIONS = configuredPartitions();

    /**
     * A topic's definition, with who may write and read it: the broker's ACLs are made from these (one writer per
     * topic, as the design says, but for the dead letters, which any consumer may write).
     */
    public record TopicSpec(String name, int partitions, String key, String value, Map<String, String> configs,
                            Set<KafkaUser> writers, Set<KafkaUser> readers) {
    }

    /** The prefix of the team topics: {@code grokstream.team.<team>.v1} holds that team's experiments' events. */
    public static final String TEAM_PREFIX = "grokstream.team.";
    /** The events of every experiment a team made public, readable by every team. */
    public static final String PUBLIC = "grokstream.public.v1";

    /**
     * A team's topic: the events of its experiments (experiments, training, measures), copied by the router; the
     * team's principal reads it and nothing else but {@link #PUBLIC}.
     *
     * @throws IllegalArgumentException when {@code team} is not a team name ({@link KafkaUser#TEAM})
     */
    public static String teamTopic(String team) {
        KafkaUser.team(team);
        return TEAM_PREFIX + team + ".v1";
    }

    /** A team topic's or the public topic's definition (the router writes it; no internal service reads it). */
    public static TopicSpec routed(String name) {
        return new TopicSpec(name, 1, "experiment id", "the team's experiments' events, as on the internal topics",
                Map.of("retention.ms", "-1"), Set.of(KafkaUser.ROUTER), Set.of());
    }

    private static final Set<KafkaUser> SERVICES = Set.of(KafkaUser.DATASET, KafkaUser.TRAINER, KafkaUser.ANALYSIS,
            KafkaUser.GATEWAY, KafkaUser.ROUTER);

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(TASKS, 1, "task id", "TaskDefined (JSON)", Map.of(
                    "cleanup.policy", "compact",
                    "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)),
                    Set.of(KafkaUser.DATASET),
                    Set.of(KafkaUser.DATASET, KafkaUser.TRAINER, KafkaUser.ANALYSIS, KafkaUser.GATEWAY)),
            new TopicSpec(EXPERIMENTS, QUEUE_PARTITIONS, "experiment id", "ExperimentSubmitted, ExperimentCancelled (JSON)",
                    Map.of("retention.ms", "-1"),
                    Set.of(KafkaUser.GATEWAY), Set.of(KafkaUser.TRAINER, KafkaUser.GATEWAY, KafkaUser.ROUTER)),
            new TopicSpec(TRAINING, PARTITIONS, "experiment id",
                    "TrainingStarted, StepMetrics, TrainingCompleted, TrainingFailed, TrainingAnomaly (JSON)",
                    Map.of("retention.ms", "-1"),
                    Set.of(KafkaUser.TRAINER), Set.of(KafkaUser.ANALYSIS, KafkaUser.GATEWAY, KafkaUser.ROUTER)),
            new TopicSpec(SNAPSHOTS, PARTITIONS, "experiment id", "safetensors bytes (binary, zstd)", Map.of(
                    "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES),
                    "retention.ms", "-1"),
                    Set.of(KafkaUser.TRAINER), Set.of(KafkaUser.ANALYSIS, KafkaUser.GATEWAY)),
            new TopicSpec(CHECKPOINTS, PARTITIONS, "experiment id", "safetensors training state (binary, compacted)",
                    Map.of("cleanup.policy", "compact",
                            "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)),
                    Set.of(KafkaUser.TRAINER), Set.of(KafkaUser.TRAINER)),
            new TopicSpec(MEASURES, PARTITIONS, "experiment id", "ProgressMeasured, PhaseDetected (JSON)",
                    Map.of("retention.ms", "-1"),
                    Set.of(KafkaUser.ANALYSIS), Set.of(KafkaUser.ANALYSIS, KafkaUser.GATEWAY, KafkaUser.ROUTER)),
            new TopicSpec(DEADLETTER, 1, "original key", "original bytes, error in headers",
                    Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)),
                    SERVICES, Set.of(KafkaUser.GATEWAY)),
            new TopicSpec(WEBHOOKS, 1, "webhook id", "WebhookRegistered (JSON), tombstone on removal",
                    Map.of("cleanup.policy", "compact"),
                    Set.of(KafkaUser.GATEWAY), Set.of(KafkaUser.GATEWAY)),
            new TopicSpec(WEBHOOK_DELIVERIES, 1, "webhook id", "WebhookAttempted (JSON)",
                    Map.of("retention.ms", String.valueOf(WEBHOOK_DELIVERIES_RETENTION_MS)),
                    Set.of(KafkaUser.GATEWAY), Set.of(KafkaUser.GATEWAY)));

    private Topics() {
    }

    /**
     * The partition count of the experiment-keyed event topics: {@value #PARTITIONS_PROPERTY}, else
     * {@value #PARTITIONS_VARIABLE}, else {@link #DEFAULT_PARTITIONS}.
     *
     * @throws IllegalArgumentException when the setting is not an integer in [1, {@value #MAX_PARTITIONS}]
     */
    public static int configuredPartitions() {
        String value = System.getProperty(PARTITIONS_PROPERTY, System.getenv(PARTITIONS_VARIABLE));
        if (value == null || value.isBlank()) {
            return DEFAULT_PARTITIONS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_PARTITIONS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PARTITIONS_VARIABLE + " must be an integer in [1, " + MAX_PARTITIONS
                + "], got " + value);
    }

    /**
     * Every topic of a platform with {@code teams}: the internal ones ({@link #ALL}), the public one and each team's
     * (what the provisioner creates on the single-node broker, and deploy's KafkaTopics on a cluster).
     *
     * @throws IllegalArgumentException when a team is not a team name ({@link KafkaUser#TEAM})
     */
    public static List<TopicSpec> platform(Collection<String> teams) {
        List<TopicSpec> topics = new ArrayList<>(ALL);
        topics.add(routed(PUBLIC));
        teams.forEach(team -> topics.add(routed(teamTopic(team))));
        return List.copyOf(topics);
    }

    /** The internal topics {@code user} reads, by name. */
    public static String[] readableBy(KafkaUser user) {
        return ALL.stream().filter(t -> t.readers().contains(user)).map(TopicSpec::name).toArray(String[]::new);
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
