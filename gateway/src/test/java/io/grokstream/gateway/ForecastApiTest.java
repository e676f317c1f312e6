package io.grokstream.gateway;

import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.GrokForecaster;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.TopicScan;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.gateway.forecast.ForecastWatch;
import io.grokstream.gateway.view.LiveEvent;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grokking forecast through the gateway (issue 19, item 2), on the real broker: the forecast of an analysed run,
 * the opt-in stop of a run forecast not to grok within its budget, and two further gateways acting on the same
 * snapshots without changing the outcome.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ForecastApiTest {

    /** Validation error 0.5 at step 1,000, falling by e every 1,000 steps: at 0.05 from step 1,000 + 1,000 ln 10. */
    static double exponential(long step) {
        return 1 - 0.5 * Math.exp(-(step - 1000) / 1000.0);
    }

    static String create(long maxSteps, boolean stopIfForecastNotToGrok) {
        Fixtures.tasks();
        return as(DEMO).body("{\"taskId\": \"" + Fixtures.TASK_P7 + "\", \"model\": {\"dModel\": 16, \"nHeads\": 2, "
                        + "\"dHead\": 8, \"dMlp\": 32}, \"budget\": {\"maxSteps\": " + maxSteps
                        + ", \"stopIfForecastNotToGrok\": " + stopIfForecastNotToGrok + "}}")
                .post("/api/experiments").then().statusCode(201).extract().path("experimentId");
    }

    /** What the analysis service publishes for a memorised run with validation accuracy {@code testAccuracy}. */
    static ProgressMeasured measured(String id, long step, double testAccuracy) {
        return new ProgressMeasured(id, step, "1", Map.of(Measure.TRAIN_ACCURACY.wire(), 1.0,
                Measure.TEST_ACCURACY.wire(), testAccuracy, Measure.RESTRICTED_LOSS.wire(), 0.5,
                Measure.EXCLUDED_LOSS.wire(), 2.0, Measure.GINI_EMBED.wire(), 0.4), Map.of(), List.of(3),
                Map.of(), Map.of(), 0, 1.0);
    }

    static void analysed(String id, long to, LongToDoubleFunction testAccuracy) {
        Fixtures.publish(new TrainingStarted(id, "w1", "cpu", 0, Instant.now()));
        for (long s = 100; s <= to; s += 100) {
            Fixtures.publish(measured(id, s, testAccuracy.applyAsDouble(s)));
        }
    }

    private static JsonPath forecastOnceAt(String id, long step) {
        Fixtures.await(() -> as(DEMO).get("/api/experiments/" + id + "/forecast").then().extract()
                .path("latest.step") instanceof Integer s && s == step, "the forecast at step " + step);
        return as(DEMO).get("/api/experiments/" + id + "/forecast").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anAnalysedRunIsForecastFromItsValidationErrorTrendWithAnIntervalAndTheStepsAhead() {
        String id = create(10_000, false);
        analysed(id, 2000, ForecastApiTest::exponential);
        JsonPath f = forecastOnceAt(id, 2000);
        double left = 1000 * Math.log(10) - 1000; // the extrapolated steps left at step 2,000
        GrokForecaster.Settings s = GrokForecaster.STANDARD;
        assertEquals("on_course", f.getString("latest.verdict"));
        assertEquals(2000 + Math.round(s.centre() * left), f.getLong("latest.grokStep"));
        assertEquals(2000 + Math.round(s.low() * left), f.getLong("latest.low"));
        assertEquals(2000 + Math.round(s.high() * left), f.getLong("latest.high"));
        assertEquals(f.getLong("latest.grokStep") - 2000, f.getLong("latest.stepsAhead"));
        assertTrue(f.getBoolean("latest.withinBudget"));
        assertTrue(f.getString("summary").startsWith("groks near step " + f.getLong("latest.grokStep")
                + " (interval "), f.getString("summary"));
        assertEquals(20, f.getList("history").size());
        assertEquals("waiting", f.getString("history[2].verdict")); // 3 snapshots: too soon
        assertFalse(f.getMap("").containsKey("stopReason"));
    }

    @Test
    void anOptedInRunForecastNotToGrokIsCancelledWithTheForecastAsItsReasonAndTwoMoreGatewaysChangeNothing()
            throws Exception {
        try (StoreFold one = new StoreFold(Files.createTempDirectory("forecast-1"), "forecast-gateway-1");
             StoreFold two = new StoreFold(Files.createTempDirectory("forecast-2"), "forecast-gateway-2");
             EventPublisher p1 = gatewayPublisher("forecast-gateway-1");
             EventPublisher p2 = gatewayPublisher("forecast-gateway-2")) {
            one.derive = new ForecastWatch(one.views, p1::publish)::after;
            two.derive = new ForecastWatch(two.views, p2::publish)::after;
            assertTrue(one.awaitCaughtUp() && two.awaitCaughtUp());
            String id = create(4000, true);
            analysed(id, 2400, s -> 0.4); // memorised, the validation error flat: no trend toward grokking
            Fixtures.await(() -> "cancelled".equals(as(DEMO).get("/api/experiments/" + id).then().extract()
                    .path("status")), "the opted-in run cancelled");
            String reason = as(DEMO).get("/api/experiments/" + id).then().extract().path("endReason");
            // half the budget (2,000) and four snapshots in a row without a falling trend
            assertTrue(reason.startsWith("forecast not to grok within the budget of 4000 steps (4 snapshots in a "
                    + "row, steps 1700-2000): no_trend"), reason);
            as(DEMO).get("/api/experiments/" + id + "/forecast").then().statusCode(200)
                    .body("stopReason", equalTo(reason)).body("stopIfForecastNotToGrok", equalTo(true));
            Fixtures.await(() -> endReason(one, id).equals(reason) && endReason(two, id).equals(reason),
                    "both further gateways folded the cancellation");
            List<ConsumerRecord<String, byte[]>> cancels = cancellations(id);
            // each gateway that saw the snapshot published the same cancellation: one ce_id, one reason
            assertTrue(cancels.size() >= 1 && cancels.size() <= 3, cancels.size() + " cancellations");
            assertEquals(1, cancels.stream().map(r -> new String(r.headers().lastHeader(CloudEvents.ID).value(),
                    StandardCharsets.UTF_8)).distinct().count());
            assertEquals(List.of(reason), cancels.stream().map(r -> decode(r).reason()).distinct().toList());
            assertEquals(ViewRebuildTest.json(one.views.detail(id).orElseThrow()),
                    ViewRebuildTest.json(two.views.detail(id).orElseThrow()));
            assertTrue(one.live.stream().anyMatch(e -> LiveEvent.FORECAST.equals(e.name()) && id.equals(e.experimentId())));
        }
    }

    @Test
    void aRunNotOptedInIsOnlyToldTheForecastsStop() {
        String id = create(4000, false);
        analysed(id, 2400, s -> 0.4);
        JsonPath f = forecastOnceAt(id, 2400);
        assertEquals("no_trend", f.getString("latest.verdict"));
        assertTrue(f.getString("stopReason").startsWith("forecast not to grok within the budget of 4000 steps"));
        as(DEMO).get("/api/experiments/" + id).then().body("status", equalTo("running"));
    }

    @Test
    void aFlagThatIsNotABooleanIsRefusedNamingTheField() {
        Fixtures.tasks();
        as(DEMO).body("{\"taskId\": \"" + Fixtures.TASK_P7 + "\", \"budget\": {\"stopIfForecastNotToGrok\": \"yes\"}}")
                .post("/api/experiments").then().statusCode(400)
                .body("field", equalTo("budget.stopIfForecastNotToGrok"))
                .body("error", containsString("true or false"));
    }

    @Test
    void anExperimentNobodyHasIsNotFound() {
        as(DEMO).get("/api/experiments/exp-none/forecast").then().statusCode(404);
    }

    private static String endReason(StoreFold fold, String id) {
        return fold.views.detail(id).map(d -> d.endReason() == null ? "" : d.endReason()).orElse("");
    }

    private static EventPublisher gatewayPublisher(String clientId) {
        return new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(
                KafkaBrokerResource.access(KafkaUser.GATEWAY), clientId)), "/grokstream/gateway/" + clientId);
    }

    private static List<ConsumerRecord<String, byte[]>> cancellations(String id) {
        return TopicScan.readAll(KafkaBrokerResource.access(KafkaUser.ADMIN), Topics.EXPERIMENTS, Duration.ofSeconds(30))
                .stream().filter(r -> id.equals(r.key()) && decodeAny(r) instanceof ExperimentCancelled).toList();
    }

    private static GrokEvent decodeAny(ConsumerRecord<String, byte[]> r) {
        return EventCodec.decode(r.headers(), r.value());
    }

    private static ExperimentCancelled decode(ConsumerRecord<String, byte[]> r) {
        return (ExperimentCancelled) decodeAny(r);
    }
}
