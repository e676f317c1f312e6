package io.grokstream.gateway;

import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.as;
import static org.hamcrest.Matchers.containsString;

/**
 * With no analysis service listening (the test configuration points the gateway at port 1), a team's retrospective
 * request is a 503 in the API's error shape.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RetrospectiveUnavailableTest {

    @Test
    void analysisServiceDownIsA503() {
        String id = Fixtures.createExperiment(DEMO, false);
        as(DEMO).get("/api/experiments/" + id + "/retrospective?frequencies=1,3").then().statusCode(503)
                .body("error", containsString("analysis service unavailable"));
    }
}
