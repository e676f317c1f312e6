package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples how many experiments each trainer process runs at once, from the worker's own count (the
 * {@code activeRuns} of its readiness check: runs in its pool, not the gateway's view, which can lag across
 * partitions). Gives the most each worker ran and the most all ran together.
 */
final class WorkerSampler implements AutoCloseable {
    private final Map<String, Api> workers;
    private final Map<String, Integer> maxPerWorker = new ConcurrentHashMap<>();
    private final AtomicInteger maxTotal = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker-sampler");
        t.setDaemon(true);
        return t;
    });

    /** Starts sampling the named trainer processes every {@code periodMillis}. */
    WorkerSampler(Reliability.Context ctx, List<String> names, long periodMillis) {
        this.workers = new ConcurrentHashMap<>();
        for (String n : names) {
            workers.put(n, new Api(ctx.urlOf(n)));
        }
        timer.scheduleAtFixedRate(this::sample, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        int total = 0;
        for (Map.Entry<String, Api> w : workers.entrySet()) {
            Api.Answer a = w.getValue().get("/q/health/ready", null);
            if (a.status() != 200) {
                continue; // stopped or restarting: runs nothing
            }
            for (JsonNode check : a.json().path("checks")) {
                JsonNode runs = check.path("data").path("activeRuns");
                if (runs.isInt()) {
                    maxPerWorker.merge(w.getKey(), runs.asInt(), Math::max);
                    total += runs.asInt();
                }
            }
        }
        maxTotal.accumulateAndGet(total, Math::max);
        samples.incrementAndGet();
    }

    Map<String, Integer> maxPerWorker() {
        return Map.copyOf(maxPerWorker);
    }

    int maxTotal() {
        return maxTotal.get();
    }

    int samples() {
        return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
