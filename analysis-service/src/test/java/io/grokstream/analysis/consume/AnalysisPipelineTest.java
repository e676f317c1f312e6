package io.grokstream.analysis.consume;

import io.grokstream.analysis.ModularTasks;
import io.grokstream.analysis.measure.SnapshotAnalyzer;
import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.Phase;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static io.grokstream.analysis.WithServiceKey.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end through the real broker: task and snapshots in, measures and dead letters out. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class AnalysisPipelineTest {
    private static final int P = 23;
    private static final ModelConfig CFG = ModularTasks.smallConfig(P, 16, 2, 8, 24);

    /** The operator's access to the test broker, to see what the service published. */
    final KafkaAccess operator = KafkaBrokerResource.access(KafkaUser.ADMIN);

    @Inject
    SnapshotWorker worker;

    @Inject
    MeasureLedger ledger;

    private EventPublisher publisher;

    @BeforeEach
    void connect() {
        publisher = new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(operator, "pipeline-test")),
                "/grokstream/test");
    }

    @AfterEach
    void close() {
        publisher.close();
    }

    private TaskDefined publishTask() {
        TaskDefined task = ModularTasks.addition("add-" + UUID.randomUUID(), P, 0.4, 2);
        publisher.publishAndWait(task);
        return task;
    }

    private static SnapshotCodec.Snapshot snapshot(String experiment, long step, TaskDefined task,
                                                   Map<String, Tensor> weights) throws Exception {
        return ModularTasks.snapshot(experiment, step, task, CFG, weights);
    }

    private void publishSnapshot(SnapshotCodec.Snapshot s) {
        EventPublisher.await(publisher.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN, s));
    }

    @Test
    void snapshotsBecomeMeasuresAndAPoisonSnapshotIsDeadLetteredWithoutStoppingTheConsumer() throws Exception {
        TaskDefined task = publishTask();
        String exp = "exp-" + UUID.randomUUID();
        publishSnapshot(snapshot(exp, 100, task, ModularTasks.planted(CFG, P, new int[]{3, 7, 9}, 3)));
        ProgressMeasured first = awaitMeasure(exp, 100);
        assertEquals("1", first.analysisVersion());
        assertEquals(List.of(3, 7, 9), first.keyFrequencies());
        assertTrue(first.scalars().get(Measure.RESTRICTED_LOSS.wire()) < first.scalars().get(Measure.EXCLUDED_LOSS.wire()));
        // The planted network is perfect on train and test: memorised and grokked at its first snapshot.
        PhaseDetected grokked = awaitPhase(exp, Phase.GROKKED.wire());
        assertEquals(100, grokked.step());
        assertEquals("1", grokked.analysisVersion());

        byte[] poison = "not a safetensors file".getBytes(StandardCharsets.UTF_8);
        EventPublisher.await(publisher.send(new ProducerRecord<>(Topics.SNAPSHOTS, null, exp, poison, new RecordHeaders())));
        publishSnapshot(snapshot(exp, 200, task, ModularTasks.random(CFG, 9)));

        ConsumerRecord<String, byte[]> dead = awaitRecord(Topics.DEADLETTER, r -> exp.equals(r.key()));
        assertEquals(Topics.SNAPSHOTS, header(dead, DeadLetters.ORIGINAL_TOPIC));
        assertEquals(AnalysisLoops.LIVE_CONSUMER, header(dead, DeadLetters.CONSUMER));
        ProgressMeasured second = awaitMeasure(exp, 200);
        assertEquals(List.of(), second.keyFrequencies());
        assertTrue(second.analysisMillis() > 0);
    }

    @Test
    void snapshotOfAnUnknownTaskIsDeadLetteredAfterTheBoundedWait() throws Exception {
        TaskDefined neverPublished = ModularTasks.addition("missing-" + UUID.randomUUID(), P, 0.4, 2);
        String exp = "orphan-" + UUID.randomUUID();
        publishSnapshot(snapshot(exp, 5, neverPublished, ModularTasks.random(CFG, 1)));
        ConsumerRecord<String, byte[]> dead = awaitRecord(Topics.DEADLETTER, r -> exp.equals(r.key()));
        assertTrue(header(dead, DeadLetters.REASON).contains("was not defined on grokstream.tasks.v1"),
                header(dead, DeadLetters.REASON));
    }

    @Test
    void aBurstOfSnapshotsIsShedToTheNewestAndRepeatsAreSkipped() throws Exception {
        TaskDefined task = publishTask();
        String exp = "burst-" + UUID.randomUUID();
        List<ConsumerRecord<String, byte[]>> burst = new ArrayList<>();
        for (long step = 10; step <= 40; step += 10) {
            byte[] bytes = SnapshotCodec.encode(snapshot(exp, step, task, ModularTasks.random(CFG, step)));
            burst.add(new ConsumerRecord<>(Topics.SNAPSHOTS, 0, step, exp, bytes));
        }
        SnapshotWorker.BatchResult r = worker.process(burst, true, "test");
        assertEquals(new SnapshotWorker.BatchResult(1, 0, 3, 0), r);
        ProgressMeasured newest = awaitMeasure(exp, 40);
        assertEquals(3, newest.skippedSnapshots());
        assertTrue(ledger.isMeasured(exp, 40, "1"));

        SnapshotWorker.BatchResult again = worker.process(burst.subList(3, 4), true, "test");
        assertEquals(new SnapshotWorker.BatchResult(0, 1, 0, 0), again, "(experiment, step, version) is measured once");
    }

    @Test
    void replayReanalysesStoredSnapshotsSkippingWhatThisVersionMeasured() throws Exception {
        TaskDefined task = publishTask();
        String exp = "replay-" + UUID.randomUUID();
        publishSnapshot(snapshot(exp, 1, task, ModularTasks.random(CFG, 11)));
        awaitMeasure(exp, 1);
        long deadline = System.currentTimeMillis() + 30_000;
        while (given().post("/admin/replay").statusCode() == 503 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        String state = "running";
        while (state.equals("running") && System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
            state = given().get("/admin/replay").then().statusCode(200).extract().path("state");
        }
        given().get("/admin/replay").then().statusCode(200).body("state", equalTo("done"))
                .body("version", equalTo("1"));
        int already = given().get("/admin/replay").then().extract().path("alreadyMeasured");
        assertTrue(already >= 1, "the measured snapshot is skipped, not published twice");
    }

    private ProgressMeasured awaitMeasure(String exp, long step) {
        ConsumerRecord<String, byte[]> r = awaitRecord(Topics.MEASURES, rec -> {
            if (!exp.equals(rec.key())) {
                return false;
            }
            GrokEvent e = EventCodec.decode(rec.headers(), rec.value());
            return e instanceof ProgressMeasured m && m.step() == step;
        });
        return (ProgressMeasured) EventCodec.decode(r.headers(), r.value());
    }

    private PhaseDetected awaitPhase(String exp, String phase) {
        ConsumerRecord<String, byte[]> r = awaitRecord(Topics.MEASURES, rec -> exp.equals(rec.key())
                && EventCodec.decode(rec.headers(), rec.value()) instanceof PhaseDetected d && d.phase().equals(phase));
        return (PhaseDetected) EventCodec.decode(r.headers(), r.value());
    }

    private ConsumerRecord<String, byte[]> awaitRecord(String topic, Predicate<ConsumerRecord<String, byte[]>> match) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(operator, null, "test-reader"))) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    if (match.test(r)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no matching record on " + topic + " within 60 s");
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return Optional.ofNullable(r.headers().lastHeader(name))
                .map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
    }
}
