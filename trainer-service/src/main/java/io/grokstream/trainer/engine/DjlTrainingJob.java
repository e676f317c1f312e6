package io.grokstream.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.grokstream.contracts.EndReason;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One experiment's training loop on DJL's PyTorch engine: full- or mini-batch AdamW with an optional GrokFast
 * filter, every step guarded against non-finite values, streaming metrics, snapshots and checkpoints to a
 * {@link TrainingListener}.
 *
 * <p>Native memory: each step runs in its own sub-manager with parameters and optimizer/filter state temp-attached,
 * so every temporary dies with the step (measured without it: ~155 MB of native memory leaked per p = 113 step;
 * {@code NativeMemoryTest} holds the bound).
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

    /** Checkpoints above this many tensor bytes leave the GrokFast MA window out (headroom for the record's framing). */
    static final long CHECKPOINT_BUDGET_BYTES = Topics.MAX_MESSAGE_BYTES - (1L << 20);

    private final ExperimentSubmitted experiment;
    private final TaskDefined task;
    private final ModelConfig config;
    private final TaskLayout layout;
    private final SnapshotCodec.Snapshot checkpoint;
    private final TrainingListener listener;
    private final EngineOptions options;
    private final Map<String, String> metadata;
    private final long[] rngState;
    private final BatchSampler sampler;

    private volatile boolean cancelled;
    private volatile long step;
    /** The run has told its listener how it ended (completed or failed): an engine error after that adds nothing. */
    private boolean endReported;

    /** Test hook: a step (1-based) whose loss is made non-finite once, to exercise the rollback path. */
    private volatile long poisonStep = -1;

    private NDManager pm;
    private Network network;
    private AdamW adam;
    private GrokFast grokFast;
    private LossSpikeDetector spikes;
    private double lrScale = 1.0;
    private long rollbacks;
    private long memorisedStep = -1;
    private long grokStep = -1;

    DjlTrainingJob(ExperimentSubmitted experiment, TaskDefined task, SnapshotCodec.Snapshot checkpoint,
                   TrainingListener listener, EngineOptions options) {
        if (experiment == null || listener == null) {
            throw new IllegalArgumentException("experiment and listener are required");
        }
        this.experiment = experiment;
        this.task = task;
        this.config = experiment.model();
        if (config == null) {
            throw new IllegalArgumentException("experiment.model is required");
        }
        this.layout = new TaskLayout(config, task);
        for (var g : config.outputs()) {
            if (layout.targets().stream().noneMatch(t -> t.unembed().equals(config.unembedName(g)))) {
                throw new IllegalArgumentException("output group " + g.name() + " is read by no target of task "
                        + task.taskId());
            }
        }
        if (config.parameterCount() > ModelConfig.MAX_PARAMETERS) {
            throw new IllegalArgumentException("model has " + config.parameterCount() + " parameters, more than "
                    + ModelConfig.MAX_PARAMETERS);
        }
        var budget = experiment.budget();
        if (budget == null || budget.maxSteps() < 1) {
            throw new IllegalArgumentException("budget.maxSteps must be >= 1");
        }
        var c = experiment.cadence();
        if (c == null || c.metricsEvery() < 1 || c.snapshotEvery() < 1 || c.snapshotEveryEarly() < 1
                || c.checkpointEvery() < 1 || c.earlySteps() < 0) {
            throw new IllegalArgumentException("cadence: metricsEvery, snapshotEvery, snapshotEveryEarly and "
                    + "checkpointEvery must be >= 1, earlySteps >= 0");
        }
        var o = experiment.optimizer() == null ? ExperimentSubmitted.OptimizerConfig.nanda() : experiment.optimizer();
        this.adam = new AdamW(o.lr(), o.weightDecay(), o.beta1(), o.beta2(), o.eps(), o.warmupSteps());
        this.grokFast = GrokFast.of(experiment.grokfast());
        if (checkpoint != null && !experiment.experimentId().equals(checkpoint.experimentId())) {
            throw new IllegalArgumentException("checkpoint belongs to experiment " + checkpoint.experimentId()
                    + ", not " + experiment.experimentId());
        }
        this.checkpoint = checkpoint;
        this.listener = listener;
        this.options = options;
        this.rngState = new long[]{experiment.seed(), SplitMix64.mix(experiment.seed(), 0x5EED5EEDL)};
        this.sampler = new BatchSampler(layout.trainRows(), o.batchSize(), rngState[1]);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(SnapshotCodec.META_TASK, String.valueOf(task.taskId()));
        meta.put(SnapshotCodec.META_TASK_SHA, String.valueOf(task.sha256()));
        try {
            meta.put(SnapshotCodec.META_CONFIG, EventCodec.JSON.writeValueAsString(config));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model config does not encode as JSON: " + e.getOriginalMessage(), e);
        }
        meta.put("dtype", config.dtype());
        this.metadata = meta;
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public long step() {
        return step;
    }

    void poisonLossAt(long t) {
        poisonStep = t;
    }

    /** Arrays alive in the run's manager tree (for the memory test), or -1 when not running. */
    int liveArrays() {
        NDManager m = pm;
        return m == null ? -1 : m.getManagedArrays().size();
    }

    @Override
    public void run() {
        try {
            train();
        } catch (RuntimeException | Error e) {
            if (!endReported) {
                listener.failed(new TrainingFailed(experiment.experimentId(), step,
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
            this.network = new Network(config, layout, manager);
            this.spikes = new LossSpikeDetector(options.spikeFloor(), options.spikeFactor());
            Map<String, Tensor> lastGood = checkpoint != null ? checkpoint.tensors() : freshState();
            restore(lastGood, true);
            listener.started(device.toString(), step);
            runLoop(lastGood);
        } finally {
            if (network != null) {
                network.close();
            }
            adam.close();
            grokFast.close();
            pm = null;
        }
    }

    private void runLoop(Map<String, Tensor> lastGood) {
        var cadence = experiment.cadence();
        long maxSteps = experiment.budget().maxSteps();
        Double stopAt = experiment.budget().stopAtValidationAccuracy();
        long lastMetrics = -1;
        long lastSnapshot = -1;
        long lastCheckpoint = checkpoint != null ? step : -1;
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
            StepResult r = trainStep(t);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r.nonFinite() != null) {
                if (rollbacks >= options.maxRollbacks()) {
                    endReported = true;
                    listener.failed(new TrainingFailed(experiment.experimentId(), t, r.nonFinite() + " at step " + t
                            + " after " + rollbacks + " rollbacks; giving up", Instant.now()));
                    return;
                }
                rollbacks++;
                lrScale *= options.rollbackLrFactor();
                double keptScale = lrScale;
                long keptRollbacks = rollbacks;
                restore(lastGood, false);
                lrScale = keptScale;
                rollbacks = keptRollbacks;
                listener.anomaly(new TrainingAnomaly(experiment.experimentId(), t, r.nonFinite(),
                        "rolled back to step " + step + "; lr scale now " + lrScale + " (rollback " + rollbacks
                                + " of " + options.maxRollbacks() + ")", "rollback"));
                continue;
            }
            step = t;
            millisSinceMetrics += ms;
            stepsSinceMetrics++;
            if (spikes.observe(r.loss())) {
                listener.anomaly(new TrainingAnomaly(experiment.experimentId(), t, "loss_spike",
                        String.format("train loss jumped from %.3g to %.3g", r.previousLoss(), r.loss()), "none"));
            }
            boolean stop = false;
            if (t % cadence.metricsEvery() == 0) {
                last = emitMetrics(t, r, millisSinceMetrics / stepsSinceMetrics);
                millisSinceMetrics = 0;
                stepsSinceMetrics = 0;
                lastMetrics = t;
                if (stopAt != null && last.validation().accuracy() >= stopAt) {
                    stop = true;
                    reason = EndReason.EARLY_STOP.wire();
                }
            }
            if (cadence.snapshotDue(t)) {
                listener.snapshot(snapshot(t));
                lastSnapshot = t;
            }
            if (t % cadence.checkpointEvery() == 0) {
                lastGood = state(t);
                listener.checkpoint(checkpoint(t, lastGood));
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
        if (lastSnapshot != t) {
            listener.snapshot(snapshot(t));
        }
        if (lastCheckpoint != t) {
            listener.checkpoint(checkpoint(t, state(t)));
        }
        endReported = true;
        listener.completed(new TrainingCompleted(experiment.experimentId(), t, last.train().loss(),
                last.validation().loss(), last.train().accuracy(), last.validation().accuracy(),
                memorisedStep < 0 ? null : memorisedStep,
                grokStep < 0 ? null : grokStep, reason, Instant.now()));
    }

    /** The training and validation sets evaluated at one metrics step. */
    record Evaluated(Network.Evaluation train, Network.Evaluation validation) {
    }

    /** The outcome of one optimizer step: loss, squared gradient norms before and after the filter, or a non-finite kind. */
    record StepResult(double loss, double previousLoss, double[] gradSqBefore, double[] gradSqAfter, double lr,
                      String nonFinite) {
    }

    private StepResult trainStep(long t) {
        Map<String, NDArray> params = network.params();
        double prevLoss = spikes.previous();
        try (NDManager sm = pm.newSubManager()) {
            params.values().forEach(w -> w.tempAttach(sm));
            adam.state().values().forEach(a -> a.tempAttach(sm));
            grokFast.state().values().forEach(a -> a.tempAttach(sm));
            int[] rows = sampler.batch(t);
            NDArray loss;
            try (Autograd rec = Autograd.record()) {
                List<NDArray> logits = network.logits(network.tokens(rows, sm), sm);
                loss = network.loss(logits, network.oneHotLabels(rows, sm), sm);
                if (t == poisonStep) {
                    poisonStep = -1;
                    loss = loss.mul(Transformer.constant(Double.NaN, network.dtype(), sm));
                }
                rec.backward(loss);
            }
            double lossValue = loss.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            Map<String, NDArray> grads = new LinkedHashMap<>();
            params.forEach((name, w) -> grads.put(name, w.getGradient()));
            double[] before = Network.sumsOfSquares(new ArrayList<>(grads.values()));
            String bad = !Double.isFinite(lossValue) ? "non_finite_loss" : null;
            if (bad == null) {
                for (double s : before) {
                    if (!Double.isFinite(s)) {
                        bad = "non_finite_gradient";
                        break;
                    }
                }
            }
            if (bad != null) {
                return new StepResult(lossValue, prevLoss, before, before, 0, bad);
            }
            Map<String, NDArray> filtered = grokFast.apply(grads, sm, pm);
            double[] after = grokFast.enabled() ? Network.sumsOfSquares(new ArrayList<>(filtered.values())) : before;
            double lr = adam.learningRate(t, lrScale);
            adam.step(params, filtered, t, lr);
            params.values().forEach(Autograd::zeroGradient);
            return new StepResult(lossValue, prevLoss, before, after, lr, null);
        }
    }

    /** Evaluates train and validation sets, publishes StepMetrics, updates the memorised/grok steps. */
    private Evaluated emitMetrics(long t, StepResult r, double stepMillis) {
        Network.Evaluation train = network.evaluate(layout.trainRows(), options.evalChunkRows());
        Network.Evaluation val = network.evaluate(layout.validationRows(), options.evalChunkRows());
        List<String> names = new ArrayList<>(network.params().keySet());
        Map<String, Double> before = new LinkedHashMap<>();
        Map<String, Double> after = new LinkedHashMap<>();
        double total = 0;
        if (r != null) {
            for (int i = 0; i < names.size(); i++) {
                before.put(names.get(i), Math.sqrt(r.gradSqBefore()[i]));
                after.put(names.get(i), Math.sqrt(r.gradSqAfter()[i]));
                total += r.gradSqBefore()[i];
            }
        }
        Map<String, Double> weightSq = new LinkedHashMap<>();
        double weightTotal = 0;
        try (NDManager sm = pm.newSubManager()) {
            network.params().values().forEach(w -> w.tempAttach(sm));
            double[] sq = Network.sumsOfSquares(new ArrayList<>(network.params().values()));
            for (int i = 0; i < names.size(); i++) {
                weightSq.put(names.get(i), sq[i]);
                weightTotal += sq[i];
            }
        }
        if (memorisedStep < 0 && options.grok().memorised(train.accuracy())) {
            memorisedStep = t;
        }
        if (grokStep < 0 && options.grok().grokked(val.accuracy())) {
            grokStep = t;
        }
        double lr = r != null ? r.lr() : adam.learningRate(Math.max(t, 1), lrScale);
        listener.metrics(new StepMetrics(experiment.experimentId(), t, train.loss(), val.loss(), train.accuracy(),
                val.accuracy(), train.accuracyPerTarget(), val.accuracyPerTarget(), before, after, Math.sqrt(total),
                weightSq, weightTotal, lr, stepMillis));
        return new Evaluated(train, val);
    }

    private SnapshotCodec.Snapshot snapshot(long t) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("kind", "snapshot");
        return new SnapshotCodec.Snapshot(experiment.experimentId(), t, network.weights(), meta);
    }

    /**
     * The checkpoint record for {@code state}. GrokFast MA keeps the last {@code window} gradients (Lee et al.
     * Algorithm 1): 100 copies of Nanda's 0.23 M parameters are 93 MB, over the checkpoints topic's record limit
     * ({@link Topics#MAX_MESSAGE_BYTES}), and such a record could never be published. Then the checkpoint leaves the
     * filter's queue out and says so in its metadata ({@code grokfast_state}); a resumed run re-warms the window as a
     * fresh MA filter does (no filtering until it is full again), so it follows the uninterrupted run only
     * approximately. Weights, AdamW moments, RNG and counters are always in.
     */
    SnapshotCodec.Snapshot checkpoint(long t, Map<String, Tensor> state) {
        Map<String, String> meta = checkpointMeta();
        long bytes = state.values().stream().mapToLong(x -> x.data().length).sum();
        if (bytes > CHECKPOINT_BUDGET_BYTES) {
            Map<String, Tensor> kept = new LinkedHashMap<>(state);
            kept.keySet().removeIf(k -> k.startsWith(GrokFast.MovingAverage.PREFIX));
            long keptBytes = kept.values().stream().mapToLong(x -> x.data().length).sum();
            if (keptBytes < bytes) {
                meta.put(SnapshotCodec.META_GROKFAST_STATE, "omitted: the MA window is " + (bytes - keptBytes) + " bytes, the record limit "
                        + Topics.MAX_MESSAGE_BYTES + "; a resumed run re-warms the window");
                return new SnapshotCodec.Snapshot(experiment.experimentId(), t, kept, meta);
            }
        }
        return new SnapshotCodec.Snapshot(experiment.experimentId(), t, state, meta);
    }

    private Map<String, String> checkpointMeta() {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("kind", "checkpoint");
        meta.put("grokfast", experiment.grokfast() == null ? "none" : experiment.grokfast().kind());
        return meta;
    }

    /** Fresh-run state: Nanda's initial weights from the seed, zero optimizer state. */
    private Map<String, Tensor> freshState() {
        return Initializer.initialWeights(config, experiment.seed());
    }

    /**
     * The full training state after step {@code t}: weights, {@code adam.m.*}, {@code adam.v.*}, GrokFast state,
     * and {@code state.*} scalars (step, RNG seeds, lr scale, rollbacks, detected steps, last loss).
     */
    private Map<String, Tensor> state(long t) {
        Map<String, Tensor> s = new LinkedHashMap<>(network.weights());
        adam.state().forEach((k, a) -> s.put(k, TensorConversions.tensor(a)));
        grokFast.state().forEach((k, a) -> s.put(k, TensorConversions.tensor(a)));
        s.put("state.step", Tensor.ofLongs(new long[]{t}, 1));
        s.put("state.rng", Tensor.ofLongs(rngState.clone(), 2));
        s.put("state.rollbacks", Tensor.ofLongs(new long[]{rollbacks}, 1));
        s.put("state.memorised_step", Tensor.ofLongs(new long[]{memorisedStep}, 1));
        s.put("state.grok_step", Tensor.ofLongs(new long[]{grokStep}, 1));
        s.put("state.lr_scale", Tensor.ofDoubles(new double[]{lrScale}, 1));
        s.put("state.previous_loss", Tensor.ofDoubles(new double[]{spikes.previous()}, 1));
        return s;
    }

    /** Loads a state map (fresh weights only, or a checkpoint) into the run. */
    private void restore(Map<String, Tensor> s, boolean first) {
        network.load(s);
        if (!s.containsKey("state.step")) {
            adam.init(network.params(), pm);
            grokFast.close();
            spikes.reset(Double.NaN);
            step = 0;
            return;
        }
        long[] rng = s.get("state.rng").longs();
        if (first && (rng[0] != rngState[0] || rng[1] != rngState[1])) {
            throw new IllegalArgumentException("checkpoint RNG state " + java.util.Arrays.toString(rng)
                    + " does not come from seed " + experiment.seed());
        }
        Map<String, NDArray> moments = new LinkedHashMap<>();
        Map<String, NDArray> filter = new LinkedHashMap<>();
        s.forEach((k, tensor) -> {
            if (k.startsWith("adam.")) {
                moments.put(k, TensorConversions.array(tensor, pm));
            } else if (k.startsWith("grokfast.")) {
                filter.put(k, TensorConversions.array(tensor, pm));
            }
        });
        if (moments.size() != 2 * network.params().size()) {
            moments.values().forEach(NDArray::close);
            filter.values().forEach(NDArray::close);
            throw new IllegalArgumentException("checkpoint holds " + moments.size() + " AdamW moments, expected "
                    + 2 * network.params().size());
        }
        adam.restore(moments);
        grokFast.restore(filter);
        step = s.get("state.step").longs()[0];
        rollbacks = s.get("state.rollbacks").longs()[0];
        memorisedStep = s.get("state.memorised_step").longs()[0];
        grokStep = s.get("state.grok_step").longs()[0];
        lrScale = s.get("state.lr_scale").doubles()[0];
        spikes.reset(s.get("state.previous_loss").doubles()[0]);
    }
}
