package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.chart.SvgChart;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.Topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scenarios 2 and 10: stop the KRaft broker (SIGTERM) mid-run and start it again on the same data directory after a
 * short (10 s) or a long (7 minutes) outage. Producers retry (idempotent, acks=all, a delivery timeout of an hour);
 * the run stops stepping at its next checkpoint until its records are on the broker; training completes; the views
 * have every step once and nothing is lost on the topics.
 *
 * <p>A broker back within the queue's acquisition lock (15 s, its own restart included) leaves the run on its slot,
 * and no step is published twice. A longer outage lets the lock lapse: the slot hands the run over, and once the
 * broker is back a slot takes the experiment again from its last checkpoint, so the steps since that checkpoint may
 * be published a second time, with identical values (the views keep one point per step).
 */
final class BrokerRestart {
    static final int STEPS = 1000;
    static final int STOP_AT = 300;
    static final int SNAPSHOT_EVERY = 100;
    static final int CHECKPOINT_EVERY = 100;

    /** The scenario body for an outage of {@code downSeconds}. */
    static Reliability.Body outage(int downSeconds, String name, int seed) {
        return (ctx, out) -> run(ctx, out, downSeconds, name, seed);
    }

    private static void run(Reliability.Context ctx, Outcome out, int downSeconds, String name, int seed) {
        Training t = ctx.training();
        String id = t.submit(t.body(name, STEPS, seed, SNAPSHOT_EVERY, CHECKPOINT_EVERY, false));
        JsonNode before = t.awaitStep(id, STOP_AT, 600);
        out.figure("scale", "p=23 modular addition, d_model 64, " + STEPS + " steps, snapshot every 100, metrics every "
                + Training.METRICS_EVERY + ", checkpoint every " + CHECKPOINT_EVERY + "; broker stopped with SIGTERM at step >= "
                + STOP_AT + ", restarted after " + downSeconds + " s");
        out.figure("stepAtStop", before.path("step").asLong());
        long stopping = System.currentTimeMillis();
        double stop = ctx.platform().control("stop", "kafka");
        long stopped = System.currentTimeMillis();
        Reliability.log("broker stopped in %.1f s at step %d; down for %d s", stop, before.path("step").asLong(), downSeconds);
        sleepLogging(downSeconds);
        long starting = System.currentTimeMillis();
        double start = ctx.platform().control("start", "kafka");
        long back = System.currentTimeMillis();
        out.figure("brokerStopSeconds", stop);
        out.figure("brokerDownSeconds", (back - stopped) / 1000.0);
        long stepAtStop = before.path("step").asLong();
        JsonNode moving = t.await(id, d -> d.path("step").asLong() > stepAtStop + Training.METRICS_EVERY
                || Training.status(d) == ExperimentStatus.COMPLETED, "progress seen by the gateway again", 300);
        out.figure("secondsFromBrokerBackToNewStepsInTheGateway", (System.currentTimeMillis() - back) / 1000.0);
        out.figure("gatewayStepThen", moving.path("step").asLong());
        JsonNode done = t.awaitCompleted(id, 900);
        out.check("training completed after the broker restart", Training.status(done) == ExperimentStatus.COMPLETED);
        out.figure("worker", done.path("worker").asText());

        JsonNode history = t.metrics(id);
        List<String> problems = Training.stepProblems(history, STEPS);
        out.figure("metricPoints", history.size());
        out.check("the gateway's metric history has every step exactly once", problems.isEmpty());
        if (!problems.isEmpty()) {
            out.note("history problems: " + problems.subList(0, Math.min(10, problems.size())));
        }
        Map<Long, List<StepMetrics>> published = new HashMap<>();
        int started = 0;
        for (GrokEvent e : ctx.platform().events(Topics.TRAINING)) {
            if (e instanceof StepMetrics m && m.experimentId().equals(id)) {
                published.computeIfAbsent(m.step(), k -> new ArrayList<>()).add(m);
            } else if (e instanceof io.grokstream.contracts.TrainingStarted s && s.experimentId().equals(id)) {
                started++;
            }
        }
        long duplicated = published.values().stream().filter(n -> n.size() > 1).count();
        long differing = published.values().stream().filter(n -> n.stream().map(BrokerRestart::values).distinct().count() > 1).count();
        out.figure("stepMetricsOnTopic", published.values().stream().mapToInt(List::size).sum());
        out.figure("stepsPublishedTwiceOnTopic", duplicated);
        out.figure("trainingStartedEvents", started);
        out.check("no StepMetrics event lost on the topic", published.size() == STEPS / Training.METRICS_EVERY);
        out.check("a step published twice (after a hand-over) carries the same values", differing == 0);
        out.check("a step is published twice only after a hand-over", started > 1 || duplicated == 0);
        Map<Long, Integer> snapshots = new HashMap<>();
        ctx.platform().snapshotSteps(Set.of(id)).getOrDefault(id, List.of())
                .forEach(step -> snapshots.merge(step, 1, Integer::sum));
        out.figure("snapshotsOnTopic", snapshots.values().stream().mapToInt(Integer::intValue).sum());
        out.check("no snapshot lost on the topic", snapshots.size() == STEPS / SNAPSHOT_EVERY);
        out.figure("snapshotsPublishedTwiceOnTopic", snapshots.values().stream().filter(n -> n > 1).count());
        out.check("a snapshot is published twice only after a hand-over",
                started > 1 || snapshots.values().stream().allMatch(n -> n == 1));
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
        out.figure("trainingSegments", timeline.segments());
        out.check("the run stopped stepping while the broker was down (at most one checkpoint interval of steps)",
                createdWhileDown <= CHECKPOINT_EVERY / Training.METRICS_EVERY);
        if (timeline.segments() > 1) {
            out.note("the lock lapsed during the outage, so the slot handed the run over; once the broker was back "
                    + timeline.label(1) + " took it from step " + timeline.resumedFrom(1)
                    + " (the last step published before: " + timeline.lastStepBefore(1) + ")");
        }
        out.chart(name.replace(' ', '-') + "-steps.svg", timeline.plot(new SvgChart("Scenario " + out.number
                        + ": steps over time (record creation time), broker stop and start marked",
                "seconds since training started", "step (StepMetrics on the topic)").fromZero())
                .marker((stopping - timeline.start()) / 1000.0, "broker stop")
                .marker((back - timeline.start()) / 1000.0, "broker ready").render());
        for (String p : List.of("gateway", "analysis", "trainer", "trainer2", "dataset")) {
            Api.Answer health = new Api(ctx.urlOf(p)).get("/q/health/ready", null);
            out.check(p + " ready again after the broker restart", health.status() == 200);
        }
    }

    /** The values of a metrics point, without its time. */
    private static List<Double> values(StepMetrics m) {
        return List.of(m.trainLoss(), m.validationLoss(), m.trainAccuracy(), m.validationAccuracy());
    }

    private static void sleepLogging(int seconds) {
        long until = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < until) {
            long left = (until - System.currentTimeMillis()) / 1000;
            if (left % 60 == 0 || left < 5) {
                Reliability.log("  broker down, %d s of %d left", left, seconds);
            }
            Api.sleep(Math.min(1000, Math.max(1, until - System.currentTimeMillis())));
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
