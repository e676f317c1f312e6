package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One optimizer step of a run: forward and backward on the step's batch, the guard against non-finite values, the
 * GrokFast filter and the Adam or AdamW update; dropout on the training forward pass ({@link Dropout}).
 *
 * <p>Native memory: each step runs in its own sub-manager with parameters and optimizer/filter state temp-attached,
 * so every temporary dies with the step (measured without it: ~155 MB of native memory leaked per p = 113 step;
 * {@code NativeMemoryTest} holds the bound). The state itself stays owned by the parameter manager ({@link AdamW}
 * says why).
 */
final class TrainingStep {

    /** The outcome of one step: loss, squared gradient norms before and after the filter, or a non-finite kind. */
    record Result(double loss, double previousLoss, double[] gradSqBefore, double[] gradSqAfter, double lr,
                  String nonFinite) {
    }

    private final NDManager pm;
    private final Network network;
    private final AdamW adam;
    private final GrokFast grokFast;
    private final BatchSampler sampler;
    private final StepProbe probe;
    private final double dropout;
    private final long seed;

    TrainingStep(NDManager pm, Network network, AdamW adam, GrokFast grokFast, BatchSampler sampler, StepProbe probe,
                 double dropout, long seed) {
        this.dropout = dropout;
        this.seed = seed;
        this.pm = pm;
        this.network = network;
        this.adam = adam;
        this.grokFast = grokFast;
        this.sampler = sampler;
        this.probe = probe;
    }

    /** Step {@code t} (1-based); a non-finite loss or gradient leaves the weights and the state untouched. */
    Result run(long t, double lrScale, double previousLoss) {
        Map<String, NDArray> params = network.params();
        try (NDManager sm = pm.newSubManager()) {
            params.values().forEach(w -> w.tempAttach(sm));
            adam.state().values().forEach(a -> a.tempAttach(sm));
            grokFast.arrays().forEach(a -> a.tempAttach(sm));
            int[] rows = sampler.batch(t);
            NDArray loss;
            try (Autograd rec = Autograd.record()) {
                List<NDArray> logits = network.logits(network.tokens(rows, sm), sm, Dropout.forStep(dropout, seed, t));
                loss = probe.loss(t, network.loss(logits, network.oneHotLabels(rows, sm), sm), sm);
                rec.backward(loss);
            }
            double lossValue = loss.toType(DataType.FLOAT64, false).getDouble();
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
                return new Result(lossValue, previousLoss, before, before, 0, bad);
            }
            Map<String, NDArray> filtered = grokFast.apply(grads, sm, pm);
            double[] after = grokFast.enabled() ? Network.sumsOfSquares(new ArrayList<>(filtered.values())) : before;
            double lr = adam.learningRate(t, lrScale);
            adam.step(params, filtered, t, lr);
            params.values().forEach(Autograd::zeroGradient);
            return new Result(lossValue, previousLoss, before, after, lr, null);
        }
    }
}
