package io.grokstream.gateway.browser;

import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.testkit.PlantedWeights;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interventions page in a real headless Chromium: a checkpoint holding Nanda's algorithm planted at key
 * frequencies {3, 7} of p = 23 (testkit's {@code PlantedWeights}), its key frequencies ablated from the logits through
 * the page's form; the clean grid is almost all right, the intervened one almost all wrong. Screenshot in
 * {@code gateway/target/screenshots/interventions-page.png}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class InterventionsBrowserTest extends BrowserTest {
    private static final int P = SimulatedRun.P;

    @Test
    void ablatingKeyFrequenciesOnThePageShowsTheGridGoWrong() throws Exception {
        try (SimulatedRun run = new SimulatedRun()) {
            run.defineTask();
            waitUntil("the task in the catalog", () -> given().header("X-API-Key", KEY)
                    .get("/api/tasks/" + SimulatedRun.TASK_ID).statusCode() == 200);
            String id = given().header("X-API-Key", KEY).contentType("application/json")
                    .body("{\"name\": \"planted p=23\", \"taskId\": \"" + SimulatedRun.TASK_ID + "\", \"model\": {\"dModel\": 32,"
                            + " \"nHeads\": 4, \"dHead\": 8, \"dMlp\": 64}}")
                    .post("/api/experiments").then().statusCode(201).extract().path("experimentId");
            ModelConfig model = new ModelConfig(1, 32, 4, 8, 64, P + 1, 3, List.of(new OutputGroup("out", P)), false,
                    false, false, true, "float32");
            run.snapshot(id, 500, PlantedWeights.of(model, P, new int[]{3, 7}, 3));
            waitUntil("the checkpoint", () -> given().header("X-API-Key", KEY).get("/api/experiments/" + id + "/checkpoints")
                    .jsonPath().getList("step").size() == 1);

            openSignedIn("#/intervene/" + id + "?kind=ablate_fourier_logits&frequencies=3,7");
            waitUntil("the checkpoint in the form", () -> !chromium.driver()
                    .findElements(By.cssSelector("#step option[value='500']")).isEmpty());
            waitUntil("the frequencies filled in", () -> "3,7".equals(chromium.js(
                    "const e = document.querySelector('input[name=frequencies]'); return e ? e.value : ''")));
            chromium.driver().findElement(By.id("run")).click();
            waitUntil("both grids drawn", () -> cells("#grid-intervened-0") == P * P);
            int clean = right("#grid-clean-0");
            int ablated = right("#grid-intervened-0");
            assertTrue(clean > 0.95 * P * P, "the planted network is right almost everywhere: " + clean);
            assertTrue(ablated < 0.2 * P * P, "without its key frequencies almost nowhere: " + ablated);
            assertTrue(chromium.driver().findElement(By.id("scores")).getText().contains("intervened"));
            Thread.sleep(300);
            Path shot = chromium.screenshot("interventions-page", 1500, 900);
            assertTrue(Files.size(shot) > 10_000, "the screenshot was written");
            assertEquals(List.of(), chromium.scriptErrors(), "no script errors in the console");
        }
    }

    private static int cells(String selector) {
        return data(selector, "cells");
    }

    private static int right(String selector) {
        return data(selector, "right");
    }

    private static int data(String selector, String name) {
        Object v = chromium.js("const e = document.querySelector(arguments[0]); return e ? e.dataset[arguments[1]] || '0' : '0'",
                selector, name);
        return Integer.parseInt(String.valueOf(v));
    }
}
