package io.grokstream.analysis;

import io.grokstream.contracts.ServiceCredential;
import io.grokstream.contracts.WorkMetric;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Every route but the health checks needs the service key (service-kit's ServiceKeyFilter): the admin endpoints,
 * whose retrospective answers any experiment's measures, and the metrics. The health checks stay open:
 * {@link HealthTest} asks {@code /q/health} without the key. A metrics scraper may present the key as a bearer token.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ServiceKeyTest {

    @Test
    void requestWithoutTheKeyIsRefusedWith401NamingTheHeader() {
        given().get("/admin/retrospective/exp-x?frequencies=3").then().statusCode(401)
                .body("field", equalTo(ServiceCredential.HEADER));
        given().contentType("application/json").body("{}").post("/admin/replay").then().statusCode(401);
        given().get("/admin/gaps").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(401);
    }

    @Test
    void requestWithAWrongKeyIsRefusedWith403() {
        given().header(ServiceCredential.HEADER, "not-the-key").get("/admin/retrospective/exp-x?frequencies=3").then()
                .statusCode(403).body("field", equalTo(ServiceCredential.HEADER));
        given().header(ServiceCredential.HEADER, "not-the-key").contentType("application/json").body("{}")
                .post("/admin/replay").then().statusCode(403);
    }

    @Test
    void requestWithTheKeyIsServed() {
        WithServiceKey.given().get("/admin/gaps").then().statusCode(200).body("open", notNullValue());
        WithServiceKey.given().get("/admin/retrospective/exp-x").then().statusCode(400).body("field", equalTo("frequencies"));
        WithServiceKey.given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aMetricsScraperPresentsTheKeyAsABearerTokenAndSeesTheWaitingSnapshots() {
        given().header("Authorization", "Bearer test-service-key").get("/q/metrics").then().statusCode(200)
                .body(containsString(WorkMetric.ANALYSIS_SNAPSHOTS_WAITING.prometheusName() + " "));
        given().header("Authorization", "Bearer not-the-key").get("/q/metrics").then().statusCode(403);
        given().header("Authorization", "Basic dGVzdC1zZXJ2aWNlLWtleQ==").get("/q/metrics").then().statusCode(401);
    }
}
