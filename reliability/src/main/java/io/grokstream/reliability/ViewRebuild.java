package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scenario 3: the gateway restarted resumes from the offsets stored with its views, and restarted with its store
 * wiped rebuilds them from the topics; both give views equal to the ones before (every experiment's detail, metrics,
 * measures and checkpoints); the analysis service stopped mid-run and started again resumes from its committed
 * offsets: a record read before the stop is not read again; it measures the backlog newest-first and then fills
 * the snapshots it skipped by itself, so every snapshot ends measured once with no replay; no gap stays open; it
 * reads the topic to its end, and a replay afterwards finds nothing left to measure.
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

    /**
     * The gateway restarted twice: first with its store (it resumes from the offsets stored with its views and
     * folds only what came meanwhile), then with its store wiped (it rebuilds from the topics, every record again);
     * both times every view equals the one before.
     */
    private static void gateway(Reliability.Context ctx, Outcome out) {
        Map<String, String> before = views(ctx);
        out.figure("viewsCompared", before.size());
        out.figure("viewBytesCompared", before.values().stream().mapToInt(String::length).sum());
        double resumed = ctx.platform().control("stop", "gateway") + ctx.platform().control("start", "gateway");
        long resumedFolded = folded(ctx);
        compare(out, before, views(ctx), "every gateway view after a restart that resumed from its store equals the view before");
        ctx.platform().control("stop", "gateway");
        ctx.platform().control("wipe", "gateway");
        double rebuilt = ctx.platform().control("start", "gateway");
        long rebuiltFolded = folded(ctx);
        compare(out, before, views(ctx), "every gateway view after a restart with its store wiped equals the view before");
        out.figure("gatewayResumedRestartSeconds", resumed);
        out.figure("recordsFoldedByTheResumedGateway", resumedFolded);
        out.figure("gatewayRebuildStartSeconds", rebuilt);
        out.figure("recordsFoldedByTheRebuiltGateway", rebuiltFolded);
        out.check("the resumed gateway read on from its stored offsets (" + resumedFolded + " records folded) instead of "
                + "refolding the topics (" + rebuiltFolded + " records)", rebuiltFolded > 0 && resumedFolded * 10 < rebuiltFolded);
    }

    private static void compare(Outcome out, Map<String, String> before, Map<String, String> after, String check) {
        List<String> differ = new ArrayList<>();
        before.forEach((k, v) -> {
            if (!v.equals(after.get(k))) {
                differ.add(k);
            }
        });
        out.check(check, differ.isEmpty() && before.size() == after.size());
        if (!differ.isEmpty()) {
            out.note("views that differ: " + differ);
        }
    }

    /** Records the gateway process folded since it started (its grokstream.gateway.events.consumed counters). */
    private static long folded(Reliability.Context ctx) {
        String metrics = ctx.api().get("/q/metrics", null).body();
        return (long) metrics.lines().filter(l -> l.startsWith("grokstream_gateway_events_consumed_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
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
        // restart only if the new consumer ignored the group's committed offsets. It goes on another partition
        // than the run's, where no gap the restart must fill lies before it.
        String marker = markerBesides(ctx, id);
        ctx.platform().publish(List.of(new ProducerRecord<>(Topics.SNAPSHOTS, null, marker,
                "not a safetensors file".getBytes(StandardCharsets.UTF_8), new RecordHeaders())));
        long stoppedAt = t.awaitStep(id, STOP_AT, 600).path("step").asLong();
        awaitLiveDeadLetters(ctx, marker, 1);
        ctx.platform().control("stop", "analysis");
        long measuredBeforeStop = steps(measured(ctx, id)).stream().mapToLong(Long::longValue).max().orElse(-1);
        long restartAt = t.awaitStep(id, RESTART_AT, 600).path("step").asLong();
        long restarting = System.currentTimeMillis();
        double start = ctx.platform().control("start", "analysis");
        out.figure("scale", "p=23 modular addition, d_model 64, " + STEPS + " steps, a snapshot every " + SNAPSHOT_EVERY
                + "; analysis stopped (SIGTERM) at step >= " + STOP_AT + ", started again at step >= " + RESTART_AT);
        out.figure("analysisStoppedAtStep", stoppedAt);
        out.figure("lastStepMeasuredBeforeStop", measuredBeforeStop);
        out.figure("analysisStartedAgainAtStep", restartAt);
        out.figure("analysisStartSeconds", start);
        t.awaitCompleted(id, 900);

        // waits on what happens, not on how fast this machine trains: every snapshot of the run on the topic
        // ends with its measures, however far the run got while the analysis service was away
        TreeSet<Long> snapshots = snapshotSteps(ctx, id);
        List<ProgressMeasured> published = awaitEveryMeasured(ctx, id, snapshots, 300);
        double filled = (System.currentTimeMillis() - restarting) / 1000.0;
        Map<String, Integer> measured = counts(published);
        TreeSet<Long> measuredSteps = steps(measured);
        long duplicates = measured.values().stream().filter(n -> n > 1).count();
        List<Long> afterRestart = published.stream().map(ProgressMeasured::step)
                .skip(published.stream().filter(m -> m.step() <= measuredBeforeStop).count()).toList();
        long backlog = snapshots.stream().filter(st -> st > measuredBeforeStop && st <= restartAt).count();
        int markerReads = awaitLiveDeadLetters(ctx, marker, 1);
        JsonNode gaps = Api.internal(ctx.urlOf("analysis")).read("/admin/gaps", null);
        out.figure("snapshots", snapshots.size());
        out.figure("snapshotsMeasured", measuredSteps.size());
        out.figure("backlogWhenStartedAgain", backlog);
        out.figure("firstStepsMeasuredAfterRestart", afterRestart.subList(0, Math.min(5, afterRestart.size())));
        out.figure("secondsFromRestartToEverySnapshotMeasured", filled);
        out.figure("measuredTwice", duplicates);
        out.figure("gapsOpenAtTheEnd", gaps.path("open").asInt(-1));
        out.figure("recordBeforeTheStopReadByTheLiveConsumer", markerReads + " time(s)");
        out.check("analysis measured snapshots before the stop", measuredBeforeStop >= 0);
        out.check("every snapshot of the run is measured after the restart, with no replay asked for",
                measuredSteps.equals(snapshots));
        out.check("no snapshot measured twice (experiment, step, version)", duplicates == 0);
        out.check("GET /admin/gaps says no gap is open", gaps.path("open").asInt(-1) == 0);
        out.check("the restarted consumer did not read again a record it had committed before the stop", markerReads == 1);
        // an empty partition has nothing to commit: none committed and a committed 0 say the same
        Map<Integer, Long> end = ctx.platform().endOffsetsByPartition(Topics.SNAPSHOTS);
        end.values().removeIf(offset -> offset == 0);
        Map<Integer, Long> committed = awaitCommitted(ctx, end);
        out.figure("snapshotEndOffsets", end);
        out.figure("analysisCommittedOffsets", committed);
        out.check("the restarted consumer read the topic to its end (committed offsets = end offsets)", committed.equals(end));
        replay(ctx, out, id, snapshots);
        ctx.remember("s3", id);
    }

    /** A key for the marker record on another snapshot partition than the experiment's. */
    private static String markerBesides(Reliability.Context ctx, String id) {
        int partitions = ctx.platform().endOffsetsByPartition(Topics.SNAPSHOTS).size();
        for (int i = 0; ; i++) {
            String key = "s3-read-once-" + System.currentTimeMillis() + "-" + i;
            if (partitions < 2 || Topics.partitionFor(key, partitions) != Topics.partitionFor(id, partitions)) {
                return key;
            }
        }
    }

    /** The run's measures in publish order, once every snapshot step has one (or after {@code seconds}). */
    private static List<ProgressMeasured> awaitEveryMeasured(Reliability.Context ctx, String id, TreeSet<Long> snapshots,
                                                             int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            List<ProgressMeasured> published = ctx.platform().measures(Set.of(id));
            TreeSet<Long> measured = steps(counts(published));
            if (measured.containsAll(snapshots) || System.currentTimeMillis() > deadline) {
                return published;
            }
            Reliability.log("  %d of %d snapshots measured", measured.size(), snapshots.size());
            Api.sleep(2000);
        }
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

    /** POST /admin/replay on the analysis service, once nothing is left to fill: nothing is measured again. */
    private static void replay(Reliability.Context ctx, Outcome out, String id, TreeSet<Long> snapshots) {
        Api analysis = Api.internal(ctx.urlOf("analysis"));
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
        out.check("a replay afterwards finds every snapshot measured and measures none again",
                state != null && state.path("state").asText().equals("done") && state.path("analysed").asInt() == 0
                        && steps(measured).equals(snapshots) && measured.values().stream().allMatch(n -> n == 1));
    }

    /** Published measures of an experiment: "step@version" to how many times. */
    private static Map<String, Integer> measured(Reliability.Context ctx, String id) {
        return counts(ctx.platform().measures(Set.of(id)));
    }

    /** "step@version" to how many times it was published. */
    private static Map<String, Integer> counts(List<ProgressMeasured> published) {
        Map<String, Integer> out = new HashMap<>();
        published.forEach(m -> out.merge(m.step() + "@" + m.analysisVersion(), 1, Integer::sum));
        return out;
    }

    private static TreeSet<Long> snapshotSteps(Reliability.Context ctx, String id) {
        return new TreeSet<>(ctx.platform().snapshotSteps(Set.of(id)).getOrDefault(id, List.of()));
    }

    /** The analysis group's committed offsets once they reach {@code end} (or after 20 s). */
    private static Map<Integer, Long> awaitCommitted(Reliability.Context ctx, Map<Integer, Long> end) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            Map<Integer, Long> committed = ctx.platform().committedOffsets(ANALYSIS_GROUP, Topics.SNAPSHOTS);
            committed.values().removeIf(offset -> offset == 0);
            if (committed.equals(end) || System.currentTimeMillis() > deadline) {
                return committed;
            }
            Api.sleep(500);
        }
    }
}
