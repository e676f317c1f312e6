package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/** Test helpers: tiny tasks and experiments, a publisher, and independent readers of the topics. */
final class WorkerTestKit {
    private WorkerTestKit() {
    }

    static EventPublisher publisher(KafkaAccess access) {
        return new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(access, "test-publisher")),
                "/grokstream/test");
    }

    /** Modular addition mod p: rows {@code a b =}, label (a + b) mod p, the first {@code trainRows} rows train. */
    static TaskDefined modularAddition(String taskId, int p, double trainFraction, long seed) {
        int n = p * p;
        int[][] inputs = new int[n][];
        int[][] labels = new int[n][];
        List<Integer> order = new ArrayList<>();
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                inputs[a * p + b] = new int[]{a, b, p};
                labels[a * p + b] = new int[]{(a + b) % p};
                order.add(a * p + b);
            }
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        int[] train = order.subList(0, (int) Math.round(trainFraction * n)).stream().mapToInt(i -> i).sorted()
                .toArray();
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            vocab.add(Integer.toString(i));
        }
        vocab.add("=");
        return new TaskDefined(taskId, "modular", Map.of("p", p, "op", "add"), vocab, 3,
                List.of(new TaskDefined.Target("sum", 2, p, "out", 1.0)), new TaskDefined.Residues(p, 0, 1),
                new TaskDefined.TaskData(inputs, labels, train), "sha-" + taskId, List.of(), List.of(), Instant.now());
    }

    /** A small model for the task: d_model 16, 2 heads of 8, d_mlp 32. */
    static ModelConfig smallModel(int p) {
        return new ModelConfig(1, 16, 2, 8, 32, p + 1, 3, List.of(new OutputGroup("out", p)), false, false, false,
                true, "float32");
    }

    static ExperimentSubmitted experiment(String id, String team, TaskDefined task, ModelConfig model, long steps,
                                          ExperimentSubmitted.Cadence cadence) {
        return new ExperimentSubmitted(id, team, "test " + id, task.taskId(), task.sha256(), model,
                NandaPreset.optimizer(), ExperimentSubmitted.GrokFastConfig.none(),
                new ExperimentSubmitted.TrainingBudget(steps, null), 7, cadence, false, null, null, Instant.now());
    }

    /**
     * Starts share group {@code group} at the end of the experiments topic, so a new worker sees only experiments
     * submitted from now on (the worker's own configuration says {@code earliest} for a group with no state yet).
     */
    static void skipExisting(KafkaAccess access, String group) {
        try (Admin admin = Admin.create(KafkaSettings.admin(access))) {
            int partitions = admin.describeTopics(List.of(Topics.EXPERIMENTS)).allTopicNames().get()
                    .get(Topics.EXPERIMENTS).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(Topics.EXPERIMENTS, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            admin.alterShareGroupOffsets(group, ends).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot set the start offsets of share group " + group, e);
        }
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** An experiment id whose partition on the experiment-keyed event topics is {@code partition}. */
    static String idOnPartition(String prefix, int partition) {
        for (int i = 0; ; i++) {
            String id = prefix + "-" + i;
            if (Topics.partitionFor(id, Topics.spec(Topics.TRAINING).partitions()) == partition) {
                return id;
            }
        }
    }

    /** An independent reader of one topic from its beginning (no group, nothing committed). */
    static final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

        Reader(KafkaAccess access, String topic) {
            consumer = new KafkaConsumer<>(KafkaSettings.consumer(access, null, "reader-" + topic));
            List<TopicPartition> parts = partitions(consumer, topic);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        /** Records with {@code key}, polling until {@code done} holds for them or the timeout passes. */
        List<ConsumerRecord<String, byte[]>> records(String key, Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                     Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<ConsumerRecord<String, byte[]>> mine = seen.stream().filter(r -> key.equals(r.key())).toList();
                if (done.test(mine) || System.nanoTime() > deadline) {
                    return mine;
                }
                consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            }
        }

        /** The decoded events of {@code experimentId}, polling until {@code done} holds or the timeout passes. */
        List<GrokEvent> events(String experimentId, Predicate<List<GrokEvent>> done, Duration timeout) {
            return decode(records(experimentId, rs -> done.test(decode(rs)), timeout));
        }

        private static List<GrokEvent> decode(List<ConsumerRecord<String, byte[]>> records) {
            return records.stream().map(r -> EventCodec.decode(r.headers(), r.value())).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    static Predicate<List<GrokEvent>> hasAny(Class<?>... types) {
        return events -> events.stream().anyMatch(e -> List.of(types).contains(e.getClass()));
    }

    static <T> List<T> ofType(List<GrokEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
