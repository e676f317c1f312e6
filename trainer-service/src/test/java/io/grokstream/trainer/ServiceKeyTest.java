package io.grokstream.trainer;

import io.grokstream.contracts.ServiceCredential;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * Every route but the health checks needs the service key (service-kit's ServiceKeyFilter). The trainer serves
 * nothing but its health checks, so a request with the key passes the check and finds nothing (404). The health
 * checks stay open: {@link HealthTest} asks {@code /q/health} without the key.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ServiceKeyTest {

    @Test
    void requestWithoutTheKeyIsRefusedWith401NamingTheHeader() {
        given().get("/").then().statusCode(401).body("field", equalTo(ServiceCredential.HEADER));
        given().get("/q/openapi").then().statusCode(401);
    }

    @Test
    void requestWithAWrongKeyIsRefusedWith403() {
        given().header(ServiceCredential.HEADER, "not-the-key").get("/").then().statusCode(403)
                .body("field", equalTo(ServiceCredential.HEADER));
    }

    @Test
    void requestWithTheKeyPassesTheCheck() {
        WithServiceKey.given().get("/").then().statusCode(404);
    }
}
