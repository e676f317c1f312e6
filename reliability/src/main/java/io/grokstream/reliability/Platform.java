package io.grokstream.reliability;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TopicScan;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The platform's processes and topics as the driver sees them: starts, stops (SIGTERM) and kills (SIGKILL) processes
 * through {@code grokstream-reliability _ctl}, reads whole topics and publishes raw records with the real clients.
 */
final class Platform {
    /** How long a pass over a whole topic may take (the largest hold a run's every snapshot). */
    private static final Duration SCAN_LIMIT = Duration.ofMinutes(5);
    final String ctl;
    final String bootstrap;
    /** The operator's access (the scenarios read every topic and plant poison records). */
    final KafkaAccess kafka;
    final Path logs;

    Platform(String ctl, String bootstrap, Path logs) {
        this.ctl = ctl;
        this.bootstrap = bootstrap;
        this.kafka = KafkaAccess.fromEnvironment(bootstrap);
        this.logs = logs;
    }

    /**
     * The broker as {@code user} (a service's or a team's principal), with its password from the platform's
     * credentials directory, {@code $GROKSTREAM_CREDENTIALS_DIR/kafka/<user>.password} (scripts/grokstream-reliability
     * exports it).
     *
     * @throws IllegalStateException when the directory is not set
     */
    KafkaAccess as(String user) {
        String dir = System.getenv("GROKSTREAM_CREDENTIALS_DIR");
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("GROKSTREAM_CREDENTIALS_DIR is not set: no Kafka password for " + user);
        }
        return KafkaAccess.scram(bootstrap, user, Path.of(dir, "kafka", user + ".password"));
    }

    /** Runs {@code _ctl ACTION NAME}; returns its seconds. */
    double control(String action, String name) {
        return control(action, name, Map.of());
    }

    /** Runs {@code _ctl ACTION NAME} with {@code env} added to its environment; returns its seconds. */
    double control(String action, String name, Map<String, String> env) {
        long t0 = System.nanoTime();
        try {
            ProcessBuilder pb = new ProcessBuilder(ctl, "_ctl", action, name).inheritIO();
            pb.environment().putAll(env);
            Process p = pb.start();
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException("_ctl " + action + " " + name + " exited " + rc);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Every record of a topic, from the beginning to its current end. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        forEach(topic, out::add);
        return out;
    }

    /** Every record now on {@code topic}, to {@code sink} (a bounded pass without a group: contracts' TopicScan). */
    void forEach(String topic, Consumer<ConsumerRecord<String, byte[]>> sink) {
        TopicScan.forEach(kafka, topic, SCAN_LIMIT, sink);
    }

    /** Sum of the end offsets of a topic's partitions (how many records it ever had). */
    long endOffsets(String topic) {
        return TopicScan.endOffset(kafka, topic, SCAN_LIMIT);
    }

    /** End offset per partition of a topic. */
    Map<Integer, Long> endOffsetsByPartition(String topic) {
        return TopicScan.endOffsets(kafka, topic, SCAN_LIMIT);
    }

    /** The offsets a consumer group has committed on a topic, per partition (absent: none committed). */
    Map<Integer, Long> committedOffsets(String group, String topic) {
        try (Admin admin = Admin.create(KafkaSettings.admin(kafka))) {
            Map<Integer, Long> out = new TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, o) -> {
                if (tp.topic().equals(topic) && o != null) {
                    out.put(tp.partition(), o.offset());
                }
            });
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("reading group " + group + "'s offsets: " + e, e);
        }
    }

    /** A consumer group's members (by client id and member id) and the partitions of {@code topic} each holds now. */
    Map<String, List<Integer>> assignment(String group, String topic) {
        try (Admin admin = Admin.create(KafkaSettings.admin(kafka))) {
            Map<String, List<Integer>> out = new TreeMap<>();
            admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().forEach(m ->
                    out.put(m.clientId() + "/" + m.consumerId(), m.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).sorted().toList()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("describing group " + group + ": " + e, e);
        }
    }

    /** The partition of {@code topic} the producers' default partitioner puts {@code key} on (murmur2 of the key). */
    int partitionOf(String topic, String key) {
        int partitions = endOffsetsByPartition(topic).size();
        return Topics.partitionFor(key, partitions);
    }

    /** Decoded events of a topic (unreadable records skipped). */
    List<GrokEvent> events(String topic) {
        List<GrokEvent> out = new ArrayList<>();
        forEach(topic, r -> {
            if (r.value() == null) {
                return;
            }
            try {
                out.add(EventCodec.decode(r.headers(), r.value()));
            } catch (RuntimeException ignored) {
                // poison records of scenario 4
            }
        });
        return out;
    }

    /** The measures published for the given experiments, in publish order. */
    List<ProgressMeasured> measures(Set<String> experimentIds) {
        List<ProgressMeasured> out = new ArrayList<>();
        for (GrokEvent e : events(Topics.MEASURES)) {
            if (e instanceof ProgressMeasured m && experimentIds.contains(m.experimentId())) {
                out.add(m);
            }
        }
        return out;
    }

    /** The step of every snapshot published for the given experiments, by experiment, in publish order (repeats kept). */
    Map<String, List<Long>> snapshotSteps(Set<String> experimentIds) {
        Map<String, List<Long>> out = new HashMap<>();
        forEach(Topics.SNAPSHOTS, r -> {
            if (r.key() != null && experimentIds.contains(r.key()) && r.value() != null) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(SnapshotCodec.fromRecord(r).step());
            }
        });
        return out;
    }

    /** Publishes raw records with an idempotent acks=all producer and waits for each acknowledgement. */
    void publish(List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(kafka, "reliability-poison"))) {
            for (ProducerRecord<String, byte[]> r : records) {
                p.send(r).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("publishing poison records failed: " + e, e);
        }
    }
}
