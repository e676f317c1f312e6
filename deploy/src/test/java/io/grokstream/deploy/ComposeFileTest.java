package io.grokstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single-host deployment (docker-compose.yml) holds the cluster's invariants where they apply: only the gateway
 * (and Kafka's SCRAM listener) published, every secret in a file and none inline, every service health-checked,
 * each service its own Kafka user and password file. CI also runs {@code docker-compose config -q} on it.
 */
class ComposeFileTest {
    private final JsonNode compose = Manifests.documents(Manifests.read(Manifests.REPOSITORY.resolve("docker-compose.yml")))
            .get(0);

    private Map<String, JsonNode> services() {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        compose.path("services").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Test
    void onlyTheGatewayAndKafkasAuthenticatedListenerArePublished() {
        List<String> published = new ArrayList<>();
        services().forEach((name, s) -> {
            if (s.has("ports")) {
                published.add(name);
            }
        });
        assertEquals(List.of("kafka", "gateway"), published);
        assertEquals("9092:9092", services().get("kafka").path("ports").get(0).asText());
    }

    @Test
    void everySecretIsAFileAndNoneIsInline() {
        compose.path("secrets").fields().forEachRemaining(e ->
                assertTrue(e.getValue().has("file"), "secret " + e.getKey() + " comes from a file"));
        services().forEach((name, s) -> s.path("environment").fields().forEachRemaining(e -> {
            String value = e.getValue().asText();
            if (ServicePolicyTest.SECRET_NAME.matcher(e.getKey()).matches()) {
                assertTrue(value.startsWith("${"), name + " sets " + e.getKey() + " inline");
            }
        }));
    }

    @Test
    void everyServiceIsHealthCheckedAndUsesItsOwnKafkaUser() {
        services().forEach((name, s) -> {
            if (!name.equals("kafka-setup")) {
                assertTrue(s.has("healthcheck"), name + " is health-checked");
            }
            JsonNode user = s.path("environment").path("GROKSTREAM_KAFKA_USERNAME");
            if (!user.isMissingNode()) {
                String secret = "kafka-" + user.asText();
                assertEquals("/run/secrets/" + secret, s.path("environment").path("GROKSTREAM_KAFKA_PASSWORD_FILE").asText());
                List<String> secrets = new ArrayList<>();
                s.path("secrets").forEach(n -> secrets.add(n.asText()));
                assertTrue(secrets.contains(secret) && secrets.contains("service-key"), name + ": " + secrets);
                assertFalse(secrets.stream().anyMatch(x -> x.startsWith("kafka-") && !x.equals(secret)),
                        name + " sees another service's Kafka password");
            }
        });
    }
}
