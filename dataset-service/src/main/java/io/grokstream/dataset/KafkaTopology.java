package io.grokstream.dataset;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.TopicInitializer;
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

    static final String SOURCE = "/grokstream/dataset-service";

    private final String bootstrapServers;

    public KafkaTopology(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Creates grokstream's topics (idempotent); {@link DatasetStartup} calls it first. */
    public void createTopics() {
        TopicInitializer.ensureTopics(bootstrapServers);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Produces
    @ApplicationScoped
    EventPublisher publisher() {
        return new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(bootstrapServers, "dataset-service")), SOURCE);
    }

    void closePublisher(@Disposes EventPublisher publisher) {
        publisher.close();
    }
}
