package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Submitting small experiments (modular addition mod 23, a small one-layer model) and waiting on them through the
 * gateway, with progress lines. Every scenario that trains uses these settings, so runs are comparable.
 */
final class Training {
    /** The task: modular addition mod 23, half the pairs for training. */
    static final String TASK = "{\"kind\": \"modular\", \"parameters\": {\"p\": 23, \"trainFraction\": 0.5}}";
    static final int METRICS_EVERY = 10;

    private final Api api;
    private String taskId;

    Training(Api api) {
        this.api = api;
    }

    /** An experiment body: the small model, {@code maxSteps}, seed, snapshot and checkpoint cadence. */
    ObjectNode body(String name, int maxSteps, int seed, int snapshotEvery, int checkpointEvery, boolean isPublic) {
        ObjectNode b = Api.JSON.createObjectNode();
        b.put("name", name);
        try {
            if (taskId == null) {
                b.set("task", Api.JSON.readTree(TASK));
            } else {
                b.put("taskId", taskId);
            }
            b.set("model", Api.JSON.readTree("{\"dModel\": 64, \"nHeads\": 4, \"dHead\": 16, \"dMlp\": 256}"));
            b.set("optimizer", Api.JSON.readTree("{\"lr\": 0.003, \"weightDecay\": 1.0}"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        b.putObject("budget").put("maxSteps", maxSteps);
        b.put("seed", seed);
        b.putObject("cadence").put("metricsEvery", METRICS_EVERY).put("snapshotEvery", snapshotEvery)
                .put("snapshotEveryEarly", snapshotEvery).put("earlySteps", 0).put("checkpointEvery", checkpointEvery);
        b.put("public", isPublic);
        return b;
    }

    /** Submits as demo; returns the experiment id. */
    String submit(ObjectNode body) {
        Api.Answer a = api.post("/api/experiments", Api.DEMO, body.toString());
        if (a.status() != 201) {
            throw new IllegalStateException("submit answered " + a.status() + ": " + a.body());
        }
        JsonNode detail = a.json();
        if (taskId == null) {
            taskId = detail.path("taskId").asText();
        }
        Reliability.log("submitted %s (%s)", detail.path("experimentId").asText(), body.path("name").asText());
        return detail.path("experimentId").asText();
    }

    /**
     * Submits {@code n} experiments. The trainers take them from a queue (a Kafka share group over a one-partition
     * topic), so they train at once on any free slots whatever their ids.
     */
    List<String> submitAll(int n, IntFunction<ObjectNode> body) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(submit(body.apply(i)));
        }
        return ids;
    }

    void cancel(String id, String reason) {
        Api.Answer a = api.post("/api/experiments/" + id + "/cancel", Api.DEMO,
                Api.JSON.createObjectNode().put("reason", reason).toString());
        if (a.status() != 202) {
            throw new IllegalStateException("cancel " + id + " answered " + a.status() + ": " + a.body());
        }
        Reliability.log("cancelled %s (%s)", id, reason);
    }

    /** An experiment detail's status, or null for a word this driver does not know. */
    static ExperimentStatus status(JsonNode detail) {
        return ExperimentStatus.of(detail.path("status").asText()).orElse(null);
    }

    JsonNode detail(String id) {
        return api.read("/api/experiments/" + id, Api.ADMIN);
    }

    /** Polls the detail until {@code done} holds, logging step, rate and ETA; fails after {@code seconds}. */
    JsonNode await(String id, Predicate<JsonNode> done, String what, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        long lastLog = 0;
        while (true) {
            JsonNode d;
            try {
                d = detail(id);
            } catch (RuntimeException e) {
                d = null; // the gateway restarting or the broker away: ask again
            }
            if (d != null && done.test(d)) {
                return d;
            }
            if (d != null && status(d) != ExperimentStatus.RUNNING && status(d) != ExperimentStatus.SUBMITTED
                    && !done.test(d)) {
                throw new IllegalStateException(id + " ended " + d.path("status").asText() + " (" + d.path("endReason").asText()
                        + ") while waiting for " + what);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(id + " not " + what + " within " + seconds + " s: " + (d == null ? "no answer" : d.path("status").asText() + " step " + d.path("step").asText()));
            }
            if (System.currentTimeMillis() - lastLog > 10_000 && d != null) {
                lastLog = System.currentTimeMillis();
                Reliability.log("  %s %s step %s/%s, %s steps/s, ETA %s s (waiting: %s)", id, d.path("status").asText(),
                        d.path("step").asText(), d.path("maxSteps").asText(), fmt(d.path("stepsPerSecond")),
                        fmt(d.path("etaSeconds")), what);
            }
            Api.sleep(500);
        }
    }

    JsonNode awaitStep(String id, long step, int seconds) {
        return await(id, d -> d.path("step").asLong() >= step || status(d) == ExperimentStatus.COMPLETED,
                "at step " + step, seconds);
    }

    JsonNode awaitCompleted(String id, int seconds) {
        return await(id, d -> status(d) == ExperimentStatus.COMPLETED, "completed", seconds);
    }

    /** The gateway's metric history (every point). */
    JsonNode metrics(String id) {
        return api.read("/api/experiments/" + id + "/metrics", Api.ADMIN);
    }

    /** Steps of the metric history that are missing or repeated against every METRICS_EVERY-th step up to maxSteps. */
    static List<String> stepProblems(JsonNode metrics, long maxSteps) {
        List<String> problems = new ArrayList<>();
        long expected = METRICS_EVERY;
        for (JsonNode point : metrics) {
            long step = point.path("step").asLong();
            if (step < expected) {
                problems.add("step " + step + " again");
                continue;
            }
            while (expected < step) {
                problems.add("step " + expected + " missing");
                expected += METRICS_EVERY;
            }
            expected += METRICS_EVERY;
        }
        while (expected <= maxSteps) {
            problems.add("step " + expected + " missing");
            expected += METRICS_EVERY;
        }
        return problems;
    }

    private static String fmt(JsonNode n) {
        return n.isNumber() ? String.format("%.1f", n.asDouble()) : "-";
    }
}
