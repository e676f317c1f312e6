package io.grokstream.gateway.browser;

import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grokking forecast on the experiment page in a real headless Chromium: the line the gateway's forecast says,
 * and its interval as a band on the accuracy chart, updated live when the next snapshot's measures arrive.
 * Screenshot in {@code gateway/target/screenshots/forecast.png}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ForecastBrowserTest extends BrowserTest {
    @Test
    void theExperimentPageShowsTheForecastAndItsBandAndFollowsTheNextSnapshot() throws Exception {
        try (SimulatedRun run = new SimulatedRun()) {
            run.defineTask();
            waitUntil("the task in the catalog", () -> given().header("X-API-Key", KEY)
                    .get("/api/tasks/" + SimulatedRun.TASK_ID).statusCode() == 200);
            String id = given().header("X-API-Key", KEY).contentType("application/json")
                    .body("{\"name\": \"forecast p=23\", \"taskId\": \"" + SimulatedRun.TASK_ID + "\", \"model\": "
                            + "{\"dModel\": 32, \"nHeads\": 4, \"dHead\": 8, \"dMlp\": 64}, \"budget\": {\"maxSteps\": "
                            + "3000}}")
                    .post("/api/experiments").then().statusCode(201).extract().path("experimentId");
            run.start(id);
            run.metrics(id, 0, 1500, 50);
            for (long s = 100; s <= 1500; s += 100) {
                run.accuracyMeasures(id, s);
            }
            JsonPath f = forecastAt(id, 1500);
            openSignedIn("#/exp/" + id);
            waitUntil("the forecast line", () -> text("forecast-text").equals(f.getString("summary")
                    + " (at step 1500)"));
            assertTrue(text("forecast-text").startsWith("groks near step " + f.getLong("latest.grokStep")
                    + " (interval " + f.getLong("latest.low") + "\u2013"), text("forecast-text"));
            long low = f.getLong("latest.low");
            long high = Math.min(f.getLong("latest.high"), 3000);
            waitUntil("the band on the accuracy chart", () -> (low + ".." + high + "@"
                    + Math.min(f.getLong("latest.grokStep"), 3000)).equals(band()));
            chromium.js("window.__sameDocument = true");

            run.metrics(id, 1500, 1600, 50);
            run.accuracyMeasures(id, 1600);
            JsonPath next = forecastAt(id, 1600);
            waitUntil("the forecast of the next snapshot, live", () -> text("forecast-text")
                    .equals(next.getString("summary") + " (at step 1600)"));
            assertEquals(Boolean.TRUE, chromium.js("return window.__sameDocument === true"),
                    "the page must update without a reload");
            assertTrue(text("forecast-basis").contains("validation error"), text("forecast-basis"));
            Thread.sleep(300);
            Path shot = chromium.screenshot("forecast", 1500, 900);
            assertTrue(Files.size(shot) > 10_000, "the screenshot was written");
            assertEquals(List.of(), chromium.scriptErrors(), "no script errors in the console");
        }
    }

    private static JsonPath forecastAt(String id, long step) {
        waitUntil("the forecast at step " + step, () -> given().header("X-API-Key", KEY)
                .get("/api/experiments/" + id + "/forecast").jsonPath().getLong("latest.step") == step);
        return given().header("X-API-Key", KEY).get("/api/experiments/" + id + "/forecast").jsonPath();
    }

    private static String text(String elementId) {
        return chromium.driver().findElement(By.id(elementId)).getText();
    }

    private static String band() {
        return String.valueOf(chromium.js("const e = document.querySelector('#chart-acc'); "
                + "return e ? e.dataset.band || '' : ''"));
    }
}
