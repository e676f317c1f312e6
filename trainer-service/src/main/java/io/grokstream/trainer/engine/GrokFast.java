package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GrokFast gradient filters (Lee et al. 2024, "Grokfast: Accelerated Grokking by Amplifying Slow Gradients",
 * Algorithms 1 and 2 and the authors' {@code gradfilter_ema} / {@code gradfilter_ma}), applied between backward and
 * the optimizer step. They amplify the slow (low-frequency) component of the gradient sequence.
 *
 * <ul>
 *   <li>EMA: {@code ema = alpha ema + (1 - alpha) g; g' = g + lambda ema}, with ema initialised to the first
 *       gradient (so after step 1, ema = g_1).</li>
 *   <li>MA: a queue of the last {@code window} gradients; once it is full (the reference code's {@code warmup=True}),
 *       {@code g' = g + lambda avg} where avg is the queue's mean or sum (summed oldest first, like Python's
 *       {@code sum(deque)}); before that {@code g' = g}.</li>
 * </ul>
 * The state lives in the parameter manager and goes into checkpoints as {@code grokfast.ema.<name>} or
 * {@code grokfast.ma.<i>.<name>} (i = 0 oldest).
 */
abstract class GrokFast {

    static GrokFast of(GrokFastConfig config) {
        if (config == null || !config.enabled()) {
            return new None();
        }
        if (!(config.lambda() >= 0) || Double.isInfinite(config.lambda())) {
            throw new IllegalArgumentException("grokfast.lambda must be finite and >= 0, got " + config.lambda());
        }
        return switch (config.kind()) {
            case "ema" -> {
                if (!(config.alpha() >= 0 && config.alpha() < 1)) {
                    throw new IllegalArgumentException("grokfast.alpha must be in [0, 1), got " + config.alpha());
                }
                yield new Ema(config.alpha(), config.lambda());
            }
            case "ma" -> {
                if (config.window() < 1) {
                    throw new IllegalArgumentException("grokfast.window must be >= 1, got " + config.window());
                }
                if (!"mean".equals(config.reduction()) && !"sum".equals(config.reduction())) {
                    throw new IllegalArgumentException("grokfast.reduction must be mean or sum, got " + config.reduction());
                }
                yield new MovingAverage(config.window(), config.lambda(), "sum".equals(config.reduction()));
            }
            default -> throw new IllegalArgumentException("grokfast.kind must be none, ema or ma, got " + config.kind());
        };
    }

    /** Whether the filter changes gradients at all. */
    abstract boolean enabled();

    /**
     * Filters one step's gradients. The returned arrays live in {@code sm} (the step's sub-manager) or are the inputs.
     * State arrays are updated in place or created in {@code pm}.
     */
    abstract Map<String, NDArray> apply(Map<String, NDArray> grads, NDManager sm, NDManager pm);

    /** State tensors by checkpoint name. */
    abstract Map<String, NDArray> state();

    /** Replaces the state with a checkpoint's tensors (already in the parameter manager); others are ignored. */
    abstract void restore(Map<String, NDArray> tensors);

    abstract void close();

    /** No filter. */
    static final class None extends GrokFast {
        boolean enabled() {
            return false;
        }

        Map<String, NDArray> apply(Map<String, NDArray> grads, NDManager sm, NDManager pm) {
            return grads;
        }

        Map<String, NDArray> state() {
            return Map.of();
        }

        void restore(Map<String, NDArray> tensors) {
        }

        void close() {
        }
    }

    /** Lee et al. Algorithm 2 (EMA filter). */
    static final class Ema extends GrokFast {
        static final String PREFIX = "grokfast.ema.";
        private final double alpha;
        private final double lambda;
        private final Map<String, NDArray> ema = new LinkedHashMap<>();

        Ema(double alpha, double lambda) {
            this.alpha = alpha;
            this.lambda = lambda;
        }

        boolean enabled() {
            return true;
        }

        Map<String, NDArray> apply(Map<String, NDArray> grads, NDManager sm, NDManager pm) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                NDArray g = e.getValue();
                NDArray s = ema.get(e.getKey());
                if (s == null) {
                    s = pm.zeros(g.getShape(), g.getDataType());   // 0 + g == g exactly: ema starts at g_1
                    s.addi(g);
                    ema.put(e.getKey(), s);
                } else {
                    s.muli(alpha).addi(g.mul(1 - alpha));
                }
                NDArray scaled = g.zerosLike();                 // in sm, whatever manager s is in
                scaled.addi(s).muli(lambda);
                out.put(e.getKey(), g.add(scaled));
            }
            return out;
        }

        Map<String, NDArray> state() {
            Map<String, NDArray> s = new LinkedHashMap<>();
            ema.forEach((k, a) -> s.put(PREFIX + k, a));
            return s;
        }

        void restore(Map<String, NDArray> tensors) {
            close();
            tensors.forEach((k, a) -> {
                if (k.startsWith(PREFIX)) {
                    ema.put(k.substring(PREFIX.length()), a);
                }
            });
        }

        void close() {
            ema.values().forEach(NDArray::close);
            ema.clear();
        }
    }

    /** Lee et al. Algorithm 1 (MA filter), with the reference code's warm-up (no filtering until the queue is full). */
    static final class MovingAverage extends GrokFast {
        static final String PREFIX = "grokfast.ma.";
        private final int window;
        private final double lambda;
        private final boolean sum;
        private final Map<String, ArrayDeque<NDArray>> queues = new LinkedHashMap<>();

        MovingAverage(int window, double lambda, boolean sum) {
            this.window = window;
            this.lambda = lambda;
            this.sum = sum;
        }

        boolean enabled() {
            return true;
        }

        Map<String, NDArray> apply(Map<String, NDArray> grads, NDManager sm, NDManager pm) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                NDArray g = e.getValue();
                ArrayDeque<NDArray> q = queues.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>());
                if (q.size() == window) {
                    q.removeFirst().close();
                }
                NDArray copy = pm.zeros(g.getShape(), g.getDataType());
                copy.addi(g);
                q.addLast(copy);
                if (q.size() < window) {
                    out.put(e.getKey(), g);
                    continue;
                }
                NDArray acc = g.zerosLike();                    // in sm: 0 + q_0 + q_1 + ... like sum(deque)
                for (NDArray a : q) {
                    acc.addi(a);
                }
                if (!sum) {
                    acc.divi(q.size());
                }
                out.put(e.getKey(), g.add(acc.muli(lambda)));
            }
            return out;
        }

        Map<String, NDArray> state() {
            Map<String, NDArray> s = new LinkedHashMap<>();
            queues.forEach((k, q) -> {
                int i = 0;
                for (Iterator<NDArray> it = q.iterator(); it.hasNext(); i++) {
                    s.put(PREFIX + i + "." + k, it.next());
                }
            });
            return s;
        }

        void restore(Map<String, NDArray> tensors) {
            close();
            // names are grokfast.ma.<i>.<param>; add in index order per parameter
            Map<String, java.util.TreeMap<Integer, NDArray>> byParam = new LinkedHashMap<>();
            tensors.forEach((k, a) -> {
                if (k.startsWith(PREFIX)) {
                    String rest = k.substring(PREFIX.length());
                    int dot = rest.indexOf('.');
                    int index = Integer.parseInt(rest.substring(0, dot));
                    byParam.computeIfAbsent(rest.substring(dot + 1), p -> new java.util.TreeMap<>()).put(index, a);
                }
            });
            byParam.forEach((p, m) -> queues.put(p, new ArrayDeque<>(m.values())));
        }

        void close() {
            queues.values().forEach(q -> q.forEach(NDArray::close));
            queues.clear();
        }
    }
}
