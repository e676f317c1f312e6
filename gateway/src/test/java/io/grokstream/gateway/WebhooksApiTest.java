package io.grokstream.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.TopicScan;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.Webhooks;
import io.grokstream.gateway.auth.Caller;
import io.grokstream.gateway.webhook.Alerts;
import io.grokstream.gateway.webhook.Receiver;
import io.grokstream.gateway.webhook.TargetPolicy;
import io.grokstream.gateway.webhook.WebhookSender;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.grokstream.gateway.Fixtures.ADMIN;
import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alerts (issue 19) through the API, on the real broker, to a local receiver: signed deliveries of the team's own
 * experiments' events, each delivered once although two gateway replicas share the work, retries with back-off in
 * the delivery log, refusals naming the field, and another team's webhook invisible.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class WebhooksApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECOND_SOURCE = "/grokstream/gateway-2";

    @Test
    void aPhaseEventOfTheTeamsExperimentReachesItsWebhookSignedOnceAcrossTwoReplicas() throws Exception {
        try (Receiver receiver = new Receiver();
             StoreFold views = new StoreFold(Files.createTempDirectory("gateway-2"), "gateway-2");
             EventPublisher publisher = new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(
                     KafkaBrokerResource.access(KafkaUser.GATEWAY), "gateway-2")), SECOND_SOURCE);
             Alerts second = new Alerts(KafkaBrokerResource.access(KafkaUser.GATEWAY), "gateway-2", publisher,
                     new WebhookSender.Policy(Duration.ofMillis(100), 2, 3, Duration.ofSeconds(2),
                             Duration.ofSeconds(5)), new TargetPolicy(true), 100, Caller.ADMIN_TEAM,
                     id -> views.views.submission(id), views::awaitCaughtUp)) {
            assertTrue(views.awaitCaughtUp() && second.awaitCaughtUp(Duration.ofSeconds(60)));
            String ours = Fixtures.createExperiment(DEMO, false);
            String theirs = Fixtures.createExperiment(RIVAL, true);
            JsonNode created = register(DEMO, receiver.url(), "[\"memorised\", \"grokked\"]", null);
            String id = created.get("webhookId").asText();
            String secret = created.get("secret").asText();
            Fixtures.await(() -> second.registry().get(id).isPresent()
                    && views.views.submission(ours).isPresent(), "the second replica knows the webhook");

            Fixtures.publish(new PhaseDetected(theirs, "memorised", 70, "rival's train accuracy", "1"));
            Fixtures.publish(Fixtures.metrics(ours, 80, 1.0, 0.1));
            Fixtures.publish(new PhaseDetected(ours, "circuit_formation", 90, "not subscribed", "1"));
            Fixtures.publish(new PhaseDetected(ours, "memorised", 80, "train accuracy 1.0 >= 0.99", "1"));
            Fixtures.await(() -> receiver.requests.size() >= 1, "a delivery");
            Thread.sleep(1500); // time for a second replica's duplicate, or the rival's event, to arrive
            assertEquals(1, receiver.requests.size(), "one delivery across two replicas, nothing else");

            Receiver.Request r = receiver.requests.get(0);
            long timestamp = Long.parseLong(r.header(Webhooks.TIMESTAMP_HEADER));
            assertEquals("sha256=" + hmacHex(secret, timestamp + "." + new String(r.body(), StandardCharsets.UTF_8)),
                    r.header(Webhooks.SIGNATURE_HEADER));
            assertTrue(Math.abs(Instant.now().getEpochSecond() - timestamp) < 60);
            JsonNode payload = JSON.readTree(r.body());
            assertEquals("memorised", payload.get("kind").asText());
            assertEquals(ours, payload.get("experimentId").asText());
            assertEquals("demo", payload.get("team").asText());
            assertEquals(80, payload.get("step").asLong());
            assertEquals("train accuracy 1.0 >= 0.99", payload.get("detail").asText());
            assertEquals(r.header(Webhooks.DELIVERY_HEADER), payload.get("deliveryId").asText());

            // the delivery log, as this gateway and the other replica read it
            Fixtures.await(() -> second.registry().deliveries(id).size() == 1, "the log on the second replica");
            JsonNode log = deliveries(DEMO, id);
            assertEquals(1, log.size());
            assertEquals(200, log.get(0).get("status").asInt());
            assertEquals(ours, log.get(0).get("experimentId").asText());
            assertTrue(log.get(0).get("nextRetryAt").isNull());

            // many experiments' events (spread over the partitions): each delivered once by one of the replicas
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                many.add(Fixtures.createExperiment(DEMO, false));
            }
            Fixtures.await(() -> many.stream().allMatch(e -> views.views.submission(e).isPresent()), "both know them");
            many.forEach(e -> Fixtures.publish(new PhaseDetected(e, "grokked", 500, "validation accuracy", "1")));
            Fixtures.await(() -> receiver.requests.size() >= 13, "a delivery per experiment");
            Thread.sleep(1500);
            assertEquals(13, receiver.requests.size(), "one delivery per event across the two replicas");
            Set<String> delivered = new HashSet<>();
            for (Receiver.Request q : receiver.requests) {
                delivered.add(JSON.readTree(q.body()).get("experimentId").asText());
            }
            assertTrue(delivered.containsAll(many), delivered.toString());
            Fixtures.await(() -> deliveries(DEMO, id).size() == 13, "13 attempts logged");
            // Which replica delivered which is the share group's choice: under load one replica may acquire every
            // record (seen in CI), so only "each once, by a replica" is asserted, not that both took part.
            Set<String> sources = new HashSet<>();
            for (ConsumerRecord<String, byte[]> a : TopicScan.readAll(KafkaBrokerResource.access(KafkaUser.ADMIN),
                    Topics.WEBHOOK_DELIVERIES, Duration.ofSeconds(30))) {
                if (id.equals(a.key())) {
                    sources.add(CloudEvents.get(a.headers(), CloudEvents.SOURCE).orElseThrow());
                }
            }
            assertTrue(Set.of("/grokstream/gateway", SECOND_SOURCE).containsAll(sources) && !sources.isEmpty(),
                    "delivered by the replicas: " + sources);
            given().header("X-API-Key", DEMO).delete("/api/webhooks/" + id).then().statusCode(204);
        }
    }

    @Test
    void aReceiverFailingTwiceGetsThreeAttemptsLoggedWithBackOff() throws Exception {
        try (Receiver receiver = new Receiver(500, 503)) {
            String id = register(DEMO, receiver.url(), "[\"completed\"]", null).get("webhookId").asText();
            // a POST without a body needs no Content-Type
            String deliveryId = given().header("X-API-Key", DEMO).post("/api/webhooks/" + id + "/test")
                    .then().statusCode(202).extract().path("deliveryId");
            Fixtures.await(() -> receiver.requests.size() == 3 && deliveries(DEMO, id).size() == 3, "three attempts");
            List<Receiver.Request> got = receiver.requests;
            assertTrue(got.stream().allMatch(x -> deliveryId.equals(x.header(Webhooks.DELIVERY_HEADER))));
            long firstGap = (got.get(1).receivedAtNanos() - got.get(0).receivedAtNanos()) / 1_000_000;
            long secondGap = (got.get(2).receivedAtNanos() - got.get(1).receivedAtNanos()) / 1_000_000;
            assertTrue(firstGap >= 100 && secondGap >= 200, "back-off 100 ms then 200 ms, got " + firstGap + ", " + secondGap);
            JsonNode log = deliveries(DEMO, id); // newest first
            assertEquals(List.of(3, 2, 1), List.of(log.get(0).get("attempt").asInt(), log.get(1).get("attempt").asInt(),
                    log.get(2).get("attempt").asInt()));
            assertEquals(List.of(200, 503, 500), List.of(log.get(0).get("status").asInt(), log.get(1).get("status").asInt(),
                    log.get(2).get("status").asInt()));
            assertTrue(log.get(0).get("nextRetryAt").isNull());
            Instant attempted = Instant.parse(log.get(2).get("attemptedAt").asText());
            Instant next = Instant.parse(log.get(2).get("nextRetryAt").asText());
            assertTrue(!next.isBefore(attempted.plusMillis(100)), attempted + " then " + next);
            assertEquals("ping", log.get(0).get("kind").asText());
        }
    }

    @Test
    void anUnreachableReceiverIsRetriedAndItsErrorLogged() throws Exception {
        Receiver gone = new Receiver();
        String url = gone.url();
        gone.close();
        String id = register(DEMO, url, "[\"failed\"]", null).get("webhookId").asText();
        given().header("X-API-Key", DEMO).post("/api/webhooks/" + id + "/test").then().statusCode(202);
        Fixtures.await(() -> deliveries(DEMO, id).size() == 3, "three failed attempts");
        JsonNode last = deliveries(DEMO, id).get(0);
        assertTrue(last.get("status").isNull());
        assertTrue(last.get("error").asText().contains("Connect"), last.toString());
    }

    @Test
    void badRegistrationsAre400sNamingTheField() {
        String theirs = Fixtures.createExperiment(RIVAL, true);
        Map<String, String> bad = Map.of(
                "{\"events\": [\"grokked\"]}", "url",
                "{\"url\": \"ftp://example.org/x\", \"events\": [\"grokked\"]}", "url",
                "{\"url\": \"http://127.0.0.1:9/x\", \"events\": []}", "events",
                "{\"url\": \"http://127.0.0.1:9/x\", \"events\": [\"bogus\"]}", "events",
                "{\"url\": \"http://127.0.0.1:9/x\", \"events\": [\"ping\"]}", "events",
                "{\"url\": \"http://127.0.0.1:9/x\", \"events\": [\"grokked\"], \"experimentId\": \"" + theirs + "\"}",
                "experimentId",
                "{\"url\": \"http://127.0.0.1:9/x\", \"events\": [\"grokked\"], \"color\": \"red\"}", "color",
                "[1]", "body");
        bad.forEach((body, field) -> Fixtures.as(DEMO).body(body).post("/api/webhooks").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo(field)));
    }

    @Test
    void aRivalTeamCannotSeeTestOrDeleteAnotherTeamsWebhook() throws Exception {
        String ours = Fixtures.createExperiment(DEMO, false);
        JsonNode created = register(DEMO, "http://127.0.0.1:9/x", "[\"grokked\", \"anomaly\"]", ours);
        String id = created.get("webhookId").asText();
        assertEquals(ours, created.get("experimentId").asText());
        String rivalList = given().header("X-API-Key", RIVAL).get("/api/webhooks").then().statusCode(200)
                .extract().asString();
        assertFalse(rivalList.contains(id));
        given().header("X-API-Key", RIVAL).delete("/api/webhooks/" + id).then().statusCode(404)
                .body("field", org.hamcrest.Matchers.equalTo("webhookId"));
        given().header("X-API-Key", RIVAL).get("/api/webhooks/" + id + "/deliveries").then().statusCode(404);
        given().header("X-API-Key", RIVAL).post("/api/webhooks/" + id + "/test").then().statusCode(404);
        String demoList = given().header("X-API-Key", DEMO).get("/api/webhooks").then().statusCode(200).extract().asString();
        assertTrue(demoList.contains(id));
        assertFalse(demoList.contains(created.get("secret").asText()), "the secret is shown once, at registration");
        assertTrue(given().header("X-API-Key", ADMIN).get("/api/webhooks").asString().contains(id));
        given().header("X-API-Key", DEMO).delete("/api/webhooks/" + id).then().statusCode(204);
        given().header("X-API-Key", DEMO).get("/api/webhooks/" + id + "/deliveries").then().statusCode(404);
    }

    private static JsonNode register(String key, String url, String events, String experimentId) throws Exception {
        String body = "{\"url\": \"" + url + "\", \"events\": " + events
                + (experimentId == null ? "" : ", \"experimentId\": \"" + experimentId + "\"") + "}";
        Response r = Fixtures.as(key).body(body).post("/api/webhooks");
        assertEquals(201, r.statusCode(), r.asString());
        JsonNode created = JSON.readTree(r.asString());
        assertTrue(created.get("secret").asText().startsWith("whsec_"));
        assertNotNull(created.get("registeredAt"));
        return created;
    }

    private static JsonNode deliveries(String key, String id) {
        try {
            return JSON.readTree(given().header("X-API-Key", key).get("/api/webhooks/" + id + "/deliveries")
                    .then().statusCode(200).extract().asString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The signature as a receiver computes it, with the JDK alone. */
    private static String hmacHex(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
