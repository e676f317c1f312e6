package io.grokstream.router;

import io.grokstream.contracts.ServiceCredential;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class HealthTest {

    @Test
    void readyOnceTheCopyLoopCopiesAsTheRoutersKafkaUser() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "not ready in 60 s");
            Thread.sleep(200);
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("kafka", "router-copy"))
                .body("checks.find { it.name == 'router-copy' }.data.state", equalTo("COPYING"))
                .body("checks.find { it.name == 'kafka' }.data.user", equalTo("router"));
    }

    @Test
    void everyRouteButTheHealthChecksNeedsTheServiceKey() {
        given().get("/q/health-ui").then().statusCode(401).body("field", equalTo(ServiceCredential.HEADER));
        given().header(ServiceCredential.HEADER, "not-the-key").get("/q/health-ui").then().statusCode(403);
    }
}
