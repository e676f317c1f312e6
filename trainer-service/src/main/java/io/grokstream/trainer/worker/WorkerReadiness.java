package io.grokstream.trainer.worker;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the trainer: DOWN when the worker's poll loop (or its task or cancel consumer) has died, so an
 * orchestrator stops counting on it and restarts it; the group then rebalances its partitions to live workers.
 */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {
    public static final String NAME = "trainer-worker";

    private final WorkerService service;

    public WorkerReadiness(WorkerService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        return status(service.enabled(), service.worker().orElse(null));
    }

    /** UP while the worker runs (or when the worker is switched off), DOWN with the reason otherwise. */
    static HealthCheckResponse status(boolean enabled, ExperimentWorker worker) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME);
        if (!enabled) {
            return b.up().withData("worker", "disabled").build();
        }
        if (worker == null) {
            return b.down().withData("error", "worker not started").build();
        }
        b.withData("workerId", worker.workerId()).withData("activeRuns", worker.activeRuns());
        if (worker.alive()) {
            return b.up().build();
        }
        Throwable why = worker.failure();
        return b.down().withData("error", why == null ? "worker loop stopped" : why.toString()).build();
    }
}
