package io.grokstream.gateway.browser;

import io.grokstream.cli.GrokstreamCli;
import io.grokstream.contracts.SnapshotReason;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adaptive snapshots (issue 19) through the gateway and the dashboard in a real headless Chromium: a create body asks
 * for them (and a bad one is refused naming the field), the simulated trainer publishes snapshots that say why they
 * were taken, crowded around memorisation (step 600) and the validation rise (step 1,500), the checkpoint list
 * returns each reason, and the experiment page draws them as ticks under the accuracy chart, coloured by reason.
 * Screenshot in {@code gateway/target/screenshots/adaptive-snapshots.png}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class AdaptiveSnapshotsBrowserTest extends BrowserTest {
    @BeforeAll
    static void windowSize() {
        chromium.resize(1500, 1000);
    }

    /** What the trainer's planner might publish for 3,000 steps with a budget of 40 (minEvery 10, lookBack 4). */
    static Map<Long, SnapshotReason> planned() {
        Map<Long, SnapshotReason> out = new TreeMap<>();
        for (long s = 150; s <= 3_000; s += 150) {
            out.put(s, s == 3_000 ? SnapshotReason.FINAL : SnapshotReason.REGULAR);
        }
        for (long s = 560; s <= 640; s += 10) {
            out.put(s, s < 600 ? SnapshotReason.LOOK_BACK : SnapshotReason.MEMORISED);
        }
        for (long s = 1_460; s <= 1_540; s += 10) {
            out.putIfAbsent(s, s < 1_500 ? SnapshotReason.LOOK_BACK : SnapshotReason.VALIDATION_RISE);
        }
        return out;
    }

    @Test
    void anAdaptiveRunsSnapshotsShowAsTicksColouredByReason() throws Exception {
        given().header("X-API-Key", KEY).contentType("application/json")
                .body("{\"cadence\": {\"snapshots\": {\"mode\": \"adaptive\", \"minEvery\": 10}}}")
                .post("/api/experiments").then().statusCode(400)
                .body("field", equalTo("cadence.snapshots.budget"));
        given().header("X-API-Key", KEY).contentType("application/json")
                .body("{\"cadence\": {\"snapshots\": {\"mode\": \"fixed\", \"budget\": 40}}}")
                .post("/api/experiments").then().statusCode(400)
                .body("field", equalTo("cadence.snapshots.budget"));
        try (SimulatedRun run = new SimulatedRun()) {
            run.defineTask();
            waitUntil("the task in the catalog", () -> given().header("X-API-Key", KEY)
                    .get("/api/tasks/" + SimulatedRun.TASK_ID).statusCode() == 200);
            String id = given().header("X-API-Key", KEY).contentType("application/json")
                    .body("{\"name\": \"adaptive snapshots\", \"taskId\": \"" + SimulatedRun.TASK_ID + "\","
                            + " \"budget\": {\"maxSteps\": 3000}, \"cadence\": {\"metricsEvery\": 50,"
                            + " \"snapshots\": {\"mode\": \"adaptive\", \"budget\": 40, \"minEvery\": 10}}}")
                    .post("/api/experiments").then().statusCode(201).extract().path("experimentId");
            waitUntil("the experiment in the view", () -> given().header("X-API-Key", KEY)
                    .get("/api/experiments/" + id).statusCode() == 200);
            given().header("X-API-Key", KEY).get("/api/experiments/" + id).then()
                    .body("config.cadence.snapshots.mode", equalTo("adaptive"))
                    .body("config.cadence.snapshots.budget", equalTo(40))
                    .body("config.cadence.snapshots.lookBack", equalTo(4));
            run.start(id);
            run.metrics(id, 0, 3_000, 50);
            Map<Long, SnapshotReason> planned = planned();
            assertTrue(planned.size() <= 40, "within the budget the experiment asked for: " + planned.size());
            planned.forEach((step, reason) -> run.snapshot(id, step, reason));
            waitUntil("every snapshot listed", () -> given().header("X-API-Key", KEY)
                    .get("/api/experiments/" + id + "/checkpoints").jsonPath().getList("step").size() == planned.size());
            List<String> reasons = given().header("X-API-Key", KEY).get("/api/experiments/" + id + "/checkpoints")
                    .jsonPath().getList("reason");
            assertEquals(planned.values().stream().map(SnapshotReason::wire).toList(), reasons);
            given().header("X-API-Key", KEY).get("/api/vocabulary").then()
                    .body("snapshotReasons", org.hamcrest.Matchers.hasItems("look_back", "memorised", "final"))
                    .body("snapshotModes", org.hamcrest.Matchers.hasItems("fixed", "adaptive"));

            openSignedIn("#/exp/" + id);
            waitUntil("a tick per snapshot", () -> String.valueOf(planned.size()).equals(chromium.js(
                    "const e = document.querySelector('#snapshot-ticks'); return e ? e.dataset.ticks : ''")));
            String counts = String.valueOf(chromium.js("return document.querySelector('#snapshot-ticks').dataset.reasons"));
            assertTrue(counts.contains("\"look_back\":8") && counts.contains("\"memorised\":5")
                    && counts.contains("\"final\":1"), counts);
            @SuppressWarnings("unchecked")
            List<Object> xs = (List<Object>) chromium.js("return [...document.querySelectorAll('#snapshot-ticks line')]"
                    + ".map((l) => Number(l.getAttribute('x1')))");
            List<Double> x = xs.stream().map(v -> ((Number) v).doubleValue()).toList();
            for (int i = 1; i < x.size(); i++) {
                assertTrue(x.get(i) >= x.get(i - 1), "ticks in step order along the chart's axis: " + x);
            }
            double span = x.get(x.size() - 1) - x.get(0);
            double around = x.get(List.copyOf(planned.keySet()).indexOf(640L)) - x.get(List.copyOf(planned.keySet())
                    .indexOf(560L));
            assertTrue(around > 0 && around < 0.05 * span, "the 80 steps around memorisation are a narrow crowd: "
                    + around + " of " + span + " px");
            given().header("X-API-Key", KEY).get("/api/experiments/" + id + "/checkpoints").then()
                    .body("find { it.step == 600 }.reason", containsString(SnapshotReason.MEMORISED.wire()));
            Thread.sleep(300);
            Path shot = chromium.screenshot("adaptive-snapshots", 1500, 900);
            assertTrue(Files.size(shot) > 10_000, "the screenshot was written");
            assertEquals(List.of(), chromium.scriptErrors(), "no script errors in the console");
        }
    }

    @Test
    void theCommandLineSubmitsAnAdaptiveCadence() {
        try (SimulatedRun run = new SimulatedRun()) {
            run.defineTask();
        }
        waitUntil("the task in the catalog", () -> given().header("X-API-Key", KEY)
                .get("/api/tasks/" + SimulatedRun.TASK_ID).statusCode() == 200);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GrokstreamCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("submit",
                "--url=" + root, "--key=" + KEY, "--task", SimulatedRun.TASK_ID, "--name", "cli adaptive", "--max-steps", "500",
                "--snapshots", "adaptive", "--snapshot-budget", "25", "--snapshot-look-back", "2");
        assertEquals(0, exit, err.toString());
        String id = out.toString().strip().lines().findFirst().orElseThrow();
        waitUntil("the experiment in the view", () -> given().header("X-API-Key", KEY)
                .get("/api/experiments/" + id).statusCode() == 200);
        given().header("X-API-Key", KEY).get("/api/experiments/" + id).then()
                .body("config.cadence.snapshots.mode", equalTo("adaptive"))
                .body("config.cadence.snapshots.budget", equalTo(25))
                .body("config.cadence.snapshots.minEvery", equalTo(10))
                .body("config.cadence.snapshots.lookBack", equalTo(2));
        int refused = GrokstreamCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("submit",
                "--url=" + root, "--key=" + KEY, "--task", SimulatedRun.TASK_ID, "--snapshot-budget", "1");
        assertEquals(1, refused, "the gateway's 400 is the command's error");
        assertTrue(err.toString().contains("cadence.snapshots.budget"), err.toString());
    }

}
