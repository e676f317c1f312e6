package io.grokstream.gateway;

import io.grokstream.contracts.EventType;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.testkit.PlantedWeights;
import io.grokstream.cli.GrokstreamCli;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.util.List;
import java.util.Map;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static io.grokstream.gateway.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/experiments/{id}/checkpoints/{step}/interventions} on a checkpoint that holds Nanda's algorithm
 * planted at key frequencies {1, 3} of p = 7 (testkit's {@code PlantedWeights}), published on the snapshot topic as a
 * trainer would.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class InterventionsApiTest {
    private static final int P = 7;

    @TestHTTPResource("/")
    URL base;

    static String plantedExperiment(String key) {
        String id = Fixtures.createExperiment(key, false);
        var weights = PlantedWeights.of(CheckpointsTest.fixtureModel(P), P, new int[]{1, 3}, 3);
        Fixtures.send(SnapshotCodec.toRecord(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN,
                new SnapshotCodec.Snapshot(id, 100, weights, Map.of(SnapshotCodec.META_TASK, Fixtures.TASK_P7)),
                "/grokstream/trainer/test"));
        Fixtures.await(() -> as(key).get("/api/experiments/" + id + "/checkpoints").jsonPath().getList("step").size() == 1,
                "checkpoint");
        return id;
    }

    @Test
    void ablatingTheKeyFrequenciesCollapsesValidationAccuracyAndAblatingTheOthersLeavesIt() {
        String id = plantedExperiment(DEMO);
        String url = "/api/experiments/" + id + "/checkpoints/100/interventions";
        Response keys = as(DEMO).body("{\"kind\": \"ablate_fourier_logits\", \"frequencies\": [1, 3],"
                + " \"inputs\": [{\"x\": 2, \"y\": 3}]}").post(url);
        keys.then().statusCode(200).body("experimentId", equalTo(id)).body("step", equalTo(100))
                .body("rows", equalTo(P * P)).body("targets[0].target", equalTo("sum"))
                .body("grid.p", equalTo(P)).body("grid.targets[0].intervened", hasSize(P * P))
                .body("logits[0].tokens", equalTo(List.of(2, 3, P))).body("logits[0].label", equalTo(5))
                .body("logits[0].clean", hasSize(P)).body("intervention.kind", equalTo("ablate_fourier_logits"));
        double clean = keys.jsonPath().getDouble("targets[0].clean.validationAccuracy");
        double ablated = keys.jsonPath().getDouble("targets[0].intervened.validationAccuracy");
        assertTrue(clean > 0.9, "the planted network answers: " + clean);
        assertTrue(ablated < 0.3, "key frequencies ablated: " + ablated);

        Response others = as(DEMO).body("{\"kind\": \"ablate_fourier_logits\", \"frequencies\": [2]}").post(url);
        others.then().statusCode(200);
        assertEquals(clean, others.jsonPath().getDouble("targets[0].intervened.validationAccuracy"));
        assertEquals(others.jsonPath().getDouble("targets[0].clean.loss"),
                others.jsonPath().getDouble("targets[0].intervened.loss"), 1e-6);
    }

    @Test
    void anotherTeamsCheckpointIsMissingAndBadRequestsNameTheirField() {
        String id = plantedExperiment(DEMO);
        String url = "/api/experiments/" + id + "/checkpoints/100/interventions";
        String ok = "{\"kind\": \"zero_ablate_heads\", \"heads\": [0]}";
        as(RIVAL).body(ok).post(url).then().statusCode(404);
        given().contentType("application/json").body(ok).post(url).then().statusCode(401);
        as(DEMO).body(ok).post("/api/experiments/" + id + "/checkpoints/101/interventions").then().statusCode(404)
                .body("field", equalTo("step"));
        as(DEMO).body(ok).post("/api/experiments/" + id + "/checkpoints/x/interventions").then().statusCode(400)
                .body("field", equalTo("step"));
        as(DEMO).body("{\"kind\": \"melt\"}").post(url).then().statusCode(400).body("field", equalTo("kind"))
                .body("error", containsString("patch_activation"));
        as(DEMO).body("{\"kind\": \"zero_ablate_heads\", \"heads\": [2]}").post(url).then().statusCode(400)
                .body("field", equalTo("heads"));
        as(DEMO).body("{\"kind\": \"ablate_fourier_logits\", \"frequencies\": [4]}").post(url).then().statusCode(400)
                .body("field", equalTo("frequencies")).body("error", containsString("[1, 3]"));
        as(DEMO).body("{\"kind\": \"patch_activation\", \"hook\": \"hook_embed\", \"source\": {\"x\": 1}}").post(url)
                .then().statusCode(400).body("field", equalTo("source.y"));
        as(DEMO).post(url).then().statusCode(400).body("field", equalTo("body"));
        // no body and no Content-Type: the request is read, and refused for what it lacks; a body without one is JSON
        given().header("X-API-Key", DEMO).post(url).then().statusCode(400).body("field", equalTo("body"));
        given().header("X-API-Key", DEMO).body(ok.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post(url).then()
                .statusCode(200);
        as(DEMO).body("{\"kind\": ").post(url).then().statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void theCommandLinePrintsTheScoresAndRefusesAnUnknownKindAsUsage() {
        String id = plantedExperiment(DEMO);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = GrokstreamCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("intervene",
                "--url=" + base, "--key=" + DEMO, id, "latest", "ablate_fourier_logits", "--frequencies", "1,3",
                "--input", "2,3");
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("TARGET") && out.toString().contains("sum"), out.toString());
        assertTrue(out.toString().contains("(label 5)"), out.toString());
        int usage = GrokstreamCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("intervene", "--url=" + base, "--key=" + DEMO, id, "100", "melt");
        assertEquals(GrokstreamCli.USAGE, usage);
        int refused = GrokstreamCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("intervene", "--url=" + base, "--key=" + RIVAL, id, "100", "zero_ablate_heads", "--heads", "0");
        assertEquals(1, refused, "another team's experiment: the gateway's 404");
    }

    @Test
    void theOpenApiDocumentDescribesTheRoute() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/experiments/{id}/checkpoints/{step}/interventions"))
                .body(containsString("ablate_fourier_logits"));
    }
}
