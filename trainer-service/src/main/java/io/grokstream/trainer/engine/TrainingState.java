package io.grokstream.trainer.engine;

import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import io.grokstream.model.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a checkpoint holds: the full training state after {@code step}, from which a run continues bit-identically on
 * the CPU. As tensors, in this order: the weights (TransformerLens names), the AdamW moments ({@code adam.m.*},
 * {@code adam.v.*}), the GrokFast state ({@code grokfast.*}), then the {@code state.*} scalars.
 *
 * @param step          the optimizer steps done
 * @param weights       the parameters by TransformerLens name
 * @param moments       AdamW's first and second moments ({@code adam.m.<name>}, {@code adam.v.<name>})
 * @param filter        the GrokFast filter's state ({@code grokfast.*}; none without a filter, or when left out)
 * @param seed          the experiment's seed; with {@code shuffleSeed}, {@code state.rng}
 * @param shuffleSeed   the batch sampler's seed, drawn from {@code seed} ({@link RunPlan#shuffleSeed()})
 * @param lrScale       the learning-rate factor left by rollbacks (1 before any)
 * @param memorisedStep the first metrics step the run counted as memorised, or -1
 * @param grokStep      the first metrics step the run counted as grokked, or -1
 * @param previousLoss  the last step's train loss, which the spike detector compares the next one with (NaN at first)
 * @param snapshotPlan  an adaptive run's {@link SnapshotPlanner#state()} (empty on a fixed cadence, and in
 *                      checkpoints written before adaptive snapshots), so a resumed run keeps its snapshot count
 */
record TrainingState(long step, Map<String, Tensor> weights, Map<String, Tensor> moments, Map<String, Tensor> filter,
                     long seed, long shuffleSeed, double lrScale, long rollbacks, long memorisedStep, long grokStep,
                     double previousLoss, double[] snapshotPlan) {

    /** Checkpoints above this many tensor bytes leave the GrokFast MA window out (headroom for the record's framing). */
    static final long CHECKPOINT_BUDGET_BYTES = Topics.MAX_MESSAGE_BYTES - (1L << 20);

    private static final String STEP = "state.step";
    private static final String SNAPSHOT_PLAN = "state.snapshot_plan";

    TrainingState {
        if (step < 0 || rollbacks < 0 || memorisedStep < -1 || grokStep < -1) {
            throw new IllegalArgumentException("checkpoint counters out of range: step " + step + ", rollbacks "
                    + rollbacks + ", memorised step " + memorisedStep + ", grok step " + grokStep);
        }
        if (!(lrScale > 0) || Double.isInfinite(lrScale)) {
            throw new IllegalArgumentException("checkpoint lr scale must be finite and > 0, got " + lrScale);
        }
        snapshotPlan = snapshotPlan == null ? new double[0] : snapshotPlan.clone();
        weights = prefixed(weights, null);
        moments = prefixed(moments, "adam.");
        filter = prefixed(filter, "grokfast.");
    }

    /** Whether {@code tensors} hold a training state; without {@code state.step} they are weights to start from. */
    static boolean heldBy(Map<String, Tensor> tensors) {
        return tensors.containsKey(STEP);
    }

    /** The state in a checkpoint's tensors: prefixes sort them, {@code state.*} scalars the rest. */
    static TrainingState decode(Map<String, Tensor> tensors) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> moments = new LinkedHashMap<>();
        Map<String, Tensor> filter = new LinkedHashMap<>();
        tensors.forEach((k, t) -> {
            if (k.startsWith("adam.")) {
                moments.put(k, t);
            } else if (k.startsWith("grokfast.")) {
                filter.put(k, t);
            } else if (!k.startsWith("state.")) {
                weights.put(k, t);
            }
        });
        long[] rng = scalar(tensors, "state.rng").longs();
        if (rng.length != 2) {
            throw new IllegalArgumentException("checkpoint RNG state must hold two seeds, got " + rng.length);
        }
        return new TrainingState(scalar(tensors, STEP).longs()[0], weights, moments, filter, rng[0], rng[1],
                scalar(tensors, "state.lr_scale").doubles()[0],
                scalar(tensors, "state.rollbacks").longs()[0], scalar(tensors, "state.memorised_step").longs()[0],
                scalar(tensors, "state.grok_step").longs()[0], scalar(tensors, "state.previous_loss").doubles()[0],
                tensors.containsKey(SNAPSHOT_PLAN) ? tensors.get(SNAPSHOT_PLAN).doubles() : new double[0]);
    }

    /** All of the state as named tensors, in checkpoint order. */
    Map<String, Tensor> tensors() {
        Map<String, Tensor> s = new LinkedHashMap<>(weights);
        s.putAll(moments);
        s.putAll(filter);
        s.put(STEP, Tensor.ofLongs(new long[]{step}, 1));
        s.put("state.rng", Tensor.ofLongs(new long[]{seed, shuffleSeed}, 2));
        s.put("state.rollbacks", Tensor.ofLongs(new long[]{rollbacks}, 1));
        s.put("state.memorised_step", Tensor.ofLongs(new long[]{memorisedStep}, 1));
        s.put("state.grok_step", Tensor.ofLongs(new long[]{grokStep}, 1));
        s.put("state.lr_scale", Tensor.ofDoubles(new double[]{lrScale}, 1));
        s.put("state.previous_loss", Tensor.ofDoubles(new double[]{previousLoss}, 1));
        if (snapshotPlan.length > 0) {
            s.put(SNAPSHOT_PLAN, Tensor.ofDoubles(snapshotPlan, snapshotPlan.length));
        }
        return s;
    }

    /** The checkpoint record of this state for {@code experimentId}, with {@code metadata}; see {@link #checkpoint}. */
    SnapshotCodec.Snapshot encode(String experimentId, Map<String, String> metadata) {
        return checkpoint(experimentId, step, tensors(), metadata);
    }

    /**
     * The checkpoint record for {@code tensors}. GrokFast MA keeps the last {@code window} gradients (Lee et al.
     * Algorithm 1): 100 copies of Nanda's 0.23 M parameters are 93 MB, over the checkpoints topic's record limit
     * ({@link Topics#MAX_MESSAGE_BYTES}), and such a record could never be published. Then the checkpoint leaves the
     * filter's queue out and says so in its metadata ({@code grokfast_state}); a resumed run re-warms the window as a
     * fresh MA filter does (no filtering until it is full again), so it follows the uninterrupted run only
     * approximately. Weights, AdamW moments, RNG and counters are always in.
     */
    static SnapshotCodec.Snapshot checkpoint(String experimentId, long step, Map<String, Tensor> tensors,
                                             Map<String, String> metadata) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        long bytes = bytes(tensors);
        if (bytes > CHECKPOINT_BUDGET_BYTES) {
            Map<String, Tensor> kept = new LinkedHashMap<>(tensors);
            kept.keySet().removeIf(k -> k.startsWith(GrokFast.MovingAverage.PREFIX));
            long keptBytes = bytes(kept);
            if (keptBytes < bytes) {
                meta.put(SnapshotCodec.META_GROKFAST_STATE, "omitted: the MA window is " + (bytes - keptBytes)
                        + " bytes, the record limit " + Topics.MAX_MESSAGE_BYTES + "; a resumed run re-warms the window");
                return new SnapshotCodec.Snapshot(experimentId, step, kept, meta);
            }
        }
        return new SnapshotCodec.Snapshot(experimentId, step, tensors, meta);
    }

    private static long bytes(Map<String, Tensor> tensors) {
        return tensors.values().stream().mapToLong(x -> x.data().length).sum();
    }

    private static Tensor scalar(Map<String, Tensor> tensors, String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("checkpoint lacks " + name);
        }
        return t;
    }

    private static Map<String, Tensor> prefixed(Map<String, Tensor> tensors, String prefix) {
        if (tensors == null) {
            throw new IllegalArgumentException("checkpoint tensor groups must not be null");
        }
        for (String k : tensors.keySet()) {
            boolean grouped = k.startsWith("adam.") || k.startsWith("grokfast.") || k.startsWith("state.");
            if (prefix == null ? grouped : !k.startsWith(prefix)) {
                throw new IllegalArgumentException("tensor " + k + " is in the wrong group of a checkpoint");
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
}
