package io.grokstream.analysis.consume;

import io.grokstream.analysis.AnalysisConfig;
import io.grokstream.analysis.ModularTasks;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.model.ModelConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 8, scenario 3 in CI: the analysis service's consumers stopped and started again (as a restarted process:
 * measures folded again, a new live consumer in the same group) resume from the group's committed offsets: a
 * snapshot published during the outage is measured once, nothing measured before is measured again, and a record
 * read before the stop is not read again.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class AnalysisRestartTest {
    private static final int P = 23;
    private static final ModelConfig CFG = ModularTasks.smallConfig(P, 16, 2, 8, 24);

    /** The operator's access to the test broker, to see what the service published. */
    final KafkaAccess operator = KafkaBrokerResource.access(KafkaUser.ADMIN);

    @Inject
    AnalysisLoops loops;

    @Inject
    AnalysisConfig config;

    private EventPublisher publisher;

    @BeforeEach
    void connect() {
        publisher = new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(operator, "restart-test")),
                "/grokstream/test");
    }

    @AfterEach
    void close() {
        publisher.close();
    }

    @Test
    void aRestartResumesFromTheCommittedOffsetsWithoutGapsOrDuplicates() throws Exception {
        TaskDefined task = ModularTasks.addition("add-" + UUID.randomUUID(), P, 0.4, 3);
        publisher.publishAndWait(task);
        String exp = "restart-" + UUID.randomUUID();
        publish(exp, 100, task);
        // an unreadable record after it: dead-lettered once; read again only if the restart ignored the offsets
        RecordMetadata poison = EventPublisher.await(publisher.send(new ProducerRecord<>(Topics.SNAPSHOTS, null, exp,
                "not a safetensors file".getBytes(StandardCharsets.UTF_8), new RecordHeaders())));
        TopicPartition tp = new TopicPartition(Topics.SNAPSHOTS, poison.partition());
        awaitCount(Topics.DEADLETTER, exp, 1);
        awaitCommitted(tp, poison.offset() + 1);

        loops.stop(null);
        RecordMetadata during;
        try {
            during = publish(exp, 200, task);
            Thread.sleep(1000);
            assertEquals(poison.offset() + 1, committed(tp), "nothing is consumed while the consumers are stopped");
        } finally {
            loops.start(null);
        }

        awaitCommitted(tp, during.offset() + 1);
        assertEquals(Map.of(100L, 1, 200L, 1), measuredSteps(exp),
                "the snapshot of the outage is measured, and no snapshot twice");
        assertEquals(1, count(Topics.DEADLETTER, exp), "the record before the committed offset is not read again");
    }

    @Inject
    OpenGaps gaps;

    @Test
    void aBacklogIsMeasuredNewestFirstThenEverySkippedSnapshotIsFilledWithoutAReplay() throws Exception {
        TaskDefined task = ModularTasks.addition("add-" + UUID.randomUUID(), P, 0.4, 3);
        publisher.publishAndWait(task);
        String exp = "backlog-" + UUID.randomUUID();
        loops.stop(null);
        RecordMetadata last;
        try {
            for (long step = 100; step < 500; step += 100) {
                publish(exp, step, task);
            }
            last = publish(exp, 500, task);
        } finally {
            loops.start(null);
        }
        TopicPartition tp = new TopicPartition(Topics.SNAPSHOTS, last.partition());

        awaitCommitted(tp, last.offset() + 1);

        assertEquals(Map.of(100L, 1, 200L, 1, 300L, 1, 400L, 1, 500L, 1), measuredSteps(exp),
                "every snapshot measured once, with no replay");
        assertEquals(500L, measuredInOrder(exp).get(0), "the newest snapshot of the backlog is measured first");
        assertEquals(0, gaps.size(), "no gap left open");
    }

    /** Steps of an experiment's measures in the order they were published. */
    private List<Long> measuredInOrder(String exp) {
        List<Long> steps = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(Topics.MEASURES)) {
            if (exp.equals(r.key()) && EventCodec.decode(r.headers(), r.value()) instanceof ProgressMeasured m) {
                steps.add(m.step());
            }
        }
        return steps;
    }

    private RecordMetadata publish(String exp, long step, TaskDefined task) throws Exception {
        SnapshotCodec.Snapshot s = ModularTasks.snapshot(exp, step, task, CFG, ModularTasks.random(CFG, step));
        return EventPublisher.await(publisher.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN, s));
    }

    /** The live group's committed offset on a partition (-1 when none). */
    private long committed(TopicPartition tp) throws Exception {
        try (Admin admin = Admin.create(KafkaSettings.admin(operator))) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(config.group()).partitionsToOffsetAndMetadata().get().get(tp);
            return o == null ? -1 : o.offset();
        }
    }

    private void awaitCommitted(TopicPartition tp, long offset) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (committed(tp) < offset) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("group " + config.group() + " did not commit " + offset + " on " + tp
                        + " within 60 s (committed: " + committed(tp) + ")");
            }
            Thread.sleep(200);
        }
    }

    private void awaitCount(String topic, String key, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (count(topic, key) < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("fewer than " + n + " records keyed " + key + " on " + topic + " within 60 s");
            }
            Thread.sleep(200);
        }
    }

    private int count(String topic, String key) {
        return (int) readAll(topic).stream().filter(r -> key.equals(r.key())).count();
    }

    /** Step to how many ProgressMeasured an experiment has on the measures topic. */
    private Map<Long, Integer> measuredSteps(String exp) {
        Map<Long, Integer> steps = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(Topics.MEASURES)) {
            if (exp.equals(r.key())) {
                GrokEvent e = EventCodec.decode(r.headers(), r.value());
                if (e instanceof ProgressMeasured m) {
                    steps.merge(m.step(), 1, Integer::sum);
                }
            }
        }
        return steps;
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(operator, null, "restart-test-reader"))) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(300)).forEach(out::add);
            }
            return out;
        }
    }
}
