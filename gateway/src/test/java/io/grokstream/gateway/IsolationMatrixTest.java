package io.grokstream.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.testkit.HostileRequests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability scenario 6: every documented endpoint tried with no key, a wrong key, and another team's key
 * against team demo's private experiment. Nothing of demo's is read, changed, exported or inferred: 401 without
 * a valid key, 404 (as for an id that does not exist) with the rival's, no record published, and demo's
 * experiment id never appears in an answer to the rival except as the echo of the id it asked for.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class IsolationMatrixTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    @org.junit.jupiter.api.Timeout(300)
    void noEndpointLetsAnotherTeamReadChangeExportOrInfer() throws Exception {
        String secret = Fixtures.createExperiment(DEMO, false);
        // the webhook routes are tried against demo's own webhook
        String webhook = Fixtures.as(DEMO).body("{\"url\": \"http://127.0.0.1:9/x\", \"events\": [\"grokked\"]}")
                .post("/api/webhooks").then().statusCode(201).extract().path("webhookId");
        List<HostileRequests.Endpoint> endpoints = HostileRequests.endpoints(
                new ObjectMapper().readTree(send("GET", "/q/openapi?format=json", null, null).body()));
        long experimentsBefore = Fixtures.endOffsets(Topics.EXPERIMENTS);
        List<String> leaks = new ArrayList<>();
        int tried = 0;
        for (HostileRequests.Endpoint e : endpoints) {
            if (e.template().startsWith("/api/admin")) {
                continue; // admin endpoints: below
            }
            String target = e.template().startsWith("/api/webhooks/{") ? webhook : secret;
            String path = e.template().replaceAll("\\{[^}]*(step)[^}]*}", "1").replaceAll("\\{[^}]+}", target);
            if (e.template().contains("compare")) {
                path += "?ids=" + secret + "&metric=validationAccuracy";
            }
            if (e.streams() && !e.template().contains("{")) {
                continue; // the team-wide stream: checked by listing below
            }
            String body = e.hasBody() ? bodyFor(e.template(), secret) : null;
            boolean creates = e.method().equals("POST") && !e.template().contains("{");
            for (String key : new String[]{null, "wrong-key", RIVAL}) {
                if (creates && RIVAL.equals(key)) {
                    continue; // creating the rival's own experiments touches nothing of demo's
                }
                tried++;
                HostileRequests.Answer r = send(e.method(), path, body, key);
                String text = new String(r.body(), StandardCharsets.UTF_8);
                int expected = key == null || key.equals("wrong-key") ? 401 : 404;
                boolean listing = !e.template().contains("{") && !e.template().contains("compare");
                if (listing && key != null && key.equals(RIVAL)) {
                    if (r.status() >= 300 && r.status() != 400 && r.status() != 404) {
                        leaks.add(e.method() + " " + path + " as rival: " + r.status());
                    }
                    if (text.contains(secret) || text.contains(webhook)) {
                        leaks.add(e.method() + " " + path + " lists demo's experiment to the rival");
                    }
                } else if (r.status() != expected) {
                    leaks.add(e.method() + " " + path + " with " + (key == null ? "no key" : key) + ": "
                            + r.status() + " (expected " + expected + ") " + abbreviate(text));
                }
            }
        }
        // admin endpoints refuse every team key
        for (HostileRequests.Endpoint e : endpoints) {
            if (e.template().startsWith("/api/admin")) {
                tried++;
                int status = send(e.method(), e.template(), e.hasBody() ? "{}" : null, DEMO).status();
                if (status != 403 && status != 404) {
                    leaks.add(e.method() + " " + e.template() + " as a team: " + status);
                }
            }
        }
        System.out.printf("isolation: %d requests over %d endpoints%n", tried, endpoints.size());
        assertTrue(tried >= 3 * 10, "tried " + tried);
        assertEquals(List.of(), leaks);
        assertEquals(experimentsBefore, Fixtures.endOffsets(Topics.EXPERIMENTS), "nothing published");
        assertTrue(Fixtures.as(DEMO).get("/api/webhooks").asString().contains(webhook), "demo's webhook still there");
        Fixtures.as(DEMO).delete("/api/webhooks/" + webhook).then().statusCode(204);
    }

    /** A body that would be valid for demo, so only the team check stands between the rival and the data. */
    private static String bodyFor(String template, String secret) {
        if (template.endsWith("/infer")) {
            return "{\"tokens\": [[1, 2, 7]]}";
        }
        if (template.contains("sweeps")) {
            return "{\"base\": {\"taskId\": \"" + Fixtures.TASK_P7 + "\"}, \"grid\": {\"seed\": [1, 2]}}";
        }
        return "{}";
    }

    private HostileRequests.Answer send(String method, String path, String body, String key) {
        return HostileRequests.send(base, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "application/json", key);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
