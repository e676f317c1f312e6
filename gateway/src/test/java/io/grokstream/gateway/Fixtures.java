package io.grokstream.gateway;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TopicScan;
import io.grokstream.kafka.KafkaBrokerResource;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;

/**
 * Test fixtures: a producer that writes to the real broker as the other services would, the catalog tasks the
 * tests use, and polling helpers. Keys are the development keys of application.properties.
 */
final class Fixtures {
    static final String DEMO = "demo-key";
    static final String RIVAL = "rival-key";
    static final String ADMIN = "admin-key";
    /** Modular addition mod 7: small enough to enumerate, the task most tests use. */
    static final String TASK_P7 = "modular-add-p7-fixture";
    /** The default task (its id starts with the configured default prefix). */
    static final String TASK_P113 = "modular-add-p113-fixture";

    private static KafkaProducer<String, byte[]> producer;
    private static boolean tasksPublished;

    private Fixtures() {
    }

    private static String producerServers;

    /** A producer for the current broker (a test profile restarts the broker: the producer follows it). */
    static synchronized KafkaProducer<String, byte[]> producer() {
        String servers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        if (producer == null || !servers.equals(producerServers)) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(1));
                tasksPublished = false;
            }
            producer = new KafkaProducer<>(KafkaSettings.producer(KafkaBrokerResource.access(KafkaUser.ADMIN), "gateway-test"));
            producerServers = servers;
        }
        return producer;
    }

    static RecordMetadata publish(GrokEvent event) {
        return send(EventCodec.toRecord(event, "/grokstream/test"));
    }

    static RecordMetadata send(ProducerRecord<String, byte[]> record) {
        try {
            return producer().send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publish failed", e);
        }
    }

    static RequestSpecification as(String key) {
        return given().header("X-API-Key", key).contentType("application/json");
    }

    /** Publishes the fixture tasks once and waits until the gateway's catalog has them. */
    static synchronized void tasks() {
        if (!tasksPublished) {
            publish(modularAddition(TASK_P7, 7));
            publish(modularAddition(TASK_P113, 113));
            tasksPublished = true;
        }
        await(() -> as(DEMO).get("/api/tasks/" + TASK_P113).statusCode() == 200, "fixture tasks in the catalog");
    }

    /** (x + y) mod p over every pair: tokens {@code x y =}, '=' is token p, a third of the rows for training. */
    static TaskDefined modularAddition(String id, int p) {
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            vocab.add(Integer.toString(i));
        }
        vocab.add("=");
        int[][] inputs = new int[p * p][];
        int[][] labels = new int[p * p][];
        for (int x = 0; x < p; x++) {
            for (int y = 0; y < p; y++) {
                inputs[x * p + y] = new int[]{x, y, p};
                labels[x * p + y] = new int[]{(x + y) % p};
            }
        }
        int[] train = new int[p * p / 3];
        for (int i = 0; i < train.length; i++) {
            train[i] = i * 3;
        }
        return new TaskDefined(id, "modular", Map.of("op", "add", "p", p), vocab, 3,
                List.of(new TaskDefined.Target("sum", 2, p, "out", 1.0)), new TaskDefined.Residues(p, 0, 1),
                new TaskDefined.TaskData(inputs, labels, train), "sha-" + id, List.of(), List.of(), Instant.EPOCH);
    }

    static StepMetrics metrics(String experimentId, long step, double trainAcc, double valAcc) {
        return new StepMetrics(experimentId, step, 4.0 / (1 + step), 5.0 / (1 + step), trainAcc, valAcc, Map.of(),
                Map.of(), Map.of("embed.W_E", 1.0), Map.of("embed.W_E", 1.0), 1.5, Map.of("embed.W_E", 10.0), 10.0 + step,
                1e-3, 20.0);
    }

    /** Creates an experiment on the p = 7 task as {@code key}'s team and returns its id. */
    static String createExperiment(String key, boolean publicRead) {
        tasks();
        return as(key).body("{\"taskId\": \"" + TASK_P7 + "\", \"public\": " + publicRead
                        + ", \"model\": {\"dModel\": 16, \"nHeads\": 2, \"dHead\": 8, \"dMlp\": 32}, \"budget\": {\"maxSteps\": 1000}}")
                .post("/api/experiments").then().statusCode(201).extract().path("experimentId");
    }

    /** Sum of the end offsets of a topic's partitions: how many records were ever written to it. */
    static long endOffsets(String topic) {
        return TopicScan.endOffset(KafkaBrokerResource.access(KafkaUser.ADMIN), topic, Duration.ofSeconds(30));
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
