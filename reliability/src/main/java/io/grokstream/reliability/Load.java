package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.chart.Histogram;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 7: 200 concurrent SSE subscribers (per-experiment and team streams) plus a steady REST read load on three
 * keys while 4 public experiments train at once (the queue gives both workers two each). Counts
 * dropped subscribers, errors and metric steps a subscriber missed; reports REST throughput, p50/p99 latency and SSE
 * events delivered, and a latency histogram.
 */
final class Load {
    static final int SUBSCRIBERS = 200;
    static final int EXPERIMENTS = 4;
    static final int STEPS = 3000;
    static final int REST_PER_KEY_PER_SECOND = 8;
    static final String[] KEYS = {Api.DEMO, Api.RIVAL, Api.ADMIN};

    /** One SSE subscriber's tally. */
    static final class Subscriber {
        final String path;
        volatile boolean gotState;
        volatile boolean ended;
        volatile String error;
        final AtomicInteger events = new AtomicInteger();
        final TreeSet<Long> steps = new TreeSet<>();
        volatile InputStream body;

        Subscriber(String path) {
            this.path = path;
        }
    }

    static void run(Reliability.Context ctx, Outcome out) throws Exception {
        Training t = ctx.training();
        List<String> ids = t.submitAll(EXPERIMENTS, i -> t.body("s7 load " + i, STEPS, 21 + i, 500, 500, true));
        t.awaitStep(ids.get(0), 10, 300);
        WorkerSampler workers = new WorkerSampler(ctx, List.of("trainer", "trainer2"), 500);

        volatileStop = false;
        List<Subscriber> subs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            String key = KEYS[i % KEYS.length];
            String path = i % 4 == 3 ? "/api/stream?key=" + key : "/api/experiments/" + ids.get(i % EXPERIMENTS) + "/stream?key=" + key;
            Subscriber s = new Subscriber(path);
            subs.add(s);
            Thread th = new Thread(() -> subscribe(ctx, s), "sse-" + i);
            th.setDaemon(true);
            th.start();
            Api.sleep(60); // ramp: ~16 connections/s spread over three keys' rate limits
        }
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        long stepWhenConnected = t.detail(ids.get(0)).path("step").asLong();
        Reliability.log("%d subscribers opened in %.1f s; REST load starts", SUBSCRIBERS, connectSeconds);

        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger restErrors = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        ScheduledExecutorService rest = Executors.newScheduledThreadPool(12);
        AtomicInteger n = new AtomicInteger();
        long loadStart = System.nanoTime();
        for (String key : KEYS) {
            rest.scheduleAtFixedRate(() -> {
                int k = n.getAndIncrement();
                String id = ids.get(k % EXPERIMENTS);
                String path = switch (k % 4) {
                    case 0 -> "/api/experiments";
                    case 1 -> "/api/experiments/" + id;
                    case 2 -> "/api/experiments/" + id + "/metrics?maxPoints=200";
                    default -> "/api/experiments/" + id + "/measures?maxPoints=100";
                };
                Api.Answer a = ctx.api().get(path, key);
                latencies.add(a.millis());
                limited.addAndGet(a.rateLimited());
                if (a.status() != 200) {
                    restErrors.incrementAndGet();
                }
            }, 0, 1000 / REST_PER_KEY_PER_SECOND, TimeUnit.MILLISECONDS);
        }
        for (String id : ids) {
            t.awaitCompleted(id, 900);
        }
        double trainingSeconds = (System.nanoTime() - loadStart) / 1e9;
        int requestsWhileTraining = latencies.size();
        Api.sleep(5000); // the last events reach the subscribers
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        rest.shutdownNow();
        rest.awaitTermination(60, TimeUnit.SECONDS);
        workers.close();
        volatileStop = true;
        int dropped = 0;
        int errors = 0;
        int noState = 0;
        int withGaps = 0;
        int short_ = 0;
        long events = 0;
        for (Subscriber s : subs) {
            if (s.ended) {
                dropped++;
            }
            if (s.error != null) {
                errors++;
            }
            if (!s.gotState) {
                noState++;
            }
            events += s.events.get();
            if (!s.path.startsWith("/api/stream")) {
                if (hasGap(s.steps)) {
                    withGaps++;
                }
                if (lastStep(s.steps) < STEPS) {
                    short_++;
                }
            }
            closeQuietly(s.body);
        }
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        out.figure("scale", EXPERIMENTS + " public experiments at once (p=23, d_model 64, " + STEPS
                + " steps, metrics every " + Training.METRICS_EVERY + "); " + SUBSCRIBERS + " SSE subscribers (3 of 4 per-experiment,"
                + " 1 of 4 team streams, keys demo/rival/admin); REST reads " + REST_PER_KEY_PER_SECOND + "/s on each of 3 keys");
        out.figure("experimentsTraining", EXPERIMENTS);
        out.figure("maxExperimentsRunningAtOnce", workers.maxTotal());
        out.figure("maxRunsPerWorker", workers.maxPerWorker());
        out.figure("subscribers", SUBSCRIBERS);
        out.figure("subscribersConnectSeconds", connectSeconds);
        out.figure("stepWhenAllSubscribed", stepWhenConnected);
        out.figure("trainingSecondsUnderLoad", trainingSeconds);
        out.figure("subscribersWithoutStateEvent", noState);
        out.figure("subscribersDropped", dropped);
        out.figure("subscriberErrors", errors);
        out.figure("subscribersMissingMetricSteps", withGaps);
        out.figure("subscribersNotReachingLastStep", short_);
        out.figure("sseEventsDelivered", events);
        out.figure("sseEventsPerSecond", events / loadSeconds);
        out.figure("restRequests", sorted.size());
        out.figure("restRequestsWhileTraining", requestsWhileTraining);
        out.figure("restRequestsPerSecond", sorted.size() / loadSeconds);
        out.figure("restErrors", restErrors.get());
        out.figure("restRateLimitedAndRetried", limited.get());
        out.figure("restLatencyP50Millis", percentile(sorted, 0.50));
        out.figure("restLatencyP99Millis", percentile(sorted, 0.99));
        out.figure("restLatencyMaxMillis", sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
        out.check("the 4 experiments trained at the same time (sampled from the workers)", workers.maxTotal() == EXPERIMENTS);
        out.check("every subscriber got its state event", noState == 0);
        out.check("no subscriber dropped or failed", dropped == 0 && errors == 0);
        out.check("no per-experiment subscriber missed a metric step, and each saw the last one",
                withGaps == 0 && short_ == 0);
        out.check("no REST error", restErrors.get() == 0 && !sorted.isEmpty());
        double p99 = percentile(sorted, 0.99);
        out.chart("load-latency.svg", Histogram.of("Scenario 7: REST latency under load (" + sorted.size() + " requests, p50 "
                        + Math.round(percentile(sorted, 0.5)) + " ms, p99 " + Math.round(p99) + " ms)", "milliseconds",
                "requests", sorted, 40, Math.max(10, p99 * 1.5)).render());
    }

    private static volatile boolean volatileStop;

    private static void subscribe(Reliability.Context ctx, Subscriber s) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(ctx.api().base + s.path)).build();
            HttpResponse<InputStream> r = ctx.api().http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            s.body = r.body();
            if (r.statusCode() != 200) {
                s.error = "HTTP " + r.statusCode();
                return;
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String event = null;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        s.events.incrementAndGet();
                        if ("state".equals(event)) {
                            s.gotState = true;
                        } else if ("metrics".equals(event)) {
                            JsonNode m = Api.JSON.readTree(line.substring(5));
                            synchronized (s.steps) {
                                s.steps.add(m.path("step").asLong());
                            }
                        }
                    }
                }
            }
            if (!volatileStop) {
                s.ended = true;
            }
        } catch (Exception e) {
            if (!volatileStop) {
                s.error = e.toString();
            }
        }
    }

    private static long lastStep(TreeSet<Long> steps) {
        synchronized (steps) {
            return steps.isEmpty() ? -1 : steps.last();
        }
    }

    private static boolean hasGap(TreeSet<Long> steps) {
        synchronized (steps) {
            if (steps.isEmpty()) {
                return false;
            }
            long expected = steps.first();
            for (long step : steps) {
                if (step != expected) {
                    return true;
                }
                expected += Training.METRICS_EVERY;
            }
            return false;
        }
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static void closeQuietly(InputStream in) {
        try {
            if (in != null) {
                in.close();
            }
        } catch (Exception ignored) {
            // closing
        }
    }
}
