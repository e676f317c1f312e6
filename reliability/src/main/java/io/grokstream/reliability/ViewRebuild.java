package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Scenario 3: the gateway restarted rebuilds views equal to the ones before (every experiment's detail, metrics,
 * measures and checkpoints); the analysis service stopped mid-run and started again resumes from its committed
 * offsets: a record read before the stop is not read again, no snapshot is measured twice, every snapshot it sheds
 * while catching up (by design) is declared in a later measure, it reads the topic to its end, and a replay
 * afterwards measures the shed ones.
 */
final class ViewRebuild {
    static final int STEPS = 1000;
    static final int SNAPSHOT_EVERY = 50;
    static final int STOP_AT = 300;
    static final int RESTART_AT = 600;
    /** The analysis service's live consumer group (grokstream.analysis.group). */
    static final String ANALYSIS_GROUP = "analysis-service";
    /** The consumer name the analysis service's live consumer writes into its dead letters. */
    static final String LIVE_CONSUMER = "analysis-service/snapshots";

    static void run(Reliability.Context ctx, Outcome out) {
        gateway(ctx, out);
        analysis(ctx, out);
    }

    private static void gateway(Reliability.Context ctx, Outcome out) {
        Map<String, String> before = views(ctx);
        double stop = ctx.platform().control("stop", "gateway");
        double start = ctx.platform().control("start", "gateway");
        out.figure("gatewayRestartSeconds", stop + start);
        Map<String, String> after = views(ctx);
        List<String> differ = new ArrayList<>();
        before.forEach((k, v) -> {
            if (!v.equals(after.get(k))) {
                differ.add(k);
            }
        });
        out.figure("viewsCompared", before.size());
        out.figure("viewBytesCompared", before.values().stream().mapToInt(String::length).sum());
        out.check("every gateway view after the restart equals the view before", differ.isEmpty() && before.size() == after.size());
        if (!differ.isEmpty()) {
            out.note("views that differ: " + differ);
        }
    }

    /** Every view the gateway serves about every experiment, as admin. */
    private static Map<String, String> views(Reliability.Context ctx) {
        Api api = ctx.api();
        Map<String, String> views = new LinkedHashMap<>();
        JsonNode list = api.read("/api/experiments", Api.ADMIN);
        views.put("list", list.toString());
        for (JsonNode e : list) {
            String id = e.path("experimentId").asText();
            for (String v : List.of("", "/metrics", "/measures", "/checkpoints")) {
                views.put(id + v, api.read("/api/experiments/" + id + v, Api.ADMIN).toString());
            }
        }
        views.put("tasks", api.read("/api/tasks", Api.ADMIN).toString());
        return views;
    }

    private static void analysis(Reliability.Context ctx, Outcome out) {
        Training t = ctx.training();
        String id = t.submit(t.body("s3 analysis restart", STEPS, 13, SNAPSHOT_EVERY, 100, false));
        // an unreadable record the live consumer reads (and dead-letters) before the stop: read again after the
        // restart only if the new consumer ignored the group's committed offsets
        String marker = "s3-read-once-" + System.currentTimeMillis();
        ctx.platform().publish(List.of(new ProducerRecord<>(Topics.SNAPSHOTS, null, marker,
                "not a safetensors file".getBytes(StandardCharsets.UTF_8), new RecordHeaders())));
        long stoppedAt = t.awaitStep(id, STOP_AT, 600).path("step").asLong();
        awaitLiveDeadLetters(ctx, marker, 1);
        ctx.platform().control("stop", "analysis");
        long measuredBeforeStop = steps(measured(ctx, id)).stream().mapToLong(Long::longValue).max().orElse(-1);
        t.awaitStep(id, RESTART_AT, 600);
        double start = ctx.platform().control("start", "analysis");
        long readyAt = t.detail(id).path("step").asLong(); // the restarted consumer runs from about here on
        out.figure("scale", "p=23 modular addition, d_model 64, " + STEPS + " steps, a snapshot every " + SNAPSHOT_EVERY
                + "; analysis stopped (SIGTERM) at step >= " + STOP_AT + ", started again at step >= " + RESTART_AT);
        out.figure("analysisStoppedAtStep", stoppedAt);
        out.figure("lastStepMeasuredBeforeStop", measuredBeforeStop);
        out.figure("analysisReadyAgainAtStep", readyAt);
        out.figure("analysisStartSeconds", start);
        t.awaitCompleted(id, 900);
        BrokerRestart.awaitMeasured(ctx, id, STEPS);

        Map<String, Integer> measured = measured(ctx, id);
        TreeSet<Long> measuredSteps = steps(measured);
        TreeSet<Long> snapshots = snapshotSteps(ctx, id);
        long duplicates = measured.values().stream().filter(n -> n > 1).count();
        TreeSet<Long> shed = new TreeSet<>(snapshots);
        shed.removeAll(measuredSteps);
        long declared = skippedDeclared(ctx, id);
        int markerReads = awaitLiveDeadLetters(ctx, marker, 1);
        out.figure("snapshots", snapshots.size());
        out.figure("snapshotsMeasuredLive", measuredSteps.size());
        out.figure("measuredTwice", duplicates);
        out.figure("shedInTheOutageBacklog", shed.stream().filter(st -> st <= readyAt).count());
        out.figure("shedWhileCatchingUpAfterReady", shed.stream().filter(st -> st > readyAt).count());
        out.figure("shedDeclaredInMeasures", declared);
        out.figure("recordBeforeTheStopReadByTheLiveConsumer", markerReads + " time(s)");
        out.check("analysis measured snapshots before the stop and after the restart",
                measuredSteps.stream().anyMatch(st -> st <= stoppedAt) && measuredSteps.stream().anyMatch(st -> st > readyAt));
        out.check("no snapshot measured twice (experiment, step, version) after the restart", duplicates == 0);
        out.check("the restarted consumer did not read again a record it had committed before the stop", markerReads == 1);
        out.check("no silent gap: every snapshot not measured live is declared shed (skippedSnapshots of a later measure)",
                declared == shed.size());
        Map<Integer, Long> end = ctx.platform().endOffsetsByPartition(Topics.SNAPSHOTS);
        end.values().removeIf(offset -> offset == 0); // an empty partition has nothing to commit
        Map<Integer, Long> committed = awaitCommitted(ctx, end);
        out.figure("snapshotEndOffsets", end);
        out.figure("analysisCommittedOffsets", committed);
        out.check("the restarted consumer read the topic to its end (committed offsets = end offsets)", committed.equals(end));
        if (!shed.isEmpty()) {
            out.note("the live consumer analyses only the newest snapshot per experiment of a batch when several wait"
                    + " (bounded catch-up, by design): after the restart it shed " + shed + " (the backlog of the outage,"
                    + " and snapshots that arrived while it caught up) and said so in the next measure's skippedSnapshots;"
                    + " POST /admin/replay measures them, below");
        }
        replay(ctx, out, id, snapshots);
        ctx.remember("s3", id);
    }

    /** How many times the live consumer dead-lettered {@code key}, once at least {@code n} (or after 60 s). */
    private static int awaitLiveDeadLetters(Reliability.Context ctx, String key, int n) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            int[] count = {0};
            ctx.platform().forEach(Topics.DEADLETTER, r -> {
                if (key.equals(r.key()) && CloudEvents.get(r.headers(), DeadLetters.CONSUMER).orElse("").equals(LIVE_CONSUMER)) {
                    count[0]++;
                }
            });
            if (count[0] >= n || System.currentTimeMillis() > deadline) {
                return count[0];
            }
            Api.sleep(500);
        }
    }

    private static TreeSet<Long> steps(Map<String, Integer> measured) {
        TreeSet<Long> steps = new TreeSet<>();
        measured.keySet().forEach(k -> steps.add(Long.parseLong(k.split("@")[0])));
        return steps;
    }

    /** POST /admin/replay on the analysis service fills what the live consumer shed; nothing is measured twice. */
    private static void replay(Reliability.Context ctx, Outcome out, String id, TreeSet<Long> snapshots) {
        Api analysis = new Api(ctx.urlOf("analysis"));
        Api.Answer started = analysis.post("/admin/replay", null, "{}");
        out.figure("replayAnswer", started.status());
        JsonNode state = null;
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            state = analysis.read("/admin/replay", null);
            if (!state.path("state").asText().equals("running")) {
                break;
            }
            Api.sleep(1000);
        }
        out.figure("replay", state == null ? "no answer" : Map.of("state", state.path("state").asText(),
                "analysed", state.path("analysed").asInt(), "alreadyMeasured", state.path("alreadyMeasured").asInt(),
                "records", state.path("records").asLong()));
        Map<String, Integer> measured = measured(ctx, id);
        TreeSet<Long> steps = steps(measured);
        out.check("after a replay every snapshot of the run is measured, none twice",
                state != null && state.path("state").asText().equals("done") && steps.equals(snapshots)
                        && measured.values().stream().allMatch(n -> n == 1));
    }

    /** Published measures of an experiment: "step@version" to how many times. */
    private static Map<String, Integer> measured(Reliability.Context ctx, String id) {
        Map<String, Integer> out = new HashMap<>();
        for (GrokEvent e : ctx.platform().events(Topics.MEASURES)) {
            if (e instanceof ProgressMeasured m && m.experimentId().equals(id)) {
                out.merge(m.step() + "@" + m.analysisVersion(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The sum of skippedSnapshots over an experiment's measures. */
    private static long skippedDeclared(Reliability.Context ctx, String id) {
        long sum = 0;
        for (GrokEvent e : ctx.platform().events(Topics.MEASURES)) {
            if (e instanceof ProgressMeasured m && m.experimentId().equals(id)) {
                sum += m.skippedSnapshots();
            }
        }
        return sum;
    }

    private static TreeSet<Long> snapshotSteps(Reliability.Context ctx, String id) {
        TreeSet<Long> steps = new TreeSet<>();
        ctx.platform().forEach(Topics.SNAPSHOTS, r -> {
            if (id.equals(r.key()) && r.value() != null) {
                steps.add(SnapshotCodec.fromRecord(r).step());
            }
        });
        return steps;
    }

    /** The analysis group's committed offsets once they reach {@code end} (or after 20 s). */
    private static Map<Integer, Long> awaitCommitted(Reliability.Context ctx, Map<Integer, Long> end) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            Map<Integer, Long> committed = ctx.platform().committedOffsets(ANALYSIS_GROUP, Topics.SNAPSHOTS);
            if (committed.equals(end) || System.currentTimeMillis() > deadline) {
                return committed;
            }
            Api.sleep(500);
        }
    }
}
