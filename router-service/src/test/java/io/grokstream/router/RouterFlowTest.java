package io.grokstream.router;

import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router on the secured test broker, with the production ACLs: each writer publishes as itself, and each team
 * reads back with its own principal what the router copied to its topic and the public one.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RouterFlowTest {
    static final String DEMO = "demo";
    static final String RIVAL = "rival";
    static Writers writers;

    @BeforeAll
    static void writers() {
        writers = new Writers();
    }

    @AfterAll
    static void close() {
        writers.close();
    }

    @BeforeEach
    void routerIsCopying() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "the router did not become ready in 60 s");
            sleep(200);
        }
    }

    @Test
    void aPrivateExperimentsEventsReachItsTeamsTopicInOrderWithTheirHeaders() {
        String id = newId();
        List<ProducerRecord<String, byte[]>> sent = List.of(writers.submit(id, DEMO, false), writers.metrics(id, 10),
                writers.metrics(id, 20), writers.measures(id, 10));

        List<ConsumerRecord<String, byte[]>> copies = TopicReader.awaitRecords(team(DEMO), Topics.teamTopic(DEMO), id,
                r -> r.size() >= sent.size());

        assertEquals(sent.size(), copies.size(), "one copy of each event");
        for (int i = 0; i < sent.size(); i++) {
            assertSameRecord(sent.get(i), copies.get(i));
        }
    }

    @Test
    void aPrivateExperimentIsNeitherOnARivalsTopicNorOnThePublicOne() {
        String id = newId();
        writers.submit(id, DEMO, false);
        writers.metrics(id, 10);
        writers.measures(id, 10);
        TopicReader.awaitRecords(team(DEMO), Topics.teamTopic(DEMO), id, r -> r.size() >= 3);
        routerPassedEverythingPublished();

        assertEquals(List.of(), types(TopicReader.recordsNow(team(RIVAL), Topics.teamTopic(RIVAL), id)));
        assertEquals(List.of(), types(TopicReader.recordsNow(team(DEMO), Topics.PUBLIC, id)));
        assertEquals(List.of(), types(TopicReader.recordsNow(team(RIVAL), Topics.PUBLIC, id)));
    }

    @Test
    void aPublicExperimentsEventsReachItsTeamsTopicAndThePublicOneButNoOtherTeamsTopic() {
        String id = newId();
        List<ProducerRecord<String, byte[]>> sent = List.of(writers.submit(id, RIVAL, true), writers.metrics(id, 10),
                writers.measures(id, 10));

        List<ConsumerRecord<String, byte[]>> own = TopicReader.awaitRecords(team(RIVAL), Topics.teamTopic(RIVAL), id,
                r -> r.size() >= sent.size());
        // every team reads the public topic: demo sees rival's public experiment there
        List<ConsumerRecord<String, byte[]>> shared = TopicReader.awaitRecords(team(DEMO), Topics.PUBLIC, id,
                r -> r.size() >= sent.size());
        routerPassedEverythingPublished();

        for (int i = 0; i < sent.size(); i++) {
            assertSameRecord(sent.get(i), own.get(i));
            assertSameRecord(sent.get(i), shared.get(i));
        }
        assertEquals(sent.size(), own.size());
        assertEquals(sent.size(), shared.size());
        assertEquals(List.of(), types(TopicReader.recordsNow(team(DEMO), Topics.teamTopic(DEMO), id)));
    }

    @Test
    void aRivalsPrincipalIsRefusedDemosTopic() {
        String id = newId();
        writers.submit(id, DEMO, false);
        TopicReader.awaitRecords(team(DEMO), Topics.teamTopic(DEMO), id, r -> !r.isEmpty());

        assertThrows(TopicAuthorizationException.class,
                () -> TopicReader.recordsNow(team(RIVAL), Topics.teamTopic(DEMO), id));
    }

    @Test
    void snapshotsAndCheckpointsStayInternal() {
        String id = newId();
        writers.submit(id, DEMO, true);
        writers.send(KafkaUser.TRAINER, new ProducerRecord<>(Topics.SNAPSHOTS, id, new byte[]{1, 2, 3}));
        writers.send(KafkaUser.TRAINER, new ProducerRecord<>(Topics.CHECKPOINTS, id, new byte[]{4, 5, 6}));
        writers.metrics(id, 10);
        TopicReader.awaitRecords(team(DEMO), Topics.teamTopic(DEMO), id, r -> r.size() >= 2);
        routerPassedEverythingPublished();

        for (String topic : List.of(Topics.teamTopic(DEMO), Topics.PUBLIC)) {
            assertEquals(List.of(EventType.EXPERIMENT_SUBMITTED.ceType(), EventType.STEP_METRICS.ceType()),
                    types(TopicReader.recordsNow(team(DEMO), topic, id)), topic);
        }
    }

    @Test
    void aRecordOfAnExperimentNeverSubmittedIsSkippedAndCopyingGoesOn() {
        String orphan = newId();
        writers.metrics(orphan, 10);
        String id = newId();
        writers.submit(id, DEMO, false);
        writers.metrics(id, 10);

        TopicReader.awaitRecords(team(DEMO), Topics.teamTopic(DEMO), id, r -> r.size() >= 2);
        routerPassedEverythingPublished();

        assertEquals(List.of(), types(TopicReader.recordsNow(team(DEMO), Topics.teamTopic(DEMO), orphan)));
        assertEquals(List.of(), types(TopicReader.recordsNow(team(RIVAL), Topics.teamTopic(RIVAL), orphan)));
        assertEquals(List.of(), types(TopicReader.recordsNow(team(DEMO), Topics.PUBLIC, orphan)));
    }

    /**
     * Publishes a public experiment and waits until it is on the public topic. The router copies one poll at a time
     * and flushes each before it polls again, so every copy of what was published before is then on the broker: a
     * test may assert that something was not copied.
     */
    private static void routerPassedEverythingPublished() {
        String marker = newId();
        writers.submit(marker, RIVAL, true);
        TopicReader.awaitRecords(team(DEMO), Topics.PUBLIC, marker, r -> !r.isEmpty());
    }

    /** The copy is the record as it was published: key, value bytes, every header (the ce_id with them). */
    private static void assertSameRecord(ProducerRecord<String, byte[]> sent, ConsumerRecord<String, byte[]> copy) {
        assertEquals(sent.key(), copy.key());
        assertArrayEquals(sent.value(), copy.value());
        assertEquals(headers(sent.headers().toArray()), headers(copy.headers().toArray()));
        assertEquals(CloudEvents.id(sent.headers()), CloudEvents.id(copy.headers()));
    }

    /** The records' event types: what a failed assertion shows. */
    private static List<String> types(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> CloudEvents.type(r.headers()).orElse("no ce_type")).toList();
    }

    private static List<String> headers(Header[] headers) {
        return Arrays.stream(headers).map(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)).toList();
    }

    private static KafkaAccess team(String team) {
        return KafkaBrokerResource.broker().teamAccess(team);
    }

    private static String newId() {
        return "exp-" + UUID.randomUUID();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
