package io.grokstream.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ServiceCredential;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An inline task is forwarded to the dataset service's {@code POST /tasks} with exactly the request's
 * {@code {kind, parameters}}, with the service key. A stand-in dataset service (a plain HTTP server in the test JVM)
 * does what the real one does: refuses a request without the profile's service key (401), publishes the TaskDefined
 * to the real broker, then answers 201 with its taskId; or refuses with 400.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@TestProfile(InlineTaskTest.WithDatasetService.class)
class InlineTaskTest {
    static final HttpServer DATASET = start();
    /**
     * The profile starts the server from the class as JUnit loaded it, the tests run in Quarkus' copy of the class:
     * they share the broker address and the last body received through JVM-wide system properties.
     */
    static final String SERVERS = "grokstream.test.inline.servers";
    static final String LAST_BODY = "grokstream.test.inline.body";
    /** The dataset service's Kafka password on the test broker, for the stand-in that plays it. */
    static final String PASSWORD = "grokstream.test.inline.password";
    /** The service key of this profile's gateway, which the stand-in requires. */
    static final String SERVICE_KEY = "inline-test-service-key";
    private static org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer;

    @org.junit.jupiter.api.BeforeEach
    void shareBroker() {
        var dataset = io.grokstream.kafka.KafkaBrokerResource.access(io.grokstream.contracts.KafkaUser.DATASET);
        System.setProperty(SERVERS, dataset.bootstrapServers());
        System.setProperty(PASSWORD, dataset.password());
        System.clearProperty(LAST_BODY);
    }

    private static synchronized org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                    io.grokstream.contracts.KafkaSettings.producer(io.grokstream.contracts.KafkaAccess.scram(
                            System.getProperty(SERVERS), io.grokstream.contracts.KafkaUser.DATASET.username(),
                            System.getProperty(PASSWORD)), "stand-in-dataset"));
        }
        return producer;
    }

    public static class WithDatasetService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("grokstream.gateway.dataset-url", "http://127.0.0.1:" + DATASET.getAddress().getPort(),
                    "grokstream.service.key", SERVICE_KEY);
        }
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/tasks", exchange -> {
              try {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                System.setProperty(LAST_BODY, body);
                JsonNode req = EventCodec.JSON.readTree(body);
                int p = req.path("parameters").path("p").asInt(0);
                int status;
                String answer;
                if (!SERVICE_KEY.equals(exchange.getRequestHeaders().getFirst(ServiceCredential.HEADER))) {
                    status = 401;
                    answer = "{\"error\": \"no service key\", \"field\": \"" + ServiceCredential.HEADER + "\"}";
                } else if (p == 4) {
                    status = 400;
                    answer = "{\"error\": \"p must be prime, got 4\", \"field\": \"p\"}";
                } else {
                    String id = "modular-add-p" + p + "-inline";
                    try {
                        producer().send(EventCodec.toRecord(Fixtures.modularAddition(id, p), "/grokstream/dataset"))
                                .get();
                    } catch (Exception e) {
                        throw new IOException(e);
                    }
                    status = 201;
                    answer = "{\"taskId\": \"" + id + "\", \"kind\": \"modular\"}";
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
              } catch (Throwable t) {
                t.printStackTrace();
                byte[] bytes = ("{\"error\": \"stand-in failed: " + t + "\"}").replace('\n', ' ')
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
              }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void inlineTaskIsDefinedByTheDatasetServiceAndResolvesTheModel() throws Exception {
        as(DEMO).body("{\"task\": {\"kind\": \"modular\", \"parameters\": {\"operation\": \"add\", \"p\": 5}}, "
                        + "\"model\": {\"dModel\": 8, \"nHeads\": 1, \"dHead\": 8, \"dMlp\": 16}}")
                .post("/api/experiments").then().statusCode(201).body("taskId", equalTo("modular-add-p5-inline"))
                .body("config.model.dVocab", equalTo(6)).body("config.model.outputs[0].classes", equalTo(5));
        assertEquals(EventCodec.JSON.readTree("{\"kind\": \"modular\", \"parameters\": {\"operation\": \"add\", \"p\": 5}}"),
                EventCodec.JSON.readTree(System.getProperty(LAST_BODY)), "the body is forwarded as it is");
    }

    @Test
    void datasetServiceRefusalComesBackNamingTheTaskField() {
        long before = Fixtures.endOffsets(Topics.EXPERIMENTS);
        as(DEMO).body("{\"task\": {\"kind\": \"modular\", \"parameters\": {\"p\": 4}}}").post("/api/experiments").then()
                .statusCode(400).body("field", equalTo("task.p")).body("error", containsString("p must be prime"));
        assertEquals(before, Fixtures.endOffsets(Topics.EXPERIMENTS));
    }
}
