package io.grokstream.trainer.engine;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.ParameterSpec;
import io.grokstream.model.Tensor;
import io.grokstream.testkit.ModularAdditionTask;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training loop's behaviour on a small modular-addition task (p = 11, d_model 32): fast, but the real loop. */
class TrainingRunTest {

    static final int P = 11;
    static final TaskDefined TASK = ModularAdditionTask.of(P, 0.6, 3);
    static final ModelConfig MODEL = Experiments.small(P);
    static final OptimizerConfig FULL_BATCH = new OptimizerConfig(3e-3, 1.0, 0.9, 0.98, 1e-8, 10, 0);
    static final OptimizerConfig MINI_BATCH = new OptimizerConfig(3e-3, 1.0, 0.9, 0.98, 1e-8, 10, 16);

    static RecordingListener train(ExperimentSubmitted e, SnapshotCodec.Snapshot checkpoint) {
        RecordingListener l = new RecordingListener();
        TrainingJobs.create(e, TASK, checkpoint, l).run();
        return l;
    }

    static ExperimentSubmitted exp(OptimizerConfig opt, GrokFastConfig gf, long steps, long seed, Cadence cadence) {
        return Experiments.experiment(MODEL, opt, gf, steps, null, seed, cadence);
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() {
        var e = exp(MINI_BATCH, GrokFastConfig.ema(0.98, 2.0), 30, 7, new Cadence(10, 100, 100, 0, 1000));
        var a = train(e, null).lastSnapshot();
        var b = train(e, null).lastSnapshot();
        assertEquals(30, a.step());
        assertEquals(a.tensors(), b.tensors());
        var other = train(exp(MINI_BATCH, GrokFastConfig.ema(0.98, 2.0), 30, 8, new Cadence(10, 100, 100, 0, 1000)), null);
        assertNotEquals(a.tensors(), other.lastSnapshot().tensors());
    }

    @Test
    void resumingFromACheckpointEqualsTheUninterruptedRunWithEma() {
        resumeEqualsUninterrupted(MINI_BATCH, GrokFastConfig.ema(0.98, 2.0));
    }

    @Test
    void resumingFromACheckpointEqualsTheUninterruptedRunWithMovingAverage() {
        resumeEqualsUninterrupted(FULL_BATCH, GrokFastConfig.ma(5, 5.0));
    }

    private static void resumeEqualsUninterrupted(OptimizerConfig opt, GrokFastConfig gf) {
        var cadence = new Cadence(5, 100, 100, 0, 20);
        var full = train(exp(opt, gf, 40, 5, cadence), null);
        SnapshotCodec.Snapshot at20 = full.checkpoints.stream().filter(c -> c.step() == 20).findFirst().orElseThrow();
        // through the wire format, as the worker gets it from Kafka
        SnapshotCodec.Snapshot decoded = SnapshotCodec.decode(SnapshotCodec.encode(at20));

        var resumed = train(exp(opt, gf, 40, 5, cadence), decoded);

        assertEquals(List.of(20L), resumed.resumedFrom);
        assertEquals(full.lastSnapshot().tensors(), resumed.lastSnapshot().tensors());
        SnapshotCodec.Snapshot endA = full.checkpoints.get(full.checkpoints.size() - 1);
        SnapshotCodec.Snapshot endB = resumed.checkpoints.get(resumed.checkpoints.size() - 1);
        assertEquals(40, endB.step());
        assertEquals(endA.tensors(), endB.tensors(), "AdamW and GrokFast state equal too");
        assertEquals(metricAt(full, 40).trainLoss(), metricAt(resumed, 40).trainLoss());
    }

    @Test
    void movingAverageWindowOverTheRecordLimitIsLeftOutOfTheCheckpointAndSaid() {
        Map<String, String> meta = Map.of("kind", "checkpoint");
        Tensor weights = Tensor.ofFloats(new float[64], 8, 8);
        // 5 M floats of window: 20 MB, over the 16 MiB record limit of the checkpoints topic
        Map<String, Tensor> big = Map.of("embed.W_E", weights, "adam.m.embed.W_E", weights,
                GrokFast.MovingAverage.PREFIX + "0.embed.W_E", Tensor.ofFloats(new float[5_000_000], 5_000_000));
        SnapshotCodec.Snapshot c = TrainingState.checkpoint("exp-test", 10, big, meta);
        assertEquals(java.util.Set.of("embed.W_E", "adam.m.embed.W_E"), c.tensors().keySet());
        assertTrue(c.metadata().get(SnapshotCodec.META_GROKFAST_STATE).startsWith("omitted: the MA window is 20000000 bytes"),
                c.metadata().toString());
        assertTrue(SnapshotCodec.encode(c).length < io.grokstream.contracts.Topics.MAX_MESSAGE_BYTES);

        Map<String, Tensor> small = Map.of("embed.W_E", weights, GrokFast.MovingAverage.PREFIX + "0.embed.W_E", weights);
        SnapshotCodec.Snapshot kept = TrainingState.checkpoint("exp-test", 10, small, meta);
        assertEquals(small.keySet(), kept.tensors().keySet(), "a window that fits stays in");
        assertNull(kept.metadata().get(SnapshotCodec.META_GROKFAST_STATE));
    }

    @Test
    void resumingWithoutTheMovingAverageWindowReWarmsItAndTrainsOn() {
        var cadence = new Cadence(5, 100, 100, 0, 20);
        var gf = GrokFastConfig.ma(5, 5.0);
        var full = train(exp(FULL_BATCH, gf, 40, 5, cadence), null);
        SnapshotCodec.Snapshot at20 = full.checkpoints.stream().filter(c -> c.step() == 20).findFirst().orElseThrow();
        Map<String, Tensor> withoutWindow = new java.util.LinkedHashMap<>(at20.tensors());
        assertTrue(withoutWindow.keySet().removeIf(k -> k.startsWith(GrokFast.MovingAverage.PREFIX)));

        var resumed = train(exp(FULL_BATCH, gf, 40, 5, cadence),
                new SnapshotCodec.Snapshot(at20.experimentId(), 20, withoutWindow, at20.metadata()));

        assertEquals(List.of(20L), resumed.resumedFrom);
        assertEquals(40, resumed.lastSnapshot().step());
        assertTrue(Double.isFinite(metricAt(resumed, 40).trainLoss()));
        assertNotEquals(full.lastSnapshot().tensors(), resumed.lastSnapshot().tensors(),
                "steps 21-24 run unfiltered while the window re-fills, so the run departs from the uninterrupted one");
    }

    @Test
    void checkpointHoldsWeightsMomentsFilterStateStepAndRng() {
        var l = train(exp(FULL_BATCH, GrokFastConfig.ema(0.98, 2.0), 10, 1, new Cadence(5, 100, 100, 0, 10)), null);
        SnapshotCodec.Snapshot c = l.checkpoints.get(0);
        assertEquals(10, c.step());
        for (ParameterSpec spec : MODEL.parameters()) {
            assertTrue(c.tensors().containsKey(spec.name()), spec.name());
            assertTrue(c.tensors().containsKey("adam.m." + spec.name()), spec.name());
            assertTrue(c.tensors().containsKey("adam.v." + spec.name()), spec.name());
            assertTrue(c.tensors().containsKey("grokfast.ema." + spec.name()), spec.name());
        }
        assertEquals(10L, c.tensors().get("state.step").longs()[0]);
        assertEquals(Tensor.DType.I64, c.tensors().get("state.rng").dtype());
        assertEquals(1L, c.tensors().get("state.rng").longs()[0], "the seed heads the RNG state");
    }

    @Test
    void snapshotsCarryTransformerLensNamesMetadataAndFollowTheCadence() throws Exception {
        var l = train(exp(FULL_BATCH, GrokFastConfig.none(), 25, 1, new Cadence(5, 10, 4, 8, 1000)), null);
        // early every 4 steps up to 8, then every 10; and the end
        assertEquals(List.of(4L, 8L, 10L, 20L, 25L), l.snapshots.stream().map(SnapshotCodec.Snapshot::step).toList());
        SnapshotCodec.Snapshot s = l.lastSnapshot();
        assertEquals(MODEL.parameters().stream().map(ParameterSpec::name).toList(), List.copyOf(s.tensors().keySet()));
        assertEquals(Tensor.DType.F32, s.tensors().get("embed.W_E").dtype());
        assertEquals(TASK.taskId(), s.metadata().get(SnapshotCodec.META_TASK));
        assertEquals(TASK.sha256(), s.metadata().get(SnapshotCodec.META_TASK_SHA));
        assertEquals(MODEL, EventCodec.JSON.readValue(s.metadata().get(SnapshotCodec.META_CONFIG), ModelConfig.class));
    }

    @Test
    void metricsReportLossesAccuraciesNormsAndLearningRate() {
        var l = train(exp(FULL_BATCH, GrokFastConfig.ema(0.98, 2.0), 20, 1, new Cadence(10, 100, 100, 0, 1000)), null);
        assertEquals(List.of(10L, 20L), l.metrics.stream().map(StepMetrics::step).toList());
        StepMetrics m = l.metrics.get(1);
        assertTrue(m.trainLoss() > 0 && m.validationLoss() > 0);
        assertTrue(m.trainAccuracy() >= 0 && m.trainAccuracy() <= 1);
        assertEquals(m.trainAccuracy(), m.trainAccuracyPerTarget().get("out"));
        assertEquals(MODEL.parameters().size(), m.gradNormBefore().size());
        // EMA with lambda 2 amplifies: the filtered gradient is larger than the raw one
        assertTrue(m.gradNormAfter().get("embed.W_E") > m.gradNormBefore().get("embed.W_E"));
        double sumSq = m.gradNormBefore().values().stream().mapToDouble(v -> v * v).sum();
        assertEquals(Math.sqrt(sumSq), m.gradNormTotal(), 1e-9 * m.gradNormTotal());
        assertEquals(m.weightSquared().values().stream().mapToDouble(Double::doubleValue).sum(),
                m.weightSquaredTotal(), 1e-9 * m.weightSquaredTotal());
        assertEquals(3e-3, m.lr(), 1e-15);
        assertEquals(3e-3, l.metrics.get(0).lr(), 1e-15, "warm-up: step 10 of 10 has the full rate");
        assertTrue(m.stepMillis() > 0);
        assertNotNull(l.completed);
        assertEquals("budget", l.completed.reason());
        assertEquals(20, l.completed.finalStep());
        assertEquals(m.validationAccuracy(), l.completed.validationAccuracy());
    }

    @Test
    void nonFiniteLossRollsBackToTheLastCheckpointWithAHalvedLearningRate() {
        var e = exp(FULL_BATCH, GrokFastConfig.ema(0.98, 2.0), 30, 1, new Cadence(5, 100, 100, 0, 10));
        RecordingListener l = new RecordingListener();
        new DjlTrainingJob(e, TASK, null, l, EngineOptions.defaults(), Probes.poisonLossAt(15)).run();

        assertEquals(1, l.anomalies.size());
        var a = l.anomalies.get(0);
        assertEquals("non_finite_loss", a.kind());
        assertEquals("rollback", a.action());
        assertEquals(15, a.step());
        assertTrue(a.detail().contains("rolled back to step 10"), a.detail());
        assertNotNull(l.completed);
        assertEquals(30, l.completed.finalStep());
        // before the fault the run trained at 3e-3; steps 11-30 re-run from the step-10 checkpoint at half of it
        assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L), l.metrics.stream().map(StepMetrics::step).toList());
        assertEquals(3e-3, metricAt(l, 10).lr(), 1e-15);
        assertEquals(1.5e-3, metricAt(l, 15).lr(), 1e-15);
        assertEquals(1.5e-3, metricAt(l, 30).lr(), 1e-15);
        assertTrue(Double.isFinite(metricAt(l, 30).trainLoss()));
    }

    @Test
    void divergingRunFailsAfterThreeRollbacks() {
        var wild = new OptimizerConfig(1e30, 0.0, 0.9, 0.98, 1e-8, 0, 0);
        var l = train(exp(wild, GrokFastConfig.none(), 50, 1, new Cadence(5, 100, 100, 0, 10)), null);
        assertNull(l.completed);
        assertNotNull(l.failed);
        assertEquals(3, l.anomalies.stream().filter(a -> a.action().equals("rollback")).count());
        assertTrue(l.failed.reason().contains("after 3 rollbacks"), l.failed.reason());
    }

    @Test
    void cancelStopsWithinAFewStepsAsCompletedCancelled() {
        var e = exp(FULL_BATCH, GrokFastConfig.none(), 10_000, 1, new Cadence(5, 1000, 1000, 0, 1000));
        RecordingListener l = new RecordingListener();
        TrainingJob job = TrainingJobs.create(e, TASK, null, l);
        l.onMetrics = m -> {
            if (m.step() == 10) {
                job.cancel();
            }
        };
        job.run();
        assertNotNull(l.completed);
        assertEquals("cancelled", l.completed.reason());
        assertTrue(l.completed.finalStep() >= 10 && l.completed.finalStep() <= 12, "" + l.completed.finalStep());
        assertEquals(l.completed.finalStep(), job.step());
        assertEquals(l.completed.finalStep(), l.lastSnapshot().step(), "a final snapshot at the stop");
    }

    @Test
    void earlyStopEndsAtTheFirstMetricsStepOverTheThreshold() {
        var e = Experiments.experiment(MODEL, FULL_BATCH, GrokFastConfig.none(), 1000, 0.0, 1,
                new Cadence(5, 1000, 1000, 0, 1000));
        var l = train(e, null);
        assertEquals("early_stop", l.completed.reason());
        assertEquals(5, l.completed.finalStep());
    }

    @Test
    void checkpointOfAnotherExperimentIsRefused() {
        var e = exp(FULL_BATCH, GrokFastConfig.none(), 10, 1, new Cadence(5, 100, 100, 0, 10));
        var foreign = new SnapshotCodec.Snapshot("someone-else", 10, Map.of(), Map.of());
        var ex = assertThrows(IllegalArgumentException.class,
                () -> TrainingJobs.create(e, TASK, foreign, new RecordingListener()));
        assertTrue(ex.getMessage().contains("someone-else"));
    }

    @Test
    void startedReportsTheDeviceAndAFreshStart() {
        var l = train(exp(FULL_BATCH, GrokFastConfig.none(), 1, 1, new Cadence(1, 1, 1, 0, 1)), null);
        assertEquals(List.of(0L), l.resumedFrom);
        assertFalse(l.devices.get(0).isBlank());
    }

    static StepMetrics metricAt(RecordingListener l, long step) {
        return l.metrics.stream().filter(m -> m.step() == step).reduce((a, b) -> b).orElseThrow();
    }
}
