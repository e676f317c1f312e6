package io.grokstream.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grokstream.contracts.ServiceCredential;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.grokstream.gateway.Fixtures.ADMIN;
import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static io.grokstream.gateway.Fixtures.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code GET /api/experiments/{id}/retrospective}: the gateway checks the caller against the experiment as for every
 * read, checks {@code frequencies}, and only then asks the analysis service's {@code /admin/retrospective/{id}} with
 * the service key. A stand-in analysis service (a plain HTTP server in the test JVM) refuses a request without the
 * key it requires (401), answers 404 for an experiment it holds no snapshots of, and otherwise answers a fixed result.
 * The experiments are on the fixture task mod 7: key frequencies 1..3.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@TestProfile(RetrospectiveTest.WithAnalysisService.class)
class RetrospectiveTest {
    static final HttpServer ANALYSIS = start();
    /**
     * The profile starts the server from the class as JUnit loaded it, the tests run in Quarkus' copy of the class:
     * they share the stand-in's state through JVM-wide system properties.
     */
    static final String CALLS = "grokstream.test.retrospective.calls";
    static final String LAST_REQUEST = "grokstream.test.retrospective.request";
    static final String REQUIRED_KEY = "grokstream.test.retrospective.key";
    /** Experiments the stand-in holds no snapshots of (comma-separated). */
    static final String UNKNOWN = "grokstream.test.retrospective.unknown";
    /** The service key of this profile's gateway. */
    static final String SERVICE_KEY = "retrospective-test-service-key";

    public static class WithAnalysisService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("grokstream.gateway.analysis-url", "http://127.0.0.1:" + ANALYSIS.getAddress().getPort(),
                    "grokstream.service.key", SERVICE_KEY);
        }
    }

    @BeforeEach
    void resetStandIn() {
        System.setProperty(CALLS, "0");
        System.setProperty(REQUIRED_KEY, SERVICE_KEY);
        System.setProperty(UNKNOWN, "");
        System.clearProperty(LAST_REQUEST);
    }

    private static int calls() {
        return Integer.parseInt(System.getProperty(CALLS, "0"));
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/admin/retrospective/", RetrospectiveTest::answer);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the analysis service answers: 401 without its key, 404 without snapshots, else two points. */
    private static void answer(HttpExchange exchange) throws IOException {
        System.setProperty(CALLS, Integer.toString(calls() + 1));
        String id = exchange.getRequestURI().getPath().substring("/admin/retrospective/".length());
        System.setProperty(LAST_REQUEST, exchange.getRequestURI().getPath() + "?" + exchange.getRequestURI().getQuery());
        int status;
        String body;
        if (!System.getProperty(REQUIRED_KEY, "").equals(exchange.getRequestHeaders().getFirst(ServiceCredential.HEADER))) {
            status = 401;
            body = "{\"error\": \"no service key\", \"field\": \"" + ServiceCredential.HEADER + "\"}";
        } else if (List.of(System.getProperty(UNKNOWN, "").split(",")).contains(id)) {
            status = 404;
            body = "{\"error\": \"no snapshots of experiment " + id + " on the snapshot topic\", \"field\": \"experimentId\"}";
        } else {
            status = 200;
            body = "{\"experimentId\": \"" + id + "\", \"frequencies\": [1, 3], \"snapshots\": 2, \"points\": ["
                    + "{\"step\": 100, \"restrictedLoss\": 2.5, \"excludedLoss\": 1.5}, "
                    + "{\"step\": 200, \"restrictedLoss\": 0.25, \"excludedLoss\": 4.5}], \"millis\": 12.0}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void ownExperimentGetsTheAnalysisServicesAnswerAskedWithTheServiceKey() {
        String id = Fixtures.createExperiment(DEMO, false);
        as(DEMO).get("/api/experiments/" + id + "/retrospective?frequencies=1,3").then().statusCode(200)
                .body("experimentId", equalTo(id)).body("frequencies", equalTo(List.of(1, 3)))
                .body("snapshots", equalTo(2)).body("points.step", equalTo(List.of(100, 200)))
                .body("points[1].restrictedLoss", equalTo(0.25f)).body("points[1].excludedLoss", equalTo(4.5f));
        assertEquals(1, calls());
        assertEquals("/admin/retrospective/" + id + "?frequencies=1,3", System.getProperty(LAST_REQUEST));
    }

    @Test
    void rivalsPrivateExperimentIsA404LikeAMissingOneAndTheAnalysisServiceIsNeverAsked() {
        String secret = Fixtures.createExperiment(DEMO, false);
        as(RIVAL).get("/api/experiments/" + secret + "/retrospective?frequencies=1,3").then().statusCode(404)
                .body("field", equalTo("experimentId")).body("error", equalTo("no experiment " + secret));
        as(RIVAL).get("/api/experiments/" + secret + "/retrospective?frequencies=bad").then().statusCode(404)
                .body("field", equalTo("experimentId"));
        as(RIVAL).get("/api/experiments/exp-doesnotexist/retrospective?frequencies=1,3").then().statusCode(404)
                .body("field", equalTo("experimentId")).body("error", equalTo("no experiment exp-doesnotexist"));
        assertEquals(0, calls(), "the analysis service is never asked about an experiment the caller may not read");
    }

    @Test
    void anotherTeamsPublicExperimentAndAnyForTheAdminAreAnswered() {
        String shared = Fixtures.createExperiment(RIVAL, true);
        as(DEMO).get("/api/experiments/" + shared + "/retrospective?frequencies=2").then().statusCode(200)
                .body("experimentId", equalTo(shared));
        String rivalsPrivate = Fixtures.createExperiment(RIVAL, false);
        as(ADMIN).get("/api/experiments/" + rivalsPrivate + "/retrospective?frequencies=2").then().statusCode(200)
                .body("experimentId", equalTo(rivalsPrivate));
        assertEquals(2, calls());
    }

    @Test
    void missingOrBadFrequenciesAreA400NamingFrequencies() {
        String id = Fixtures.createExperiment(DEMO, false);
        String path = "/api/experiments/" + id + "/retrospective";
        as(DEMO).get(path).then().statusCode(400).body("field", equalTo("frequencies"))
                .body("error", containsString("required"));
        as(DEMO).get(path + "?frequencies=").then().statusCode(400).body("field", equalTo("frequencies"));
        as(DEMO).get(path + "?frequencies=1,a").then().statusCode(400).body("field", equalTo("frequencies"))
                .body("error", containsString("'a'"));
        as(DEMO).get(path + "?frequencies=1,,3").then().statusCode(400).body("field", equalTo("frequencies"));
        as(DEMO).get(path + "?frequencies=0").then().statusCode(400).body("field", equalTo("frequencies"))
                .body("error", containsString("[1, 3]"));
        as(DEMO).get(path + "?frequencies=4").then().statusCode(400).body("field", equalTo("frequencies"))
                .body("error", containsString("mod 7"));
        as(DEMO).get(path + "?frequencies=2,2").then().statusCode(400).body("field", equalTo("frequencies"))
                .body("error", containsString("distinct"));
        as(DEMO).get(path + "?frequencies=" + "1,".repeat(65) + "1").then().statusCode(400)
                .body("field", equalTo("frequencies")).body("error", containsString("at most 64"));
        assertEquals(0, calls(), "a refused request is not forwarded");
    }

    @Test
    void analysisRefusalComesBackWithItsStatusAndMessage() {
        String id = Fixtures.createExperiment(DEMO, false);
        System.setProperty(UNKNOWN, id);
        as(DEMO).get("/api/experiments/" + id + "/retrospective?frequencies=1").then().statusCode(404)
                .body("field", equalTo("experimentId")).body("error", containsString("no snapshots of experiment " + id));
    }

    @Test
    void analysisServiceRefusingTheGatewaysKeyIsA503() {
        String id = Fixtures.createExperiment(DEMO, false);
        System.setProperty(REQUIRED_KEY, "another-deployments-key");
        as(DEMO).get("/api/experiments/" + id + "/retrospective?frequencies=1").then().statusCode(503)
                .body("error", containsString("refused the gateway's service key")).body("field", nullValue());
    }
}
