package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.chart.LaneChart;
import io.grokstream.chart.SvgChart;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.Topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Scenario 9 (issue #20): any free slot takes any waiting experiment. Three trainer workers of one slot each and two
 * analysis instances; nine experiments of different lengths submitted at once (all on the experiments topic's one
 * partition, and colliding on the four partitions the topic had before the queue); {@code kill -9} of the worker
 * training the first one mid-run. Measured from the record times on the topics: idle slots while experiments
 * waited, each experiment's queueing delay, the makespan against the ideal, the killed run resumed elsewhere with
 * every step once, and every snapshot measured once by the two analysis instances.
 */
final class QueueScenario {
    static final List<Integer> LENGTHS = List.of(1800, 600, 1200, 400, 2000, 800, 1400, 1000, 1600);
    static final List<String> WORKERS = List.of("trainer", "trainer2", "trainer3");
    static final Map<String, String> ONE_SLOT = Map.of("GROKSTREAM_RELIABILITY_SLOTS", "1");
    static final int KILL_AT = 600; // a third of the first experiment's 1,800 steps
    static final int SNAPSHOT_EVERY = 100;
    /**
     * Longest a slot may sit idle while an experiment waits: the hand-over from one run's end to the next run's
     * start (acknowledge, poll, build the model, look for a checkpoint). Longer means the queue is not
     * work-conserving, as it was when a busy partition held an experiment back for minutes.
     */
    static final double HAND_OVER_SECONDS = 5;

    static void run(Reliability.Context ctx, Outcome out) throws Exception {
        Platform platform = ctx.platform();
        platform.control("stop", "trainer");
        platform.control("stop", "trainer2");
        try {
            for (String w : WORKERS) {
                platform.control("start", w, ONE_SLOT);
            }
            platform.control("start", "analysis2");
            measure(ctx, out);
        } finally {
            // back to the suite's layout: two trainers of two slots, one analysis instance
            for (String w : WORKERS) {
                platform.control("stop", w);
            }
            platform.control("stop", "analysis2");
            platform.control("start", "trainer");
            platform.control("start", "trainer2");
        }
    }

    private static void measure(Reliability.Context ctx, Outcome out) throws Exception {
        Training t = ctx.training();
        Platform platform = ctx.platform();
        List<String> ids;
        String killed;
        long killedAt;
        long restartedAt;
        WorkerSampler sampler = new WorkerSampler(ctx, WORKERS, 250);
        try {
            ids = t.submitAll(LENGTHS.size(), i -> t.body("s9 queue " + i + " (" + LENGTHS.get(i) + " steps)",
                    LENGTHS.get(i), 41 + i, SNAPSHOT_EVERY, SNAPSHOT_EVERY, false));
            String victim = ids.get(0);
            JsonNode atKill = t.awaitStep(victim, KILL_AT, 600);
            killed = atKill.path("worker").asText();
            long stepAtKill = atKill.path("step").asLong();
            out.check("the first experiment runs on one of the three workers", WORKERS.contains(killed));
            killedAt = System.currentTimeMillis(); // the signal goes out at once; control returns once it has exited
            platform.control("kill", killed);
            Reliability.log("killed -9 %s at step %d of %s", killed, stepAtKill, victim);
            JsonNode resumed = t.await(victim, d -> !d.path("worker").asText().equals(killed)
                    && !d.path("worker").asText().isEmpty() && d.path("step").asLong() > stepAtKill,
                    "resumed by another worker", 900);
            out.figure("killed", killed + " at step " + stepAtKill + " of experiment 0");
            out.figure("resumedBy", resumed.path("worker").asText());
            out.figure("secondsFromKillToResumedInTheGateway", (System.currentTimeMillis() - killedAt) / 1000.0);
            platform.control("start", killed, ONE_SLOT); // only now, so the run cannot go back to the same process
            restartedAt = System.currentTimeMillis();
            for (String id : ids) {
                t.awaitCompleted(id, 1800);
            }
        } finally {
            sampler.close();
        }
        out.figure("scale", LENGTHS.size() + " experiments of " + LENGTHS + " steps (p=23 modular addition, d_model 64),"
                + " snapshot and checkpoint every " + SNAPSHOT_EVERY + "; 3 trainers x 1 slot (one OpenMP thread each),"
                + " 2 analysis instances, all on this 2-core machine");
        out.check("no worker ran more than its one slot (sampled every 250 ms from the workers)",
                sampler.maxPerWorker().values().stream().allMatch(n -> n <= 1));
        partitions(platform, out, ids);
        schedule(ctx, out, ids, killed, killedAt, restartedAt);
    }

    /**
     * Queueing delays, makespan against the ideal, idle slots while experiments waited, the killed run and the
     * measures, from the record times on the topics; and the charts.
     */
    private static void schedule(Reliability.Context ctx, Outcome out, List<String> ids, String killed, long killedAt,
                                 long restartedAt) {
        Platform platform = ctx.platform();
        Map<String, Long> submitted = submittedAt(platform, ids);
        Map<String, Timeline> timelines = Timeline.of(platform, ids);
        long origin = submitted.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        Occupancy slots = new Occupancy();
        Map<String, List<LaneChart.Bar>> bars = new LinkedHashMap<>();
        WORKERS.forEach(w -> bars.put(w, new ArrayList<>()));
        List<Double> delays = new ArrayList<>();
        double end = 0;
        double longest = 0;
        for (int i = 0; i < ids.size(); i++) {
            Timeline tl = timelines.get(ids.get(i));
            List<Timeline.Segment> segments = tl.segmentList();
            double since = sec(submitted.get(ids.get(i)), origin);
            double runWork = 0;
            for (int k = 0; k < segments.size(); k++) {
                Timeline.Segment s = segments.get(k);
                double from = sec(s.startedAt(), origin);
                double to = k + 1 < segments.size() ? segmentEnd(s, from, sec(segments.get(k + 1).startedAt(), origin),
                        killed, sec(killedAt, origin)) : sec(tl.endedAt(), origin);
                slots.waiting(since, from);
                slots.busy(from, to);
                runWork += to - from;
                bars.computeIfAbsent(s.worker(), w -> new ArrayList<>()).add(new LaneChart.Bar(from, to, "#" + i));
                since = to; // waiting again from here if another segment follows (the kill)
            }
            delays.add(sec(segments.get(0).startedAt(), origin) - sec(submitted.get(ids.get(i)), origin));
            end = Math.max(end, sec(tl.endedAt(), origin));
            longest = Math.max(longest, runWork);
        }
        for (String w : WORKERS) { // every slot is live from the first submission, but the killed one while it was down
            if (w.equals(killed)) {
                slots.live(0, sec(killedAt, origin));
                slots.live(sec(restartedAt, origin), end);
            } else {
                slots.live(0, end);
            }
        }
        Occupancy.Sweep sweep = slots.sweep();
        double ideal = Math.max(longest, slots.work() / WORKERS.size());
        out.figure("queueingDelaySeconds", delays.stream().map(d -> Math.round(d * 10) / 10.0).toList());
        out.figure("makespanSeconds", end);
        out.figure("idealMakespanSeconds", ideal);
        out.figure("makespanOverIdeal", end / ideal);
        out.figure("busySlotSeconds", slots.work());
        out.figure("idleSlotSecondsWhileExperimentsWaited", sweep.idleWhileWaiting());
        out.figure("idleWhileWaitingEpisodes", sweep.episodes().size());
        out.figure("longestIdleWhileWaitingSeconds", sweep.longestEpisode());
        out.check("no slot sat idle while an experiment waited, beyond a hand-over of " + HAND_OVER_SECONDS + " s",
                sweep.longestEpisode() <= HAND_OVER_SECONDS);
        out.note("ideal makespan: the busy slot-seconds (re-trained steps included) over 3 slots, or the longest run,"
                + " whichever is longer; the killed worker's slot was gone for " + Math.round((restartedAt - killedAt) / 1000.0)
                + " s, and idle time counts from a run's terminal event to the next run's TrainingStarted (hand-over)");
        victim(ctx, out, ids.get(0), timelines.get(ids.get(0)), killed, LENGTHS.get(0));
        measured(ctx, out, ids);
        charts(out, bars, sweep, sec(killedAt, origin), sec(restartedAt, origin));
    }

    /** The experiments topic's one partition, and where the ids would have fallen on the four partitions of old. */
    private static void partitions(Platform platform, Outcome out, List<String> ids) {
        out.figure("experimentsTopicPartitions", platform.endOffsetsByPartition(Topics.EXPERIMENTS).size());
        Map<Integer, Integer> onFour = new TreeMap<>();
        ids.forEach(id -> onFour.merge(Topics.partitionFor(id, 4), 1, Integer::sum));
        out.figure("idsPerPartitionHadTheTopicFourPartitions", onFour);
    }

    /** The killed run: resumed by another worker from a checkpoint, every step once in the gateway. */
    private static void victim(Reliability.Context ctx, Outcome out, String id, Timeline tl, String killed, long steps) {
        List<String> problems = Training.stepProblems(ctx.training().metrics(id), steps);
        out.figure("killedRunSegments", tl.segmentList().stream().map(s -> s.worker() + " from step " + s.resumedFrom()).toList());
        out.figure("killedRunStepsTrainedAgain", tl.lastStepBefore(1) - tl.resumedFrom(1));
        out.check("the killed run was resumed by another worker from a checkpoint",
                tl.segments() >= 2 && !tl.segmentList().get(1).worker().equals(killed) && tl.resumedFrom(1) > 0
                        && tl.resumedFrom(1) <= tl.lastStepBefore(1));
        out.check("the killed run's history in the gateway has every step exactly once", problems.isEmpty());
        if (!problems.isEmpty()) {
            out.note("history problems: " + problems.subList(0, Math.min(10, problems.size())));
        }
    }

    /** Every snapshot of the nine runs measured exactly once, with no gap open on either analysis instance. */
    private static void measured(Reliability.Context ctx, Outcome out, List<String> ids) {
        Set<String> wanted = Set.copyOf(ids);
        Set<String> snapshots = new HashSet<>(); // "experiment@step" of every snapshot on the topic
        ctx.platform().snapshotSteps(wanted).forEach((id, steps) -> steps.forEach(step -> snapshots.add(id + "@" + step)));
        int total = snapshots.size();
        Map<String, Integer> found = Map.of();
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            found = measures(ctx.platform(), wanted);
            if (found.keySet().containsAll(snapshots)) {
                break;
            }
            Reliability.log("  %d of %d snapshots measured", snapshots.stream().filter(found::containsKey).count(), total);
            Api.sleep(2000);
        }
        Map<String, Integer> measured = found;
        long missing = snapshots.stream().filter(k -> !measured.containsKey(k)).count();
        long twice = measured.values().stream().filter(n -> n > 1).count();
        out.figure("snapshots", total);
        out.figure("snapshotsNotMeasured", missing);
        out.figure("measuredTwice", twice);
        out.check("every snapshot of the nine runs is measured", missing == 0);
        out.check("no snapshot measured twice by the two analysis instances", twice == 0);
        for (String a : List.of("analysis", "analysis2")) {
            JsonNode gaps = Api.internal(ctx.urlOf(a)).read("/admin/gaps", null);
            out.check(a + ": GET /admin/gaps says no gap is open", gaps.path("open").asInt(-1) == 0);
        }
        Map<String, List<Integer>> members = ctx.platform().assignment(ViewRebuild.ANALYSIS_GROUP, Topics.SNAPSHOTS);
        int partitions = ctx.platform().endOffsetsByPartition(Topics.SNAPSHOTS).size();
        List<Integer> experimentsPerMember = new ArrayList<>();
        members.values().forEach(parts -> experimentsPerMember.add((int) ids.stream()
                .filter(id -> parts.contains(Topics.partitionFor(id, partitions))).count()));
        out.figure("analysisMembers", members.size());
        out.figure("snapshotPartitionsPerAnalysisMember", members.values().stream().map(List::size).toList());
        out.figure("experimentsPerAnalysisMember", experimentsPerMember);
        out.check("two analysis instances share the snapshot partitions", members.size() == 2
                && members.values().stream().noneMatch(List::isEmpty));
    }

    /** "experiment@step" to how many measures were published for it. */
    private static Map<String, Integer> measures(Platform platform, Set<String> ids) {
        Map<String, Integer> out = new HashMap<>();
        platform.measures(ids).forEach(m -> out.merge(m.experimentId() + "@" + m.step(), 1, Integer::sum));
        return out;
    }

    /** When each experiment was submitted: its ExperimentSubmitted record's time. */
    private static Map<String, Long> submittedAt(Platform platform, List<String> ids) {
        Map<String, Long> out = new HashMap<>();
        platform.forEach(Topics.EXPERIMENTS, r -> {
            if (r.value() != null && ids.contains(r.key())) {
                try {
                    if (EventCodec.decode(r.headers(), r.value()) instanceof ExperimentSubmitted) {
                        out.putIfAbsent(r.key(), r.timestamp());
                    }
                } catch (RuntimeException unreadable) {
                    // not an experiment of this scenario
                }
            }
        });
        return out;
    }

    private static void charts(Outcome out, Map<String, List<LaneChart.Bar>> bars, Occupancy.Sweep sweep, double killedAt,
                               double restartedAt) {
        LaneChart slots = new LaneChart("Scenario 9: what each one-slot worker trained (#experiment), kill -9 marked",
                "seconds since the first submission");
        bars.forEach(slots::lane);
        out.chart("queue-slots.svg", slots.marker(killedAt, "kill -9").marker(restartedAt, "restarted").render());
        // one count of headroom, so the highest step stays off the frame; live slots dashed, seen where busy ones match
        double top = 1 + Stream.of(sweep.live(), sweep.busy(), sweep.waiting()).flatMap(List::stream)
                .mapToDouble(p -> p[1]).max().orElse(0);
        out.chart("queue-busy.svg", new SvgChart("Scenario 9: busy slots and waiting experiments over time",
                "seconds since the first submission", "count").fromZero().yRange(0, top)
                .steps("busy slots", column(sweep.busy(), 0), column(sweep.busy(), 1))
                .steps("waiting experiments", column(sweep.waiting(), 0), column(sweep.waiting(), 1))
                .dashedSteps("live slots", column(sweep.live(), 0), column(sweep.live(), 1))
                .marker(killedAt, "kill -9").marker(restartedAt, "restarted").render());
    }

    /** Column {@code c} of (time, count) points. */
    private static double[] column(List<double[]> points, int c) {
        return points.stream().mapToDouble(p -> p[c]).toArray();
    }

    /** A segment another followed ends at the kill when it was the killed worker's, else where the next began. */
    private static double segmentEnd(Timeline.Segment s, double from, double next, String killed, double killedAt) {
        return s.worker().equals(killed) && from <= killedAt && killedAt <= next ? killedAt : next;
    }

    private static double sec(long millis, long origin) {
        return (millis - origin) / 1000.0;
    }
}
