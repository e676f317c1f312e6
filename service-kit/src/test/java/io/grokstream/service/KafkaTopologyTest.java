package io.grokstream.service;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a service's configuration names its Kafka user (the test broker and `up` rely on these rules). */
class KafkaTopologyTest {
    static final String SERVERS = "localhost:9092";

    @Test
    void withoutAUserTheServiceConnectsUnauthenticated() {
        KafkaAccess a = KafkaTopology.access(SERVERS, Optional.empty(), Optional.empty(), Optional.empty());
        assertFalse(a.secured());
        assertFalse(a.clientProperties().containsKey("sasl.jaas.config"));
    }

    @Test
    void aPasswordFileIsReadAndTrimmedAndNeverPrinted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("trainer.password"), "s3cret\n");
        KafkaAccess a = KafkaTopology.access(SERVERS, Optional.of("trainer"), Optional.empty(),
                Optional.of(file.toString()));
        assertEquals("s3cret", a.password());
        assertEquals("SCRAM-SHA-512", a.clientProperties().get("sasl.mechanism"));
        assertTrue(String.valueOf(a.clientProperties().get("sasl.jaas.config")).contains("username=\"trainer\""));
        assertFalse(a.toString().contains("s3cret"), a.toString());
    }

    @Test
    void aPasswordGivenDirectlyWinsOverTheFile() {
        KafkaAccess a = KafkaTopology.access(SERVERS, Optional.of("gateway"), Optional.of("direct"),
                Optional.of("/no/such/file"));
        assertEquals("direct", a.password());
    }

    @Test
    void aUserWithoutPasswordAndAPasswordWithoutUserAreRefused() {
        IllegalStateException noPassword = assertThrows(IllegalStateException.class, () -> KafkaTopology.access(
                SERVERS, Optional.of("dataset"), Optional.empty(), Optional.empty()));
        assertTrue(noPassword.getMessage().contains("dataset has no grokstream.kafka.password"), noPassword.getMessage());
        assertThrows(IllegalStateException.class, () -> KafkaTopology.access(SERVERS, Optional.empty(),
                Optional.of("orphan"), Optional.empty()));
    }

    @Test
    void aServiceIsThePrincipalItsApplicationNameSays() {
        assertEquals(KafkaUser.TRAINER, new KafkaTopology(SERVERS, "grokstream-trainer-service", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()).user());
        assertEquals(KafkaUser.GATEWAY, new KafkaTopology(SERVERS, "grokstream-gateway", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()).user());
        assertEquals(KafkaUser.ROUTER, new KafkaTopology(SERVERS, "grokstream-router-service", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()).user());
    }

    @Test
    void aTruststoreFileTurnsTheConnectionIntoSaslOverTls(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        Path password = Files.writeString(dir.resolve("password"), "pw");
        KafkaTopology topology = new KafkaTopology(SERVERS, "grokstream-trainer-service", Optional.of("trainer"),
                Optional.empty(), Optional.of(password.toString()), Optional.of(ca.toString()));
        Map<String, Object> p = topology.access().clientProperties();
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("PEM", p.get("ssl.truststore.type"));
        assertEquals(ca.toAbsolutePath().toString(), p.get("ssl.truststore.location"));
        assertEquals("SASL_PLAINTEXT", KafkaTopology.access(SERVERS, Optional.of("trainer"), Optional.of("pw"),
                Optional.empty()).clientProperties().get("security.protocol"));
        assertThrows(IllegalArgumentException.class, () -> new KafkaTopology(SERVERS, "grokstream-trainer-service",
                Optional.of("trainer"), Optional.of("pw"), Optional.empty(), Optional.of(dir.resolve("none").toString())));
    }
}
