package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.TopicInitializer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Runs this process's {@link ExperimentWorker} for the application's lifetime: started once Quarkus is up (after
 * making sure the topics exist), closed on shutdown so running experiments are handed over, not lost.
 */
@ApplicationScoped
public class WorkerService {

    private final TrainerConfig config;
    private final EventPublisher publisher;
    private final JobFactory jobs;
    private final String bootstrapServers;
    private volatile ExperimentWorker worker;

    public WorkerService(TrainerConfig config, EventPublisher publisher, JobFactory jobs,
                         @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.publisher = publisher;
        this.jobs = jobs;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        TopicInitializer.ensureTopics(bootstrapServers);
        worker = new ExperimentWorker(WorkerSettings.from(config), bootstrapServers, publisher, jobs).start();
    }

    void onStop(@Observes ShutdownEvent event) {
        ExperimentWorker w = worker;
        if (w != null) {
            w.close();
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The running worker, empty when disabled or not started yet. */
    public Optional<ExperimentWorker> worker() {
        return Optional.ofNullable(worker);
    }
}
