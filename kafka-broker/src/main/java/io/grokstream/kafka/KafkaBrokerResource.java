package io.grokstream.kafka;

import io.grokstream.contracts.TopicInitializer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

import java.util.Map;

/**
 * A real Kafka broker (KRaft, random ports) inside the test JVM, with grokstream's topics created by
 * {@link TopicInitializer}, shared by every service's tests:
 * {@code @WithTestResource(KafkaBrokerResource.class)}. Tests talk to it over a real connection.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = startBroker();
        return Map.of("kafka.bootstrap.servers", broker.getAdvertisedListeners());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Starts a broker outside Quarkus (plain JUnit tests); the caller closes it. */
    public static EmbeddedKafkaBroker startBroker() {
        EmbeddedKafkaBroker b = new EmbeddedKafkaBroker()
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(p -> p.putAll(BrokerSettings.commonProperties()))
                .start();
        ShareFeature.ensure(b.getAdvertisedListeners());
        TopicInitializer.ensureTopics(b.getAdvertisedListeners());
        return b;
    }
}
