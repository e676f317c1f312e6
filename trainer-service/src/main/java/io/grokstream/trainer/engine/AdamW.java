package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.grokstream.contracts.OptimizerKind;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019, Algorithm 2) with its state owned here, in the parameter manager: DJL's own
 * {@code Optimizer.adamW()} creates its moments lazily in the weight's current manager, which under the per-step
 * sub-manager idiom is freed after step 1, so every later update reads and writes freed native memory (seen as
 * NaN gradients after a few hundred steps). Owning the moments also puts them in checkpoints.
 *
 * <p>The update is PyTorch's {@code torch.optim.AdamW} (single-tensor path), for step {@code t} (1-based):
 * <pre>
 *   w &larr; w (1 - lr_t wd)                                   decoupled weight decay
 *   m &larr; b1 m + (1 - b1) g;   v &larr; b2 v + (1 - b2) g^2
 *   w &larr; w - (lr_t / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * with the linear warm-up {@code lr_t = lr * scale * min(t / warmup, 1)} (Nanda's LambdaLR, shifted by one so the
 * first step does not waste itself at lr 0).
 *
 * <p>With {@link OptimizerKind#ADAM} it is PyTorch's {@code torch.optim.Adam} instead: no decoupled decay, the
 * weight decay enters as an L2 term, {@code g <- g + wd w}, before the moments (Lee et al.'s GrokFast runs; the
 * filter has already acted on g, as in their {@code main.py}, where {@code optimizer.step()} follows the filter).
 */
final class AdamW {

    private final OptimizerKind kind;
    private final double lr;
    private final double weightDecay;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final int warmupSteps;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();

    AdamW(double lr, double weightDecay, double beta1, double beta2, double eps, int warmupSteps) {
        this(OptimizerKind.ADAMW, lr, weightDecay, beta1, beta2, eps, warmupSteps);
    }

    AdamW(OptimizerKind kind, double lr, double weightDecay, double beta1, double beta2, double eps, int warmupSteps) {
        this.kind = kind == null ? OptimizerKind.ADAMW : kind;
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("optimizer.lr must be finite and > 0, got " + lr);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("optimizer.weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("optimizer.beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("optimizer.eps must be > 0, got " + eps);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("optimizer.warmupSteps must be >= 0, got " + warmupSteps);
        }
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.warmupSteps = warmupSteps;
    }

    /** Zero moments for every parameter, created in {@code pm} (never in a step's sub-manager). */
    void init(Map<String, NDArray> params, NDManager pm) {
        close();
        params.forEach((name, w) -> {
            m.put(name, pm.zeros(w.getShape(), w.getDataType()));
            v.put(name, pm.zeros(w.getShape(), w.getDataType()));
        });
    }

    /** The learning rate of step {@code t} (1-based) under warm-up and a rollback scale. */
    double learningRate(long t, double scale) {
        double warm = warmupSteps == 0 ? 1.0 : Math.min((double) t / warmupSteps, 1.0);
        return lr * scale * warm;
    }

    /**
     * Updates every parameter in place with its (possibly filtered) gradient. Call with grad mode off and with the
     * parameters and {@link #state()} temp-attached to the step's sub-manager, so temporaries die with it.
     */
    void step(Map<String, NDArray> params, Map<String, NDArray> grads, long t, double lrT) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray w = e.getValue();
            NDArray g = grads.get(e.getKey());
            NDArray mi = m.get(e.getKey());
            NDArray vi = v.get(e.getKey());
            if (weightDecay != 0 && kind == OptimizerKind.ADAM) {
                g = g.add(w.mul(weightDecay));
            } else if (weightDecay != 0) {
                w.muli(1 - lrT * weightDecay);
            }
            mi.muli(beta1).addi(g.mul(1 - beta1));
            vi.muli(beta2).addi(g.square().muli(1 - beta2));
            NDArray denom = vi.sqrt().divi(bc2Sqrt).addi(eps);
            w.subi(mi.div(denom).muli(lrT / bc1));
        }
    }

    /** The moments, {@code adam.m.<name>} and {@code adam.v.<name>}, for checkpoints and temp-attaching. */
    Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        m.forEach((k, a) -> s.put("adam.m." + k, a));
        v.forEach((k, a) -> s.put("adam.v." + k, a));
        return s;
    }

    /** Replaces the moments with arrays from a checkpoint (already in the parameter manager). */
    void restore(Map<String, NDArray> moments) {
        close();
        moments.forEach((key, a) -> {
            if (key.startsWith("adam.m.")) {
                m.put(key.substring(7), a);
            } else if (key.startsWith("adam.v.")) {
                v.put(key.substring(7), a);
            }
        });
    }

    void close() {
        m.values().forEach(NDArray::close);
        v.values().forEach(NDArray::close);
        m.clear();
        v.clear();
    }
}
