package io.grokstream.dataset;

import io.grokstream.contracts.ServiceCredential;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Every route but the health checks needs the service key (service-kit's ServiceKeyFilter), the OpenAPI document too.
 * The health checks stay open: {@link HealthTest} asks {@code /q/health} without the key.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ServiceKeyTest {
    static final String TASK = "{\"kind\": \"modular\", \"parameters\": {\"operation\": \"add\", \"p\": 7}}";

    @Test
    void requestWithoutTheKeyIsRefusedWith401NamingTheHeader() {
        given().contentType("application/json").body(TASK).post("/tasks").then().statusCode(401)
                .body("field", equalTo(ServiceCredential.HEADER));
        given().get("/tasks/kinds").then().statusCode(401);
        given().get("/q/openapi").then().statusCode(401);
        given().get("/q/health-ui").then().statusCode(401);
    }

    @Test
    void requestWithAWrongKeyIsRefusedWith403() {
        given().header(ServiceCredential.HEADER, "not-the-key").contentType("application/json").body(TASK).post("/tasks")
                .then().statusCode(403).body("field", equalTo(ServiceCredential.HEADER));
        given().header(ServiceCredential.HEADER, "").get("/tasks/kinds").then().statusCode(403);
    }

    @Test
    void requestWithTheKeyIsServed() {
        WithServiceKey.given().get("/tasks/kinds").then().statusCode(200).body("kinds.kind", hasItem("modular"));
        WithServiceKey.given().contentType("application/json").body(TASK).post("/tasks").then()
                .statusCode(lessThan(300)).body("taskId", notNullValue());
        WithServiceKey.given().get("/q/openapi").then().statusCode(200);
    }
}
