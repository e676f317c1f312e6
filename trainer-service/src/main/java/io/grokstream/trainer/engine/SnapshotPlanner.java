package io.grokstream.trainer.engine;

import io.grokstream.contracts.ExperimentSubmitted.SnapshotPolicy;
import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.SnapshotReason;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * Decides, step by step, when an adaptive run ({@link SnapshotPolicy#adaptive()}) snapshots: sparse while nothing
 * changes, every {@code minEvery} steps for {@code lookBack * minEvery} steps after a detected transition, and the
 * {@code lookBack} steps kept before it (every {@code minEvery} steps) published when it is detected. Pure: it sees
 * numbers and answers with decisions; the caller keeps the weights ({@link SnapshotSchedule}).
 *
 * <p>The transitions: a loss spike (the caller's {@link LossSpikeDetector}); the training accuracy reaching the
 * criterion's memorised threshold; the validation loss falling to {@value #TURN_FRACTION} of its peak since
 * memorisation (the test loss turning down); the validation accuracy climbing another {@value #RISE_STEP} above
 * where it last counted as rising; the validation accuracy reaching the grokked threshold.
 *
 * <p>The budget: half of it is the sparse spacing, {@code regularEvery = ceil(maxSteps / (budget / 2))} steps apart,
 * plus the last step; every snapshot taken for a transition must leave room for the sparse ones still to come, so
 * {@code taken + reserve(t) <= budget} holds after every step and the last step always fits, even when the run
 * stops early. Steps are counted once however often a rollback replays them.
 */
final class SnapshotPlanner {

    /** Validation accuracy gained since the last rise that counts as rising again (ten windows from chance to 1). */
    static final double RISE_STEP = 0.1;
    /** The validation loss at this fraction of its post-memorisation peak has turned down (not noise around it). */
    static final double TURN_FRACTION = 0.9;

    /** The numbers of a metrics step. */
    record Reading(double trainAccuracy, double validationAccuracy, double validationLoss) {
    }

    /**
     * What to do after a step.
     *
     * @param now      the reason to snapshot this step, or null
     * @param keep     whether to keep this step's weights for a later look-back
     * @param lookBack kept steps to publish now, oldest first (each with {@link SnapshotReason#LOOK_BACK})
     */
    record Decision(SnapshotReason now, boolean keep, List<Long> lookBack) {
        static final Decision NONE = new Decision(null, false, List.of());
    }

    private static final int HEADER = 7;

    private final int budget;
    private final int spacing;
    private final int lookBackSize;
    private final long maxSteps;
    private final long regularEvery;
    private final GrokCriterion criterion;

    private final TreeSet<Long> taken = new TreeSet<>();
    private final Deque<Long> kept = new ArrayDeque<>();
    private long denseUntil = -1;
    private SnapshotReason denseReason = SnapshotReason.REGULAR;
    private boolean memorised;
    private boolean grokked;
    private boolean turned;
    private double riseLevel = Double.NaN;
    private double lossPeak = Double.NaN;

    SnapshotPlanner(SnapshotPolicy policy, long maxSteps, GrokCriterion criterion) {
        if (policy == null || !policy.adaptive() || maxSteps < 1 || criterion == null) {
            throw new IllegalArgumentException("the planner needs an adaptive policy, maxSteps >= 1 and a criterion");
        }
        this.budget = policy.budget();
        this.spacing = policy.minEvery();
        this.lookBackSize = policy.lookBack();
        this.maxSteps = maxSteps;
        this.criterion = criterion;
        long half = Math.max(1, budget / 2);
        this.regularEvery = Math.max(spacing, (maxSteps + half - 1) / half);
    }

    /** After step {@code t}: whether it spiked, and its metrics when it was a metrics step (else null). */
    Decision observe(long t, boolean spike, Reading reading) {
        SnapshotReason transition = transition(spike, reading);
        if (transition != null) {
            return onTransition(t, transition);
        }
        SnapshotReason now = null;
        if (regular(t)) {
            now = t == maxSteps ? SnapshotReason.FINAL : SnapshotReason.REGULAR;
        } else if (t <= denseUntil && t % spacing == 0) {
            now = denseReason;
        }
        if (now != null && take(t)) {
            kept.clear();
            return new Decision(now, false, List.of());
        }
        boolean keep = lookBackSize > 0 && t % spacing == 0 && !taken.contains(t);
        if (keep) {
            kept.addLast(t);
            while (kept.size() > lookBackSize) {
                kept.removeFirst();
            }
        }
        return keep ? new Decision(null, true, List.of()) : Decision.NONE;
    }

    /** The run ended after step {@code t}: {@link SnapshotReason#FINAL} unless {@code t} is taken already (then null). */
    SnapshotReason finish(long t) {
        return taken.add(t) ? SnapshotReason.FINAL : null;
    }

    /** A rollback returned the run to an earlier step: the kept weights are from steps it no longer has. */
    void rewound() {
        kept.clear();
    }

    /** The steps whose weights may still be published as look-back snapshots. */
    java.util.Collection<Long> kept() {
        return java.util.Collections.unmodifiableCollection(kept);
    }

    /** The steps taken so far. */
    int spent() {
        return taken.size();
    }

    int budget() {
        return budget;
    }

    long regularEvery() {
        return regularEvery;
    }

    /** What a checkpoint keeps: the detector's state and the steps taken (kept weights are not kept). */
    double[] state() {
        double[] s = new double[HEADER + taken.size()];
        s[0] = denseUntil;
        s[1] = denseReason.ordinal();
        s[2] = memorised ? 1 : 0;
        s[3] = grokked ? 1 : 0;
        s[4] = turned ? 1 : 0;
        s[5] = riseLevel;
        s[6] = lossPeak;
        int i = HEADER;
        for (long step : taken) {
            s[i++] = step;
        }
        return s;
    }

    /** Continues from {@link #state()} of the same experiment; an empty state (an older checkpoint) starts afresh. */
    void restore(double[] s) {
        if (s.length == 0) {
            return;
        }
        if (s.length < HEADER || s[1] < 0 || s[1] >= SnapshotReason.values().length || s.length - HEADER > budget) {
            throw new IllegalArgumentException("checkpoint snapshot plan is malformed (" + s.length + " values)");
        }
        denseUntil = (long) s[0];
        denseReason = SnapshotReason.values()[(int) s[1]];
        memorised = s[2] != 0;
        grokked = s[3] != 0;
        turned = s[4] != 0;
        riseLevel = s[5];
        lossPeak = s[6];
        taken.clear();
        Arrays.stream(s, HEADER, s.length).forEach(v -> taken.add((long) v));
        kept.clear();
    }

    private Decision onTransition(long t, SnapshotReason reason) {
        denseUntil = t + (long) Math.max(1, lookBackSize) * spacing;
        denseReason = reason;
        SnapshotReason now = take(t) ? reason : null;
        List<Long> back = new ArrayList<>();
        for (var it = kept.descendingIterator(); it.hasNext(); ) {   // newest first: the closest to the transition
            long s = it.next();
            if (s < t && take(s)) {
                back.add(0, s);
            }
        }
        kept.clear();
        return new Decision(now, false, back);
    }

    /**
     * Takes step {@code s} if it is new and the sparse snapshots still to come keep their room. A sparse step itself
     * always fits: its room was kept for it ({@code reserveAfter(s - 1)} counted it).
     */
    private boolean take(long s) {
        if (taken.contains(s) || taken.size() + 1 + reserveAfter(s) > budget) {
            return false;
        }
        taken.add(s);
        return true;
    }

    /** The sparse steps (and the last step) after {@code t} not yet taken. */
    private long reserveAfter(long t) {
        long due = maxSteps / regularEvery - t / regularEvery + (maxSteps % regularEvery == 0 ? 0 : 1);
        if (t >= maxSteps) {
            due = 0;
        }
        long done = taken.tailSet(t, false).stream().filter(this::regular).count();
        return due - done;
    }

    private boolean regular(long s) {
        return s % regularEvery == 0 || s == maxSteps;
    }

    private SnapshotReason transition(boolean spike, Reading r) {
        SnapshotReason found = spike ? SnapshotReason.LOSS_SPIKE : null;
        if (r == null) {
            return found;
        }
        if (!memorised && criterion.memorised(r.trainAccuracy())) {
            memorised = true;
            lossPeak = r.validationLoss();
            found = found == null ? SnapshotReason.MEMORISED : found;
        }
        if (memorised && !turned) {
            lossPeak = Double.isNaN(lossPeak) ? r.validationLoss() : Math.max(lossPeak, r.validationLoss());
            if (r.validationLoss() <= TURN_FRACTION * lossPeak) {
                turned = true;
                found = found == null ? SnapshotReason.TEST_LOSS_TURN : found;
            }
        }
        if (Double.isNaN(riseLevel)) {
            riseLevel = r.validationAccuracy();
        } else if (r.validationAccuracy() >= riseLevel + RISE_STEP) {
            riseLevel = r.validationAccuracy();
            found = found == null ? SnapshotReason.VALIDATION_RISE : found;
        }
        if (!grokked && memorised && criterion.grokked(r.validationAccuracy())) {
            grokked = true;
            found = SnapshotReason.GROKKED;
        }
        return found;
    }
}
