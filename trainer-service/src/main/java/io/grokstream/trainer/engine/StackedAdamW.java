package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.OptimizerKind;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link AdamW} for a stack of models, each with its own hyper-parameters: the per-model numbers of step t (the
 * warmed-up learning rate over the bias correction, the decay factor, the betas) are {@link PerModel} tensors, and
 * every update is the same element-wise kernels as {@link AdamW#step} in the same order, once for all models.
 * Adam (L2 in the gradient) and AdamW (decoupled decay) models may share a stack: the term a model does not use
 * is multiplied by an exact 0 or 1.
 *
 * <p>A model that is not {@code active} this step keeps its weights and moments bit for bit: its gradient is
 * zeroed, its betas are 1 and its step size 0, so {@code m <- 1 m + 0 g} and {@code w <- w - 0}.
 */
final class StackedAdamW {

    private final AdamW[] schedules;
    private final OptimizerConfig[] configs;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();

    StackedAdamW(List<OptimizerConfig> configs) {
        this.configs = configs.toArray(OptimizerConfig[]::new);
        this.schedules = new AdamW[this.configs.length];
        for (int i = 0; i < this.configs.length; i++) {
            OptimizerConfig o = this.configs[i];
            // the separate optimizer checks the numbers and owns the warm-up schedule
            schedules[i] = new AdamW(o.kind(), o.lr(), o.weightDecay(), o.beta1(), o.beta2(), o.eps(), o.warmupSteps());
        }
    }

    void init(Map<String, NDArray> params, NDManager pm) {
        close();
        params.forEach((name, w) -> {
            m.put(name, pm.zeros(w.getShape(), w.getDataType()));
            v.put(name, pm.zeros(w.getShape(), w.getDataType()));
        });
    }

    /** Model i's learning rate at step t (1-based) under its warm-up. */
    double learningRate(int i, long t) {
        return schedules[i].learningRate(t, 1.0);
    }

    /** Updates every stacked parameter in place; grad mode off, parameters and state temp-attached to {@code sm}. */
    void step(Map<String, NDArray> params, Map<String, NDArray> grads, long t, boolean[] active, NDManager sm) {
        int n = configs.length;
        double[] b1 = new double[n], omb1 = new double[n], b2 = new double[n], omb2 = new double[n];
        double[] bc2Sqrt = new double[n], eps = new double[n], stepSize = new double[n], decay = new double[n];
        double[] l2 = new double[n];
        boolean anyL2 = false;
        for (int i = 0; i < n; i++) {
            OptimizerConfig o = configs[i];
            double lrT = learningRate(i, t);
            boolean on = active[i];
            boolean adam = o.kind() == OptimizerKind.ADAM;
            b1[i] = on ? o.beta1() : 1;
            omb1[i] = on ? 1 - o.beta1() : 0;
            b2[i] = on ? o.beta2() : 1;
            omb2[i] = on ? 1 - o.beta2() : 0;
            bc2Sqrt[i] = Math.sqrt(1 - Math.pow(o.beta2(), t));
            eps[i] = o.eps();
            stepSize[i] = on ? lrT / (1 - Math.pow(o.beta1(), t)) : 0;
            decay[i] = on && !adam ? 1 - lrT * o.weightDecay() : 1;
            l2[i] = on && adam ? o.weightDecay() : 0;
            anyL2 |= l2[i] != 0;
        }
        Map<Integer, NDArray[]> byRank = new HashMap<>();
        DataType dtype = params.values().iterator().next().getDataType();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray w = e.getValue();
            int rank = w.getShape().dimension();
            NDArray[] k = byRank.computeIfAbsent(rank, r -> new NDArray[]{
                    PerModel.of(b1, r, dtype, sm), PerModel.of(omb1, r, dtype, sm), PerModel.of(b2, r, dtype, sm),
                    PerModel.of(omb2, r, dtype, sm), PerModel.of(bc2Sqrt, r, dtype, sm), PerModel.of(eps, r, dtype, sm),
                    PerModel.of(stepSize, r, dtype, sm), PerModel.of(decay, r, dtype, sm), PerModel.of(l2, r, dtype, sm)});
            NDArray g = PerModel.keep(grads.get(e.getKey()), active, sm);
            NDArray mi = m.get(e.getKey());
            NDArray vi = v.get(e.getKey());
            if (anyL2) {
                g = g.add(w.mul(k[8]));
            }
            w.muli(k[7]);
            mi.muli(k[0]).addi(g.mul(k[1]));
            vi.muli(k[2]).addi(g.square().muli(k[3]));
            NDArray denom = vi.sqrt().divi(k[4]).addi(k[5]);
            w.subi(mi.div(denom).muli(k[6]));
        }
    }

    /**
     * Model i's moments, {@code adam.m.<name>} and {@code adam.v.<name>}, as its separate {@link AdamW} names them:
     * slices in the moments' current manager (temp-attach {@link #arrays()} to a sub-manager first).
     */
    Map<String, NDArray> state(int i) {
        Map<String, NDArray> s = new LinkedHashMap<>();
        m.forEach((k, a) -> s.put("adam.m." + k, a.get(i)));
        v.forEach((k, a) -> s.put("adam.v." + k, a.get(i)));
        return s;
    }

    /** Every stacked moment, for temp-attaching. */
    List<NDArray> arrays() {
        List<NDArray> all = new java.util.ArrayList<>(m.values());
        all.addAll(v.values());
        return all;
    }

    void close() {
        m.values().forEach(NDArray::close);
        v.values().forEach(NDArray::close);
        m.clear();
        v.clear();
    }
}
