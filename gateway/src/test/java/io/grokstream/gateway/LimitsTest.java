package io.grokstream.gateway;

import io.grokstream.contracts.Topics;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static io.grokstream.gateway.Fixtures.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@TestProfile(LimitsTest.Tight.class)
class LimitsTest {

    /** A small body limit and a bucket of 5 requests refilled at one per 100 s. */
    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("grokstream.gateway.max-body-bytes", "2048",
                    "grokstream.gateway.rate-limit.capacity", "5",
                    "grokstream.gateway.rate-limit.refill-per-second", "0.01");
        }
    }

    @Test
    void oversizedBodyIsRefusedWith413AndNothingPublished() {
        long before = Fixtures.endOffsets(Topics.EXPERIMENTS);
        String big = "{\"name\": \"" + "x".repeat(4000) + "\"}";
        as(RIVAL).body(big).post("/api/experiments").then().statusCode(413).body("field", equalTo("body"))
                .body("error", containsString("exceeds the limit of 2048 bytes"));
        assertEquals(before, Fixtures.endOffsets(Topics.EXPERIMENTS));
    }

    @Test
    void requestsBeyondTheBucketAreRefusedWith429PerKey() {
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 8; i++) {
            int status = as(DEMO).get("/api/tasks").statusCode();
            if (status == 200) {
                ok++;
            } else {
                assertEquals(429, status);
                limited++;
            }
        }
        assertEquals(5, ok, "the bucket holds five tokens");
        assertEquals(3, limited);
        as(DEMO).get("/api/tasks").then().statusCode(429).body("error", containsString("rate limit"))
                .header("Retry-After", equalTo("100"));
        // another key has its own bucket
        as(Fixtures.ADMIN).get("/api/tasks").then().statusCode(200);
    }
}
