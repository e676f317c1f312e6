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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.grokstream.gateway.Fixtures.DEMO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability scenario 5: a generated corpus of at least 500 malformed or hostile requests against every
 * documented endpoint. Zero 5xx, every 4xx names the problem in a JSON {@code error}, nothing published.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class HostileInputCorpusTest {

    /**
     * Refusals the HTTP server itself sends before the request reaches the API (body too large, URI too long,
     * headers too large): the status names the problem and there is no body to name it in.
     */
    private static final java.util.Set<Integer> HTTP_LAYER_REFUSALS = java.util.Set.of(413, 414, 431);

    @TestHTTPResource("/")
    URL base;

    @Test
    @org.junit.jupiter.api.Timeout(300)
    void everyHostileRequestIsRefusedByNameWithoutPublishing() throws Exception {
        String own = Fixtures.createExperiment(DEMO, false);
        JsonNode openapi = new ObjectMapper().readTree(
                send(new HostileRequests.Probe("GET", "/q/openapi?format=json", null, null, "spec")).body());
        List<HostileRequests.Endpoint> endpoints = HostileRequests.endpoints(openapi);
        assertTrue(endpoints.size() >= 10, "the OpenAPI document lists the API: " + endpoints);
        List<HostileRequests.Probe> corpus = HostileRequests.corpus(endpoints, own);
        assertTrue(corpus.size() >= 500, "corpus of " + corpus.size());

        long experimentsBefore = Fixtures.endOffsets(Topics.EXPERIMENTS);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (HostileRequests.Probe probe : corpus) {
            HostileRequests.Answer response = send(probe);
            int status = response.status();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500) {
                failures.add(status + " for " + probe);
            } else if (status >= 400 && HostileRequests.errorOf(response.body()) == null
                    && !(HTTP_LAYER_REFUSALS.contains(status) && response.body().length == 0)) {
                failures.add(status + " without a JSON error for " + probe);
            } else if (probe.method().equals("POST") && status < 400) {
                failures.add(status + " accepted a hostile body for " + probe);
            }
        }
        System.out.printf("hostile corpus: %d requests over %d endpoints, statuses %s%n", corpus.size(),
                endpoints.size(), statuses);

        assertEquals(List.of(), failures);
        assertEquals(experimentsBefore, Fixtures.endOffsets(Topics.EXPERIMENTS), "nothing published");
    }

    private HostileRequests.Answer send(HostileRequests.Probe probe) {
        return HostileRequests.send(base, probe.method(), probe.path(), probe.body(), probe.contentType(), DEMO);
    }
}
