package io.grokstream.service;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.TopicInitializer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Wires a service to Kafka, the same way in every service: who it is on the broker ({@link #access()}: its SCRAM user
 * {@code grokstream.kafka.username} with {@code grokstream.kafka.password} or {@code grokstream.kafka.password-file},
 * env {@code GROKSTREAM_KAFKA_USERNAME}, {@code GROKSTREAM_KAFKA_PASSWORD_FILE}); that grokstream's topics exist
 * before anything is published (on the secured broker the provisioner creates them and the service waits for
 * them; on an unsecured cluster, with no user, the service creates them); and the one idempotent
 * {@link EventPublisher} the service writes through. The service is named by its {@code quarkus.application.name}
 * without the {@value #APPLICATION_PREFIX} prefix ({@code trainer-service}, {@code gateway}, ...): the producer's
 * client id and the CloudEvents source ({@code /grokstream/trainer-service}).
 */
@ApplicationScoped
public class KafkaTopology {
    /** What every service's application name starts with. */
    static final String APPLICATION_PREFIX = "grokstream-";
    /** How long a service waits at start-up for the provisioner's topics. */
    static final Duration TOPICS_WAIT = Duration.ofMinutes(2);

    private final KafkaAccess access;
    private final String service;

    public KafkaTopology(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                         @ConfigProperty(name = "quarkus.application.name") String application,
                         @ConfigProperty(name = "grokstream.kafka.username") Optional<String> username,
                         @ConfigProperty(name = "grokstream.kafka.password") Optional<String> password,
                         @ConfigProperty(name = "grokstream.kafka.password-file") Optional<String> passwordFile,
                         @ConfigProperty(name = "grokstream.kafka.truststore-file") Optional<String> truststoreFile) {
        this.service = application.startsWith(APPLICATION_PREFIX)
                ? application.substring(APPLICATION_PREFIX.length()) : application;
        KafkaAccess plain = access(bootstrapServers, username, password, passwordFile);
        // TLS to the brokers when their CA is given (GROKSTREAM_KAFKA_TRUSTSTORE_FILE, a cluster's Strimzi CA)
        this.access = truststoreFile.map(Path::of).map(plain::overTls).orElse(plain);
    }

    /**
     * @throws IllegalStateException when a user is named without a password, or a password without a user
     */
    static KafkaAccess access(String bootstrapServers, Optional<String> username, Optional<String> password,
                              Optional<String> passwordFile) {
        if (username.isEmpty()) {
            if (password.isPresent() || passwordFile.isPresent()) {
                throw new IllegalStateException("grokstream.kafka.password is set but grokstream.kafka.username is not");
            }
            return KafkaAccess.anonymous(bootstrapServers);
        }
        if (password.isPresent()) {
            return KafkaAccess.scram(bootstrapServers, username.get(), password.get());
        }
        return KafkaAccess.scram(bootstrapServers, username.get(), Path.of(passwordFile.orElseThrow(() ->
                new IllegalStateException("Kafka user " + username.get() + " has no grokstream.kafka.password or "
                        + "grokstream.kafka.password-file"))));
    }

    /**
     * Before the application's own start-up observers (the library priority), so its consumers and publishers find
     * the topics: waits for them on the secured broker, creates them (idempotent) on an unsecured one.
     */
    @Startup(Interceptor.Priority.LIBRARY_BEFORE)
    void createTopics() {
        if (access.secured()) {
            TopicInitializer.awaitTopics(access, user(), TOPICS_WAIT);
        } else {
            TopicInitializer.ensureTopics(access);
        }
    }

    /** Where and as whom this service connects. */
    public KafkaAccess access() {
        return access;
    }

    /** This service's principal ({@code trainer-service} is {@link KafkaUser#TRAINER}). */
    public KafkaUser user() {
        return KafkaUser.valueOf(service.replace("-service", "").toUpperCase(Locale.ROOT));
    }

    /** The CloudEvents source of this service's records. */
    public String source() {
        return "/grokstream/" + service;
    }

    @Produces
    @ApplicationScoped
    EventPublisher publisher() {
        return new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(access, service)), source());
    }

    void closePublisher(@Disposes EventPublisher publisher) {
        publisher.close();
    }
}
