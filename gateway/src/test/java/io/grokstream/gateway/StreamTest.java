package io.grokstream.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class StreamTest {
    @TestHTTPResource("/")
    URL base;

    private String url(String path, String key) {
        return base.toString().replaceAll("/$", "") + path + "?key=" + key;
    }

    @Test
    void experimentStreamSendsStateFirstThenMetricsPublishedToTheBroker() throws Exception {
        String id = Fixtures.createExperiment(DEMO, false);
        Fixtures.publish(Fixtures.metrics(id, 10, 0.5, 0.1));
        Fixtures.await(() -> Fixtures.as(DEMO).get("/api/experiments/" + id + "/metrics").jsonPath().getList("step")
                .size() == 1, "first metrics folded");
        try (SseClient sse = new SseClient(url("/api/experiments/" + id + "/stream", DEMO))) {
            assertEquals(200, sse.status);
            SseClient.Event state = sse.next(10_000);
            assertEquals("state", state.name(), "a new subscriber gets the current state first");
            JsonNode s = EventCodec.JSON.readTree(state.data());
            assertEquals(id, s.get("experimentId").asText());
            assertEquals(10, s.get("step").asLong());

            Fixtures.publish(Fixtures.metrics(id, 20, 0.75, 0.2));
            JsonNode m = EventCodec.JSON.readTree(sse.next("metrics", 10_000).data());
            assertEquals(20, m.get("step").asLong());
            assertEquals(0.2, m.get("validationAccuracy").asDouble());

            Fixtures.publish(ExperimentsApiTest.measured(id, 20, "1", 0.4));
            JsonNode measures = EventCodec.JSON.readTree(sse.next("measures", 10_000).data());
            assertEquals(0.4, measures.get("scalars").get("restricted_loss").asDouble());

            Fixtures.publish(new PhaseDetected(id, "grokked", 20, "validation accuracy 0.99", "1"));
            assertEquals("grokked", EventCodec.JSON.readTree(sse.next("phase", 10_000).data()).get("phase").asText());

            Fixtures.publish(new TrainingCompleted(id, 20, 0.1, 0.2, 1, 1, 10L, 20L, "budget", Instant.now()));
            JsonNode status = null;
            for (int i = 0; i < 3 && (status == null || !"completed".equals(status.get("status").asText())); i++) {
                status = EventCodec.JSON.readTree(sse.next("status", 10_000).data());
            }
            assertEquals("completed", status.get("status").asText());
        }
    }

    @Test
    void otherTeamCannotSubscribeToAPrivateExperiment() throws Exception {
        String id = Fixtures.createExperiment(DEMO, false);
        try (SseClient sse = new SseClient(url("/api/experiments/" + id + "/stream", RIVAL))) {
            assertEquals(404, sse.status);
        }
        try (SseClient sse = new SseClient(base.toString().replaceAll("/$", "") + "/api/stream")) {
            assertEquals(401, sse.status);
        }
    }

    @Test
    void teamStreamCarriesOwnExperimentsButNotOtherTeamsPrivateOnes() throws Exception {
        Fixtures.tasks();
        try (SseClient sse = new SseClient(url("/api/stream", DEMO))) {
            SseClient.Event state = sse.next(10_000);
            assertEquals("state", state.name());
            assertTrue(EventCodec.JSON.readTree(state.data()).isArray(), "the team stream's state is the list");
            String rival = Fixtures.createExperiment(RIVAL, false);
            String own = Fixtures.createExperiment(DEMO, false);
            Fixtures.publish(Fixtures.metrics(rival, 10, 0.1, 0.1));
            Fixtures.publish(Fixtures.metrics(own, 10, 0.1, 0.1));
            JsonNode m = EventCodec.JSON.readTree(sse.next("metrics", 10_000).data());
            assertEquals(own, m.get("experimentId").asText(), "the rival's private metrics never reach demo");
        }
    }

    /**
     * Latency from publishing a StepMetrics (as the trainer does: its own producer, acks=all) to its arrival at an
     * SSE client: nanoTime before send, nanoTime when the client parsed the event, same JVM. Printed, not asserted.
     */
    @Test
    void measuresPublishToSseLatency() throws Exception {
        String id = Fixtures.createExperiment(DEMO, false);
        int n = 200;
        Map<Long, Long> sentAt = new HashMap<>();
        long[] latencies = new long[n];
        try (SseClient sse = new SseClient(url("/api/experiments/" + id + "/stream", DEMO))) {
            sse.next("state", 10_000);
            for (int i = 1; i <= 20; i++) { // warm-up, not counted
                Fixtures.publish(Fixtures.metrics(id, i, 0.1, 0.1));
                sse.next("metrics", 10_000);
            }
            for (int i = 0; i < n; i++) {
                long step = 1000 + i;
                long t0 = System.nanoTime();
                sentAt.put(step, t0);
                Fixtures.producer().send(io.grokstream.contracts.EventCodec.toRecord(
                        Fixtures.metrics(id, step, 0.1, 0.1), "/grokstream/trainer/test"));
                SseClient.Event e = sse.next("metrics", 10_000);
                long got = EventCodec.JSON.readTree(e.data()).get("step").asLong();
                assertEquals(step, got);
                latencies[i] = e.arrivedNanos() - t0;
                Thread.sleep(5);
            }
        }
        Arrays.sort(latencies);
        double median = latencies[n / 2] / 1e6;
        double p99 = latencies[(int) Math.ceil(0.99 * n) - 1] / 1e6;
        System.out.printf("SSE LATENCY publish->client over %d StepMetrics: median %.2f ms, p99 %.2f ms, max %.2f ms%n",
                n, median, p99, latencies[n - 1] / 1e6);
        assertTrue(median > 0);
    }
}
