package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.service.KafkaTopology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;

/**
 * Runs this process's {@link ExperimentWorker} for the application's lifetime: started once Quarkus is up (the
 * topics are there by then: {@link KafkaTopology}), closed on shutdown so running experiments are handed over, not lost.
 */
@ApplicationScoped
public class WorkerService {

    private final TrainerConfig config;
    private final EventPublisher publisher;
    private final JobFactory jobs;
    private final KafkaTopology topology;
    private volatile ExperimentWorker worker;

    public WorkerService(TrainerConfig config, EventPublisher publisher, JobFactory jobs,
                         KafkaTopology topology) {
        this.config = config;
        this.publisher = publisher;
        this.jobs = jobs;
        this.topology = topology;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        worker = new ExperimentWorker(WorkerSettings.from(config), topology.access(), publisher, jobs).start();
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
