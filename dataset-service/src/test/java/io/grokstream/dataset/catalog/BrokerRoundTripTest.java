package io.grokstream.dataset.catalog;

import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.dataset.TopicProbe;
import io.grokstream.dataset.generate.Limits;
import io.grokstream.dataset.generate.TaskKind;
import io.grokstream.dataset.generate.TaskKinds;
import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.service.KafkaTopology;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.grokstream.dataset.WithServiceKey.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the broker holds: definitions an independent consumer can read and check, defaults, replay, dead letters. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class BrokerRoundTripTest {

    /** The operator's access to the test broker, to see what the service published. */
    final KafkaAccess operator = KafkaBrokerResource.access(KafkaUser.ADMIN);

    @Inject
    EventPublisher publisher;

    @Inject
    KafkaTopology topology;

    @Inject
    TaskCatalog catalog;

    @Inject
    TaskService tasks;

    @Test
    void aDefinitionReadBackFromTheBrokerReproducesTheDataAndHash() {
        String body = "{\"kind\": \"gcd\", \"parameters\": {\"n\": 50, \"base\": 3, \"cap\": 5, \"rows\": 300, \"seed\": 7}}";
        String id = given().contentType("application/json").body(body).when().post("/tasks").then()
                .statusCode(201).extract().path("taskId");
        ConsumerRecord<String, byte[]> record = TopicProbe.readAll(operator, Topics.TASKS).stream()
                .filter(r -> id.equals(r.key())).findFirst().orElseThrow();
        assertEquals(EventType.TASK_DEFINED.ceType(), CloudEvents.type(record.headers()).orElseThrow());
        TaskDefined read = (TaskDefined) EventCodec.decode(record.headers(), record.value());
        assertEquals(id, read.taskId());
        assertEquals(read.sha256(), DataHash.sha256(read.data()), "the hash of the data as read");
        TaskKind gcd = TaskKinds.require("gcd");
        TaskDefined regenerated = new TaskDefinitions(new Limits(200_000, 1000))
                .define(gcd, gcd.normalise(Map.of("n", 50, "base", 3, "cap", 5, "rows", 300, "seed", 7)));
        assertArrayEquals(DataHash.canonicalBytes(regenerated.data()), DataHash.canonicalBytes(read.data()));
        assertEquals(regenerated.targets(), read.targets());
        assertEquals(regenerated.vocabulary(), read.vocabulary());
        assertEquals(5, read.statistics().get(0).histogram().length, "5 capped classes");
        assertEquals(300, java.util.Arrays.stream(read.statistics().get(0).histogram()).sum());
    }

    @Test
    void theDefaultsArePublishedAtStartUpExactlyOnce() {
        Set<String> expected = DefaultTasks.ALL.stream().map(r -> {
            TaskKind kind = TaskKinds.require(r.kind());
            return TaskIds.of(kind, kind.normalise(r.parameters()));
        }).collect(Collectors.toSet());
        assertEquals(14, expected.size());
        List<String> listed = given().when().get("/tasks").then().statusCode(200).extract().path("taskId");
        assertTrue(listed.containsAll(expected), "listed " + listed);
        Map<String, Long> onTopic = TopicProbe.readAll(operator, Topics.TASKS).stream()
                .filter(r -> expected.contains(r.key()))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertEquals(expected, onTopic.keySet());
        onTopic.forEach((id, count) -> assertEquals(1L, count, id));
        assertTrue(expected.stream().anyMatch(id -> id.startsWith("modular-add-p113-")));
        assertTrue(expected.stream().anyMatch(id -> id.startsWith("miiii-p113-")));
        // what start-up does once more (a restart): every default is found, nothing is published
        long before = TopicProbe.endOffset(operator, Topics.TASKS);
        DefaultTasks.ALL.forEach(r -> assertFalse(tasks.create(r.kind(), r.parameters()).created(), r.toString()));
        assertEquals(before, TopicProbe.endOffset(operator, Topics.TASKS));
    }

    @Test
    void aRestartedCatalogKnowsEveryPublishedTask() {
        TaskCatalog fresh = new TaskCatalog();
        CatalogFollower follower = new CatalogFollower(fresh, publisher, topology);
        try {
            follower.start();
            assertTrue(follower.awaitLoaded(Duration.ofSeconds(60)));
            Set<String> known = catalog.all().stream().map(TaskDefined::taskId).collect(Collectors.toSet());
            Set<String> replayed = fresh.all().stream().map(TaskDefined::taskId).collect(Collectors.toSet());
            assertTrue(replayed.containsAll(known), "replayed " + replayed.size() + " of " + known.size());
            TaskDefined any = catalog.all().get(0);
            assertEquals(any.sha256(), fresh.find(any.taskId()).orElseThrow().sha256());
        } finally {
            follower.stop();
        }
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndTheCatalogGoesOn() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.put(headers, "ce_type", EventType.TASK_DEFINED.ceType());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(KafkaBrokerResource.access(KafkaUser.DATASET), "poison"))) {
            producer.send(new ProducerRecord<>(Topics.TASKS, null, key, "{not json".getBytes(StandardCharsets.UTF_8), headers)).get();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ConsumerRecord<String, byte[]> dead = null;
        while (dead == null && System.nanoTime() < deadline) {
            dead = TopicProbe.readAll(operator, Topics.DEADLETTER).stream()
                    .filter(r -> key.equals(r.key())).findFirst().orElse(null);
            Thread.sleep(200);
        }
        assertTrue(dead != null, "dead letter for " + key);
        assertEquals(CatalogFollower.CONSUMER_NAME, CloudEvents.get(dead.headers(), DeadLetters.CONSUMER).orElseThrow());
        assertFalse(catalog.contains(key));
        // the follower goes on: a definition published after the poison record reaches the catalog
        TaskKind modular = TaskKinds.require("modular");
        TaskDefined made = new TaskDefinitions(new Limits(200_000, 1000)).define(modular, modular.normalise(Map.of("p", 3)));
        String id = "after-poison-" + UUID.randomUUID();
        publisher.publishAndWait(new TaskDefined(id, made.kind(), made.parameters(), made.vocabulary(), made.seqLen(),
                made.targets(), made.residues(), made.data(), made.sha256(), made.statistics(), made.warnings(),
                made.definedAt()));
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!catalog.contains(id) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertTrue(catalog.contains(id), "the follower read past the poison record");
    }
}
