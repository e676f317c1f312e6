package io.grokstream.service;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.TopicInitializer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires a service to Kafka, the same way in every service: makes sure grokstream's topics exist with their configs
 * before anything is published, and produces the one idempotent {@link EventPublisher} the service writes through.
 * The service is named by its {@code quarkus.application.name} without the {@value #APPLICATION_PREFIX} prefix
 * ({@code trainer-service}, {@code gateway}, ...): the producer's client id and the CloudEvents source
 * ({@code /grokstream/trainer-service}).
 */
@ApplicationScoped
public class KafkaTopology {
    /** What every service's application name starts with. */
    static final String APPLICATION_PREFIX = "grokstream-";

    private final String bootstrapServers;
    private final String service;

    public KafkaTopology(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                         @ConfigProperty(name = "quarkus.application.name") String application) {
        this.bootstrapServers = bootstrapServers;
        this.service = application.startsWith(APPLICATION_PREFIX)
                ? application.substring(APPLICATION_PREFIX.length()) : application;
    }

    /**
     * Creates grokstream's topics (idempotent) at start-up, before the application's own start-up observers (the
     * library priority), so a service's consumers and publishers find them.
     */
    @Startup(Interceptor.Priority.LIBRARY_BEFORE)
    void createTopics() {
        TopicInitializer.ensureTopics(bootstrapServers);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The CloudEvents source of this service's records. */
    public String source() {
        return "/grokstream/" + service;
    }

    @Produces
    @ApplicationScoped
    EventPublisher publisher() {
        return new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(bootstrapServers, service)), source());
    }

    void closePublisher(@Disposes EventPublisher publisher) {
        publisher.close();
    }
}
