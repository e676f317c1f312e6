package io.grokstream.gateway;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.TopicInitializer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires this service to Kafka: makes sure grokstream's topics exist with their configs before anything is
 * published, and produces the one idempotent {@link EventPublisher} the service writes through.
 */
@ApplicationScoped
public class KafkaTopology {

    public static final String SOURCE = "/grokstream/gateway";

    private final String bootstrapServers;

    public KafkaTopology(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @Startup
    void createTopics() {
        TopicInitializer.ensureTopics(bootstrapServers);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Produces
    @ApplicationScoped
    EventPublisher publisher() {
        return new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(bootstrapServers, "gateway")), SOURCE);
    }

    void closePublisher(@Disposes EventPublisher publisher) {
        publisher.close();
    }
}
