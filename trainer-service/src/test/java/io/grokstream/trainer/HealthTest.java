package io.grokstream.trainer;

import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class HealthTest {

    @Test
    void serviceReportsUpWithTheBrokerReachable() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }
}
