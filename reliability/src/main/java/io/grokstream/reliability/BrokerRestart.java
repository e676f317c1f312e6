package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.Topics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 2: stop the KRaft broker (SIGTERM) mid-run and start it again on the same data directory. Producers retry
 * (idempotent, acks=all); training completes; the views and the topic have every step exactly once.
 */
final class BrokerRestart {
    static final int STEPS = 1000;
    static final int STOP_AT = 300;
    static final int DOWN_SECONDS = 10;
    static final int SNAPSHOT_EVERY = 100;

    static void run(Reliability.Context ctx, Outcome out) {
        Training t = ctx.training();
        String id = t.submit(t.body("s2 broker restart", STEPS, 11, SNAPSHOT_EVERY, 100, false));
        JsonNode before = t.awaitStep(id, STOP_AT, 600);
        out.figure("scale", "p=23 modular addition, d_model 64, " + STEPS + " steps, snapshot every 100, metrics every "
                + Training.METRICS_EVERY + "; broker stopped with SIGTERM at step >= " + STOP_AT + ", restarted after " + DOWN_SECONDS + " s");
        out.figure("stepAtStop", before.path("step").asLong());
        long stopping = System.currentTimeMillis();
        double stop = ctx.platform().control("stop", "kafka");
        long stopped = System.currentTimeMillis();
        Reliability.log("broker stopped in %.1f s at step %d; down for %d s", stop, before.path("step").asLong(), DOWN_SECONDS);
        Api.sleep(DOWN_SECONDS * 1000L);
        long starting = System.currentTimeMillis();
        double start = ctx.platform().control("start", "kafka");
        long back = System.currentTimeMillis();
        out.figure("brokerStopSeconds", stop);
        out.figure("brokerDownSeconds", (back - stopped) / 1000.0);
        long stepAtStop = before.path("step").asLong();
        JsonNode moving = t.await(id, d -> d.path("step").asLong() > stepAtStop + Training.METRICS_EVERY
                || d.path("status").asText().equals("completed"), "progress seen by the gateway again", 300);
        out.figure("secondsFromBrokerBackToNewStepsInTheGateway", (System.currentTimeMillis() - back) / 1000.0);
        out.figure("gatewayStepThen", moving.path("step").asLong());
        JsonNode done = t.awaitCompleted(id, 900);
        out.check("training completed after the broker restart", done.path("status").asText().equals("completed"));
        out.figure("worker", done.path("worker").asText());

        JsonNode history = t.metrics(id);
        List<String> problems = Training.stepProblems(history, STEPS);
        out.figure("metricPoints", history.size());
        out.check("the gateway's metric history has every step exactly once", problems.isEmpty());
        if (!problems.isEmpty()) {
            out.note("history problems: " + problems.subList(0, Math.min(10, problems.size())));
        }
        Map<Long, Integer> published = new HashMap<>();
        int started = 0;
        for (GrokEvent e : ctx.platform().events(Topics.TRAINING)) {
            if (e instanceof StepMetrics m && m.experimentId().equals(id)) {
                published.merge(m.step(), 1, Integer::sum);
            } else if (e instanceof io.grokstream.contracts.TrainingStarted s && s.experimentId().equals(id)) {
                started++;
            }
        }
        long duplicated = published.values().stream().filter(n -> n > 1).count();
        out.figure("stepMetricsOnTopic", published.values().stream().mapToInt(Integer::intValue).sum());
        out.figure("stepsDuplicatedOnTopic", duplicated);
        out.figure("trainingStartedEvents", started);
        out.check("no StepMetrics event lost or duplicated on the topic (idempotent producer)",
                duplicated == 0 && published.size() == STEPS / Training.METRICS_EVERY);
        Map<Long, Integer> snapshots = new HashMap<>();
        ctx.platform().forEach(Topics.SNAPSHOTS, r -> {
            if (id.equals(r.key()) && r.value() != null) {
                snapshots.merge(SnapshotCodec.fromRecord(r).step(), 1, Integer::sum);
            }
        });
        out.figure("snapshotsOnTopic", snapshots.values().stream().mapToInt(Integer::intValue).sum());
        out.check("no snapshot lost or duplicated on the topic",
                snapshots.size() == STEPS / SNAPSHOT_EVERY && snapshots.values().stream().allMatch(n -> n == 1));
        long measured = awaitMeasured(ctx, id, STEPS);
        Map<String, Integer> measures = new HashMap<>();
        for (JsonNode m : ctx.api().read("/api/experiments/" + id + "/measures", Api.ADMIN)) {
            measures.merge(m.path("step").asLong() + "@" + m.path("analysisVersion").asText(), 1, Integer::sum);
        }
        out.figure("measuresInGatewayView", measures.size());
        out.figure("lastMeasuredStep", measured);
        out.check("the gateway's measures view has no step twice and reaches the last snapshot",
                measures.values().stream().allMatch(n -> n == 1) && measured >= STEPS);
        Timeline timeline = Timeline.of(ctx.platform(), id);
        long createdWhileDown = timeline.pointsBetween(stopped, starting);
        out.figure("metricsEventsCreatedWhileTheBrokerWasDown", createdWhileDown);
        if (createdWhileDown == 0) {
            out.note("no metrics event was created while the broker was down (record timestamps): the run paused"
                    + " and went on once the broker was back (chart); an outage longer than the producers' 5-minute"
                    + " delivery timeout was not tried");
        }
        out.chart("broker-restart-steps.svg", Svg.points("Scenario 2: steps over time (record creation time), broker stop and start marked",
                "seconds since training started", "step (StepMetrics on the topic)", timeline.series(), List.of(
                        new Svg.Marker((stopping - timeline.start()) / 1000.0, "broker stop"),
                        new Svg.Marker((back - timeline.start()) / 1000.0, "broker ready"))));
        for (String p : List.of("gateway", "analysis", "trainer", "trainer2", "dataset")) {
            Api.Answer health = new Api(ctx.urlOf(p)).get("/q/health/ready", null);
            out.check(p + " ready again after the broker restart", health.status() == 200);
        }
    }

    /** Waits (up to 2 minutes) until the gateway's measures view reaches {@code step}; returns its last step. */
    static long awaitMeasured(Reliability.Context ctx, String id, long step) {
        long deadline = System.currentTimeMillis() + 120_000;
        long last = -1;
        while (System.currentTimeMillis() < deadline) {
            JsonNode m = ctx.api().read("/api/experiments/" + id + "/measures", Api.ADMIN);
            last = m.size() == 0 ? -1 : m.get(m.size() - 1).path("step").asLong();
            if (last >= step) {
                break;
            }
            Api.sleep(1000);
        }
        return last;
    }
}
