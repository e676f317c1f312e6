package io.grokstream.trainer.engine;

import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.SnapshotPolicy;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.SnapshotMode;
import io.grokstream.contracts.SnapshotReason;
import io.grokstream.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static io.grokstream.trainer.engine.TrainingRunTest.FULL_BATCH;
import static io.grokstream.trainer.engine.TrainingRunTest.exp;
import static io.grokstream.trainer.engine.TrainingRunTest.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An adaptive run resumed from a checkpoint keeps its snapshot count: TrainingRunTest's run (p = 11, full batch) for
 * 200 steps with a budget of 10, resumed from the checkpoint before its first transition, publishes after it exactly
 * the snapshots the uninterrupted run published there. Without the planner's state in the checkpoint the resumed run
 * does not (it forgets what it spent), so the comparison can fail.
 */
class AdaptiveSnapshotsResumeTest {

    static final long STEPS = 200;
    static final Cadence CADENCE = new Cadence(5, 100, 100, 0, 10,
            new SnapshotPolicy(SnapshotMode.ADAPTIVE, 10, 5, 2));

    @Test
    void aResumedAdaptiveRunPublishesWhatTheUninterruptedOneDidAfterItsCheckpoint() {
        var full = train(exp(FULL_BATCH, GrokFastConfig.none(), STEPS, 5, CADENCE), null);
        Map<Long, String> whole = taken(full);
        System.out.println("FIGURE adaptive snapshots, p = 11, 200 steps, budget 10: " + whole);
        assertTrue(whole.size() <= 10 && whole.containsKey(STEPS), whole.toString());
        long firstTransition = whole.entrySet().stream()
                .filter(e -> SnapshotReason.of(e.getValue()).orElseThrow().transition()).findFirst().orElseThrow()
                .getKey();
        long from = Math.max(10, (firstTransition - 1) / 10 * 10 - 10);  // a checkpoint before its look-back
        SnapshotCodec.Snapshot checkpoint = SnapshotCodec.decode(SnapshotCodec.encode(full.checkpoints.stream()
                .filter(c -> c.step() == from).findFirst().orElseThrow()));

        var resumed = train(exp(FULL_BATCH, GrokFastConfig.none(), STEPS, 5, CADENCE), checkpoint);
        assertEquals(tail(whole, from), taken(resumed), "the snapshots after step " + from);

        Map<String, Tensor> forgetful = new LinkedHashMap<>(checkpoint.tensors());
        assertTrue(forgetful.keySet().remove("state.snapshot_plan"), "the checkpoint holds the planner's state");
        var amnesiac = train(exp(FULL_BATCH, GrokFastConfig.none(), STEPS, 5, CADENCE),
                new SnapshotCodec.Snapshot(checkpoint.experimentId(), from, forgetful, checkpoint.metadata()));
        assertNotEquals(tail(whole, from), taken(amnesiac), "a planner that forgot its count decides otherwise");
    }

    static Map<Long, String> taken(RecordingListener l) {
        Map<Long, String> out = new TreeMap<>();
        l.snapshots.forEach(s -> out.put(s.step(), s.metadata().get(SnapshotCodec.META_REASON)));
        return out;
    }

    static Map<Long, String> tail(Map<Long, String> all, long after) {
        Map<Long, String> out = new TreeMap<>(all);
        out.keySet().removeIf(s -> s <= after);
        return out;
    }
}
