package io.grokstream.trainer.engine;

import io.grokstream.contracts.ExperimentSubmitted.SnapshotPolicy;
import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.SnapshotMode;
import io.grokstream.contracts.SnapshotReason;
import io.grokstream.trainer.engine.SnapshotPlanner.Reading;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotPlannerTest {

    static final long N = 10_000;
    static final int METRICS_EVERY = 10;
    static final SnapshotPolicy POLICY = new SnapshotPolicy(SnapshotMode.ADAPTIVE, 100, 10, 4);
    /** The look-back and the dense window after a transition: lookBack * minEvery steps each side. */
    static final long W = 40;

    /** Memorises exactly at step {@code at} (train accuracy 0.5 before, 1 from then on); nothing else moves. */
    static LongFunction<Reading> memorisesAt(long at) {
        return t -> new Reading(t < at ? 0.5 : 1.0, 0.01, 4.0);
    }

    @Test
    void sparseSnapshotsAreSpacedSoHalfTheBudgetCoversTheRun() {
        var planner = new SnapshotPlanner(POLICY, N, GrokCriterion.STANDARD);
        assertEquals(200, planner.regularEvery());                  // ceil(10,000 / (100 / 2))
        var taken = run(planner, N, t -> new Reading(0.5, 0.01, 4.0), t -> false, N);
        assertEquals(50, taken.size());                              // 200, 400, ..., 10,000: nothing happened
        assertTrue(taken.values().stream().allMatch(r -> r == SnapshotReason.REGULAR || r == SnapshotReason.FINAL));
        assertEquals(SnapshotReason.FINAL, taken.get(N));
    }

    @Test
    void aTransitionAtAKnownStepDrawsMarkedlyMoreSnapshotsAroundItThanEqualWindowsElsewhere() {
        long at = 3_050;
        var taken = run(new SnapshotPlanner(POLICY, N, GrokCriterion.STANDARD), N, memorisesAt(at), t -> false, N);
        long around = count(taken, at - W, at + W);
        // 3,010..3,040 kept and published as look-back, 3,050 itself, 3,060..3,090 dense: nine snapshots
        assertEquals(9, around);
        assertEquals(SnapshotReason.MEMORISED, taken.get(at));
        assertEquals(SnapshotReason.LOOK_BACK, taken.get(at - 10));
        assertEquals(SnapshotReason.LOOK_BACK, taken.get(at - W));
        for (long centre = W; centre + W <= N; centre += 2 * W + 1) {
            if (Math.abs(centre - at) > 2 * W) {
                assertTrue(count(taken, centre - W, centre + W) <= 1, "window around " + centre);
            }
        }
        assertTrue(taken.size() <= POLICY.budget());
        assertEquals(SnapshotReason.FINAL, taken.get(N));
    }

    @Test
    void theBudgetHoldsWhenEveryStepLooksLikeATransitionAndTheEndOfTheRunStillGetsSnapshots() {
        var planner = new SnapshotPlanner(POLICY, N, GrokCriterion.STANDARD);
        // a spike every 30 steps and a validation accuracy that climbs 0.1 every 100 steps and falls back
        LongFunction<Reading> zigzag = t -> new Reading(t > 500 ? 1.0 : 0.5, (t / 100 % 10) / 10.0, 4.0 - t / 10_000.0);
        var taken = run(planner, N, zigzag, t -> t % 30 == 0, N);
        assertEquals(POLICY.budget(), taken.size());                 // spent, never over
        assertEquals(SnapshotReason.FINAL, taken.get(N));
        assertTrue(count(taken, N - 1_000, N) >= 5, "the last tenth keeps its sparse snapshots: " + taken);
    }

    @Test
    void aRunThatStopsEarlyStillFitsItsLastStep() {
        var small = new SnapshotPolicy(SnapshotMode.ADAPTIVE, 4, 10, 4);
        var planner = new SnapshotPlanner(small, N, GrokCriterion.STANDARD);
        var taken = run(planner, N, memorisesAt(100), t -> t % 7 == 0, 2_345);
        assertTrue(taken.size() <= 4, taken.toString());
        assertEquals(SnapshotReason.FINAL, taken.get(2_345L));
    }

    @Test
    void aPlannerRestoredFromItsStateDecidesAsTheUninterruptedOne() {
        LongFunction<Reading> grokking = t -> new Reading(t < 2_000 ? 0.5 : 1.0, t < 6_000 ? 0.01
                : Math.min(1.0, (t - 6_000) / 500.0), t < 5_000 ? 3.0 + t / 5_000.0 : 4.0 - (t - 5_000) / 1_000.0);
        var roomy = new SnapshotPolicy(SnapshotMode.ADAPTIVE, 200, 10, 4);   // room for every transition
        var whole = run(new SnapshotPlanner(roomy, N, GrokCriterion.STANDARD), N, grokking, t -> false, N);

        var first = new SnapshotPlanner(roomy, N, GrokCriterion.STANDARD);
        var before = run(first, 5_600, 1, grokking, t -> false);
        var resumed = new SnapshotPlanner(roomy, N, GrokCriterion.STANDARD);
        resumed.restore(first.state());
        var after = run(resumed, N, 5_601, grokking, t -> false);
        after.put(N, resumed.finish(N) == null ? after.get(N) : SnapshotReason.FINAL);
        before.putAll(after);
        assertEquals(whole, before);
        assertEquals(whole.size(), resumed.spent());
        assertTrue(whole.containsValue(SnapshotReason.GROKKED) && whole.containsValue(SnapshotReason.TEST_LOSS_TURN)
                && whole.containsValue(SnapshotReason.VALIDATION_RISE), whole.toString());
    }

    @Test
    void stepsReplayedAfterARollbackAreNotCountedTwice() {
        var planner = new SnapshotPlanner(POLICY, N, GrokCriterion.STANDARD);
        run(planner, 1_000, 1, memorisesAt(500), t -> false);
        int spent = planner.spent();
        planner.rewound();
        run(planner, 1_000, 801, memorisesAt(500), t -> false);     // back to step 800, the same steps again
        assertEquals(spent, planner.spent());
        assertNull(planner.finish(1_000));                            // a sparse step, taken already
    }

    /** Runs steps 1..stopAt (metrics every {@link #METRICS_EVERY}) then finishes; the snapshots by step. */
    static Map<Long, SnapshotReason> run(SnapshotPlanner planner, long maxSteps, LongFunction<Reading> readings,
                                         LongPredicate spikes, long stopAt) {
        var taken = run(planner, stopAt, 1, readings, spikes);
        SnapshotReason last = planner.finish(stopAt);
        if (last != null) {
            taken.put(stopAt, last);
        }
        assertTrue(stopAt <= maxSteps);
        return taken;
    }

    static TreeMap<Long, SnapshotReason> run(SnapshotPlanner planner, long to, long from, LongFunction<Reading> readings,
                                             LongPredicate spikes) {
        TreeMap<Long, SnapshotReason> taken = new TreeMap<>();
        for (long t = from; t <= to; t++) {
            var d = planner.observe(t, spikes.test(t), t % METRICS_EVERY == 0 ? readings.apply(t) : null);
            d.lookBack().forEach(s -> taken.put(s, SnapshotReason.LOOK_BACK));
            if (d.now() != null) {
                taken.put(t, d.now());
            }
            assertTrue(planner.spent() <= planner.budget());
        }
        return taken;
    }

    static long count(Map<Long, SnapshotReason> taken, long from, long to) {
        return taken.keySet().stream().filter(s -> s >= from && s <= to).count();
    }
}
