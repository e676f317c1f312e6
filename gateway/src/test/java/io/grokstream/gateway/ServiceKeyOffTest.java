package io.grokstream.gateway;

import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The gateway is the public door: service-kit's service key check is off here ({@code grokstream.service-auth.enabled
 * =false}), so its routes answer without an {@code X-Service-Key} header, {@code /api} behind the team keys.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ServiceKeyOffTest {

    @Test
    void apiAnswersATeamKeyWithoutTheServiceKey() {
        as(DEMO).get("/api/experiments").then().statusCode(200);
    }

    @Test
    void apiWithoutATeamKeyIsRefusedByTheGatewaysOwnCheck() {
        given().get("/api/experiments").then().statusCode(401).body("field", equalTo("X-API-Key"));
    }

    @Test
    void openApiAndMetricsStayOpen() {
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }
}
