package io.grokstream.kafka;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the client listener, on a real broker: a client that trusts the broker's certificate talks SCRAM inside
 * TLS; one that speaks plain TCP gets nothing; one that trusts another certificate fails the handshake.
 */
class TlsListenerTest {
    private static TestBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBroker.startWithTls();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Set<String> topics(KafkaAccess access) throws Exception {
        Map<String, Object> p = access.clientProperties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        try (Admin admin = Admin.create(p)) {
            return admin.listTopics().names().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientThatTrustsTheBrokersCertificateTalksScramInsideTls() throws Exception {
        KafkaAccess admin = broker.access(KafkaUser.ADMIN);
        assertTrue(admin.tls());
        assertEquals("SASL_SSL", admin.clientProperties().get("security.protocol"));
        assertTrue(topics(admin).contains(Topics.TASKS), "the provisioned topics, listed over TLS");
    }

    @Test
    void aPlainTcpClientGetsNothingFromTheTlsListener() {
        KafkaAccess tls = broker.access(KafkaUser.ADMIN);
        KafkaAccess plain = new KafkaAccess(tls.bootstrapServers(), tls.username(), tls.password());
        assertThrows(Exception.class, () -> topics(plain));
    }

    @Test
    void aClientThatTrustsAnotherCertificateFailsTheHandshake(@TempDir Path dir) {
        BrokerTls other = BrokerTls.selfSigned(dir, "localhost", "another-password");
        KafkaAccess tls = broker.access(KafkaUser.ADMIN);
        KafkaAccess wrongCa = new KafkaAccess(tls.bootstrapServers(), tls.username(), tls.password())
                .overTls(other.certificate());
        ExecutionException e = assertThrows(ExecutionException.class, () -> topics(wrongCa));
        assertTrue(e.getCause() instanceof SslAuthenticationException, "a failed handshake: " + e.getCause());
    }
}
