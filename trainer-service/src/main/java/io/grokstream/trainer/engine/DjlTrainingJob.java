package io.grokstream.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.grokstream.contracts.EndReason;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.model.Tensor;
import io.grokstream.trainer.engine.RunMetrics.Evaluated;

import java.time.Instant;
import java.util.Map;

/**
 * One experiment's training loop on DJL's PyTorch engine: full- or mini-batch AdamW with an optional GrokFast
 * filter, every step guarded against non-finite values, streaming metrics, snapshots and checkpoints to a
 * {@link TrainingListener}.
 *
 * <p>The parts: {@link RunPlan} (the experiment, checked), {@link TrainingStep} (one step, and its native-memory
 * discipline), {@link TrainingState} (what a checkpoint holds, and a rollback returns to).
 *
 * <p>Device: {@code Engine.getInstance().defaultDevice()}, the GPU when DJL's PyTorch engine finds one. On a CUDA
 * machine run with the CUDA build of libtorch, e.g. env {@code PYTORCH_FLAVOR=cu124} (and
 * {@code PYTORCH_VERSION=2.7.1}) with the {@code pytorch-native-cu124} jar on the classpath or DJL's cache pre-filled
 * (the JVM runs with {@code -Dai.djl.offline=true}, so it never downloads); bit-identical resumes are promised on
 * the CPU only.
 *
 * <p>Grokking figures (checked at metrics steps): memorised step = first metrics step the run's
 * {@link EngineOptions#grok() criterion} calls memorised (train accuracy &ge; 0.99 on the platform); grok step =
 * first it calls grokked (validation accuracy &ge; 0.95). Accuracy over several targets is the mean of the
 * per-target ones.
 */
final class DjlTrainingJob implements TrainingJob {

    private final RunPlan plan;
    private final TrainingListener listener;
    private final EngineOptions options;
    private final StepProbe probe;
    private final BatchSampler sampler;
    private final AdamW adam;
    private final GrokFast grokFast;

    private volatile boolean cancelled;
    private volatile long step;
    /** The run has told its listener how it ended (completed or failed): an engine error after that adds nothing. */
    private boolean endReported;

    private NDManager pm;
    private Network network;
    private TrainingStep trainStep;
    private RunMetrics metrics;
    private LossSpikeDetector spikes;
    private SnapshotSchedule snapshots;
    private double lrScale = 1.0;
    private long rollbacks;
    private long memorisedStep = -1;
    private long grokStep = -1;

    DjlTrainingJob(ExperimentSubmitted experiment, TaskDefined task, SnapshotCodec.Snapshot checkpoint,
                   TrainingListener listener, EngineOptions options, StepProbe probe) {
        if (experiment == null || listener == null) {
            throw new IllegalArgumentException("experiment and listener are required");
        }
        this.plan = RunPlan.of(experiment, task, checkpoint);
        var o = plan.optimizer();
        this.adam = new AdamW(o.kind(), o.lr(), o.weightDecay(), o.beta1(), o.beta2(), o.eps(), o.warmupSteps());
        this.grokFast = GrokFast.of(experiment.grokfast());
        this.listener = listener;
        this.options = options;
        this.probe = probe == null ? StepProbe.NONE : probe;
        this.sampler = new BatchSampler(plan.layout().trainRows(), o.batchSize(), plan.shuffleSeed());
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public void run() {
        try {
            train();
        } catch (RuntimeException | Error e) {
            if (!endReported) {
                listener.failed(new TrainingFailed(id(), step,
                        "engine error: " + e.getClass().getSimpleName() + ": " + e.getMessage(), Instant.now()));
            }
            if (e instanceof Error err) {
                throw err;
            }
        }
    }

    private void train() {
        Engine engine = Engine.getEngine("PyTorch");        // loads libtorch before any JNI call
        Autograd.off();
        Device device = engine.defaultDevice();
        try (NDManager manager = engine.newBaseManager(device)) {
            this.pm = manager;
            probe.opened(manager);
            this.network = new Network(plan.config(), plan.layout(), manager);
            this.trainStep = new TrainingStep(manager, network, adam, grokFast, sampler, probe,
                    plan.config().dropout(), plan.experiment().seed());
            this.metrics = new RunMetrics(network, plan.layout(), manager, options.evalChunkRows());
            this.spikes = new LossSpikeDetector(options.spikeFloor(), options.spikeFactor());
            this.snapshots = new SnapshotSchedule(plan, options.grok());
            var checkpoint = plan.checkpoint();
            // fresh: the seed's initial weights (Nanda's); a checkpoint without state.step gives weights only
            Map<String, Tensor> start = checkpoint != null ? checkpoint.tensors()
                    : Initializer.initialWeights(plan.config(), plan.experiment().seed());
            TrainingState lastGood = TrainingState.heldBy(start) ? TrainingState.decode(start) : null;
            restore(start, lastGood);
            if (lastGood != null) {
                snapshots.restore(lastGood.snapshotPlan());   // a rollback keeps the count it has: only a resume
            }
            listener.started(device.toString(), step);
            runLoop(start, lastGood);
        } finally {
            if (network != null) {
                network.close();
            }
            adam.close();
            grokFast.close();
            pm = null;
        }
    }

    private void runLoop(Map<String, Tensor> start, TrainingState lastGood) {
        var cadence = plan.experiment().cadence();
        long maxSteps = plan.experiment().budget().maxSteps();
        Double stopAt = plan.experiment().budget().stopAtValidationAccuracy();
        long lastMetrics = -1;
        long lastCheckpoint = plan.checkpoint() != null ? step : -1;
        double millisSinceMetrics = 0;
        int stepsSinceMetrics = 0;
        Evaluated last = null;
        String reason = EndReason.BUDGET.wire();
        while (step < maxSteps) {
            if (cancelled) {
                reason = EndReason.CANCELLED.wire();
                break;
            }
            long t = step + 1;
            long t0 = System.nanoTime();
            TrainingStep.Result r = trainStep.run(t, lrScale, spikes.previous());
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r.nonFinite() != null) {
                if (!rollBack(t, r.nonFinite(), start, lastGood)) {
                    return;
                }
                continue;
            }
            step = t;
            millisSinceMetrics += ms;
            stepsSinceMetrics++;
            boolean spiked = spikes.observe(r.loss());
            if (spiked) {
                listener.anomaly(new TrainingAnomaly(id(), t, TrainingAnomaly.LOSS_SPIKE,
                        String.format("train loss jumped from %.3g to %.3g", r.previousLoss(), r.loss()), "none"));
            }
            boolean stop = false;
            boolean measured = t % cadence.metricsEvery() == 0;
            if (measured) {
                last = emitMetrics(t, r, millisSinceMetrics / stepsSinceMetrics);
                millisSinceMetrics = 0;
                stepsSinceMetrics = 0;
                lastMetrics = t;
                if (stopAt != null && last.validation().accuracy() >= stopAt) {
                    stop = true;
                    reason = EndReason.EARLY_STOP.wire();
                }
            }
            snapshots.after(t, spiked, measured ? last : null, network::weights).forEach(listener::snapshot);
            if (t % cadence.checkpointEvery() == 0) {
                lastGood = state(t);
                listener.checkpoint(plan.checkpoint(lastGood));
                lastCheckpoint = t;
            }
            if (stop) {
                break;
            }
        }
        if (cancelled && reason.equals(EndReason.BUDGET.wire()) && step < maxSteps) {
            reason = EndReason.CANCELLED.wire();
        }
        long t = step;
        if (lastMetrics != t || last == null) {
            last = emitMetrics(t, null, stepsSinceMetrics == 0 ? 0 : millisSinceMetrics / stepsSinceMetrics);
        }
        snapshots.finish(t, network::weights).forEach(listener::snapshot);
        if (lastCheckpoint != t) {
            listener.checkpoint(plan.checkpoint(state(t)));
        }
        endReported = true;
        listener.completed(new TrainingCompleted(id(), t, last.train().loss(), last.validation().loss(),
                last.train().accuracy(), last.validation().accuracy(), memorisedStep < 0 ? null : memorisedStep,
                grokStep < 0 ? null : grokStep, reason, Instant.now()));
    }

    /**
     * Returns to {@code lastGood} (or the start, before the first checkpoint) with a lower learning rate after a
     * non-finite step {@code t}; false when the rollbacks are used up and the run has failed.
     */
    private boolean rollBack(long t, String nonFinite, Map<String, Tensor> start, TrainingState lastGood) {
        if (rollbacks >= options.maxRollbacks()) {
            endReported = true;
            listener.failed(new TrainingFailed(id(), t, nonFinite + " at step " + t + " after " + rollbacks
                    + " rollbacks; giving up", Instant.now()));
            return false;
        }
        double keptScale = lrScale * options.rollbackLrFactor();
        long keptRollbacks = rollbacks + 1;
        restore(start, lastGood);
        snapshots.rewound();
        lrScale = keptScale;
        rollbacks = keptRollbacks;
        listener.anomaly(new TrainingAnomaly(id(), t, nonFinite, "rolled back to step " + step + "; lr scale now "
                + lrScale + " (rollback " + rollbacks + " of " + options.maxRollbacks() + ")", "rollback"));
        return true;
    }

    /** Evaluates train and validation sets, updates the memorised/grok steps, publishes StepMetrics. */
    private Evaluated emitMetrics(long t, TrainingStep.Result r, double stepMillis) {
        Evaluated e = metrics.evaluate();
        if (memorisedStep < 0 && options.grok().memorised(e.train().accuracy())) {
            memorisedStep = t;
        }
        if (grokStep < 0 && options.grok().grokked(e.validation().accuracy())) {
            grokStep = t;
        }
        double lr = r != null ? r.lr() : adam.learningRate(Math.max(t, 1), lrScale);
        listener.metrics(metrics.event(id(), t, e, r, lr, stepMillis));
        return e;
    }

    /** The full training state after step {@code t}, the state a later rollback returns to. */
    private TrainingState state(long t) {
        return new TrainingState(t, network.weights(), TensorConversions.tensors(adam.state()),
                TensorConversions.tensors(grokFast.state()), plan.experiment().seed(), plan.shuffleSeed(), lrScale,
                rollbacks, memorisedStep, grokStep, spikes.previous(), snapshots.state());
    }

    /**
     * Loads {@code state} into the run, or with none (a fresh run, or a rollback before its first checkpoint) the
     * {@code start} weights with zero optimizer state; the counters a state holds are then left as they are.
     */
    private void restore(Map<String, Tensor> start, TrainingState state) {
        if (state == null) {
            network.load(start);
            adam.init(network.params(), pm);
            grokFast.close();
            spikes.reset(Double.NaN);
            step = 0;
            return;
        }
        network.load(state.weights());
        plan.requireOwnSeeds(state);
        if (state.moments().size() != 2 * network.params().size()) {
            throw new IllegalArgumentException("checkpoint holds " + state.moments().size() + " AdamW moments, expected "
                    + 2 * network.params().size());
        }
        adam.restore(TensorConversions.arrays(state.moments(), pm));
        grokFast.restore(TensorConversions.arrays(state.filter(), pm));
        step = state.step();
        rollbacks = state.rollbacks();
        memorisedStep = state.memorisedStep();
        grokStep = state.grokStep();
        lrScale = state.lrScale();
        spikes.reset(state.previousLoss());
    }

    private String id() {
        return plan.experiment().experimentId();
    }
}
