package io.grokstream.kafka;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * A real, secured Kafka broker ({@link TestBroker}) for a Quarkus test, shared by every service's tests:
 * {@code @WithTestResource(KafkaBrokerResource.class)}. It hands the application {@code kafka.bootstrap.servers} and
 * every user's password as {@value #PASSWORDS}{@code <user>}; each service's {@code %test} profile names its own
 * user and password from them, so the service under test runs with exactly its production ACLs. Test fixtures that
 * play another service (a trainer publishing metrics) connect as that service: {@link #access(KafkaUser)}.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    /** The configuration prefix of the passwords handed to the application. */
    public static final String PASSWORDS = "grokstream.kafka.test-passwords.";

    private static volatile TestBroker broker;

    @Override
    public Map<String, String> start() {
        broker = TestBroker.start();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        broker.credentials().users().forEach(u -> config.put(PASSWORDS + u, broker.credentials().password(u)));
        return config;
    }

    @Override
    public void stop() {
        TestBroker b = broker;
        if (b != null) {
            b.close();
            broker = null;
        }
    }

    /** The running test broker. */
    public static TestBroker broker() {
        TestBroker b = broker;
        if (b == null) {
            throw new IllegalStateException("no test broker is running");
        }
        return b;
    }

    /** A principal's access to the running test broker. */
    public static KafkaAccess access(KafkaUser user) {
        return broker().access(user);
    }
}
