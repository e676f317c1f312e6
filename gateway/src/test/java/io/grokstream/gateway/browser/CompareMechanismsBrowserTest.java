package io.grokstream.gateway.browser;

import io.grokstream.contracts.Measure;
import io.grokstream.contracts.Phase;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The comparison page's mechanisms in a real headless Chromium: two simulated runs of the p = 23 task, an AdamW run
 * whose analysis finds key frequencies {3, 7} and a GrokFast run that finds {3, 5}, each with its own phase steps,
 * and per-target measures for two targets. The known answer: 3 is shared (highlighted), 7 and 5 are each one run's
 * own; the timeline draws one marker per published phase. Then the experiment page draws each target's restricted
 * loss and test accuracy. Screenshots in {@code gateway/target/screenshots/compare-mechanisms.png} and
 * {@code experiment-per-target.png}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class CompareMechanismsBrowserTest extends BrowserTest {
    @BeforeAll
    static void windowSize() {
        chromium.resize(1500, 1400);
    }

    @Test
    void twoRunsShowTheirSharedAndOwnKeyFrequenciesAndAPhaseTimeline() throws Exception {
        try (SimulatedRun run = new SimulatedRun()) {
            run.defineTask();
            waitUntil("the task in the catalog", () -> given().header("X-API-Key", KEY)
                    .get("/api/tasks/" + SimulatedRun.TASK_ID).statusCode() == 200);
            String adamw = submit("AdamW seed 1", "\"seed\": 1");
            String grokfast = submit("GrokFast EMA seed 2", "\"seed\": 2, \"grokfast\": {\"kind\": \"ema\"}");
            simulate(run, adamw, List.of(3, 7), 2000, Map.of(Phase.MEMORISED, 300L, Phase.CIRCUIT_FORMATION, 800L,
                    Phase.CLEANUP, 1300L, Phase.GROKKED, 1500L));
            simulate(run, grokfast, List.of(3, 5), 1000, Map.of(Phase.MEMORISED, 250L, Phase.CIRCUIT_FORMATION, 400L,
                    Phase.GROKKED, 700L));
            waitUntil("both runs folded", () -> given().header("X-API-Key", KEY)
                    .get("/api/compare/mechanisms?ids=" + adamw + "," + grokfast).jsonPath()
                    .getList("runs.phases").stream().mapToInt(p -> ((List<?>) p).size()).sum() == 7);

            openSignedIn("#/compare?ids=" + adamw + "," + grokfast + "&metric=validationAccuracy");
            waitUntil("the timeline", () -> "7".equals(chromium.js(
                    "const s = document.querySelector('#mech-timeline svg'); return s ? s.dataset.markers : ''")));

            assertEquals(List.of("3", "3"), texts("#mech-table td.chips span.shared"), "3 is in both runs");
            assertEquals(List.of("7", "5"), texts("#mech-table td.chips span.unique"), "7 only AdamW's, 5 only GrokFast's");
            WebElement adamwRow = chromium.driver().findElement(By.cssSelector("#mech-table tr[data-id='" + adamw + "']"));
            assertTrue(adamwRow.getText().contains("1500") && adamwRow.getText().contains("adamw"), adamwRow.getText());
            WebElement grokfastRow = chromium.driver().findElement(By.cssSelector("#mech-table tr[data-id='" + grokfast + "']"));
            assertTrue(grokfastRow.getText().contains("ema") && grokfastRow.getText().contains("700"), grokfastRow.getText());
            assertEquals(4, chromium.driver().findElements(By.cssSelector("#mech-targets tbody tr")).size(),
                    "two targets of two runs");
            assertTrue(chromium.driver().findElement(By.id("mech-split")).getText().contains("shared by every run: 3"));
            Thread.sleep(300);
            Path shot = chromium.screenshot("compare-mechanisms", 1500, 1400);
            assertTrue(Files.size(shot) > 10_000, "the screenshot was written");
            assertEquals(List.of(), chromium.scriptErrors(), "no script errors in the console");

            // The experiment page of a run with two targets: each target's restricted loss and test accuracy, 20
            // snapshots each, beside the 20 train and 20 validation points of the metrics.
            chromium.driver().get(root + "#/exp/" + adamw);
            waitUntil("per-target restricted loss", () -> points("chart-restricted") == 4 * 20);
            waitUntil("per-target accuracy", () -> points("chart-acc") == 4 * 20);
            Thread.sleep(300);
            assertTrue(Files.size(chromium.screenshot("experiment-per-target", 1500, 1000)) > 10_000);
            assertEquals(List.of(), chromium.scriptErrors(), "no script errors in the console");
        }
    }

    private static int points(String chartId) {
        Object v = chromium.js("const e = document.getElementById(arguments[0]); return e ? e.dataset.points || '0' : '0'",
                chartId);
        return Integer.parseInt(String.valueOf(v));
    }

    private static String submit(String name, String extra) {
        return given().header("X-API-Key", KEY).contentType("application/json")
                .body("{\"name\": \"" + name + "\", \"taskId\": \"" + SimulatedRun.TASK_ID + "\", " + extra + "}")
                .post("/api/experiments").then().statusCode(201).extract().path("experimentId");
    }

    /** Metrics to {@code steps}, the key frequencies found one by one, per target the first and the rest, phases. */
    private static void simulate(SimulatedRun run, String id, List<Integer> keys, long steps, Map<Phase, Long> phases) {
        run.start(id);
        run.metrics(id, 0, steps, 100);
        for (long step = 100; step <= steps; step += 100) {
            int found = (int) Math.min(keys.size(), step * (keys.size() + 1) / steps);
            List<Integer> now = keys.subList(0, found);
            Map<String, Double> scalars = new LinkedHashMap<>();
            Map<String, double[]> spectra = new LinkedHashMap<>();
            for (String target : List.of("q3", "q5")) {
                List<Integer> own = target.equals("q3") ? now.subList(0, Math.min(1, now.size())) : now;
                spectra.put(Measure.KEY_FREQUENCIES_OF.member(target), own.stream().mapToDouble(Integer::doubleValue).toArray());
                scalars.put(Measure.RESTRICTED_LOSS_OF.member(target), 3.0 * Math.exp(-step / 400.0));
                scalars.put(Measure.TEST_ACCURACY_OF.member(target), Math.min(1, step / (double) steps));
            }
            run.analysed(new ProgressMeasured(id, step, "test-1", scalars, spectra, now, Map.of(), Map.of(), 0, 5));
        }
        phases.forEach((phase, step) -> run.phase(id, phase.wire(), step));
    }

    private static List<String> texts(String selector) {
        return chromium.driver().findElements(By.cssSelector(selector)).stream()
                .map(e -> e.getAttribute("data-frequency")).toList();
    }

}
