package io.grokstream.trainer.engine;

import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.SnapshotReason;
import io.grokstream.model.Tensor;
import io.grokstream.trainer.engine.RunMetrics.Evaluated;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which snapshots a run publishes after each step, each with its {@link SnapshotReason}: on the fixed cadence
 * ({@link Cadence#snapshotDue}), or as the {@link SnapshotPlanner} decides for an adaptive one, keeping in memory the
 * weights it may later publish as look-back snapshots (a few copies: Nanda's model is 0.9 MB in float32).
 */
final class SnapshotSchedule {

    private final RunPlan plan;
    private final Cadence cadence;
    private final SnapshotPlanner planner;
    private final Map<Long, Map<String, Tensor>> kept = new HashMap<>();
    private long last = -1;

    SnapshotSchedule(RunPlan plan, GrokCriterion criterion) {
        this.plan = plan;
        this.cadence = plan.experiment().cadence();
        this.planner = cadence.snapshots().adaptive()
                ? new SnapshotPlanner(cadence.snapshots(), plan.experiment().budget().maxSteps(), criterion) : null;
    }

    /**
     * The snapshots to publish after step {@code t}, in step order.
     *
     * @param evaluated the step's metrics when it was a metrics step, else null
     */
    List<SnapshotCodec.Snapshot> after(long t, boolean spike, Evaluated evaluated,
                                       Supplier<Map<String, Tensor>> weights) {
        if (planner == null) {
            return cadence.snapshotDue(t) ? List.of(take(t, SnapshotReason.REGULAR, weights.get())) : List.of();
        }
        var reading = evaluated == null ? null : new SnapshotPlanner.Reading(evaluated.train().accuracy(),
                evaluated.validation().accuracy(), evaluated.validation().loss());
        SnapshotPlanner.Decision d = planner.observe(t, spike, reading);
        List<SnapshotCodec.Snapshot> out = new ArrayList<>();
        for (long s : d.lookBack()) {
            out.add(plan.snapshot(s, kept.get(s), SnapshotReason.LOOK_BACK));
        }
        if (d.now() != null) {
            out.add(take(t, d.now(), weights.get()));
        }
        if (d.keep()) {
            kept.put(t, weights.get());
        }
        kept.keySet().retainAll(planner.kept());   // what the planner let go will never be published
        return out;
    }

    /** The last step's snapshot, unless it was published already. */
    List<SnapshotCodec.Snapshot> finish(long t, Supplier<Map<String, Tensor>> weights) {
        if (planner == null) {
            return last == t ? List.of() : List.of(take(t, SnapshotReason.FINAL, weights.get()));
        }
        SnapshotReason reason = planner.finish(t);
        return reason == null ? List.of() : List.of(take(t, reason, weights.get()));
    }

    /** A rollback returned the run to an earlier step. */
    void rewound() {
        kept.clear();
        if (planner != null) {
            planner.rewound();
        }
    }

    /** The planner's state for a checkpoint (empty on a fixed cadence). */
    double[] state() {
        return planner == null ? new double[0] : planner.state();
    }

    /** Continues from a checkpoint's {@link #state()}. */
    void restore(double[] state) {
        if (planner != null) {
            planner.restore(state);
        }
    }

    private SnapshotCodec.Snapshot take(long t, SnapshotReason reason, Map<String, Tensor> weights) {
        last = t;
        return plan.snapshot(t, weights, reason);
    }
}
