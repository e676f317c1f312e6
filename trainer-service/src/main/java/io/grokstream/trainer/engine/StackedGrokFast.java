package io.grokstream.trainer.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link GrokFast} for a stack of models, each with its own filter: EMA models have their alpha and lambda, MA
 * models their lambda and reduction, and a model without a filter has lambda 0, so its gradient comes out as
 * {@code g + 0 ema}, which equals g. Every model's filtered gradient is made by the very element-wise kernels its
 * separate filter uses, in the same order. MA models of one stack share the window length (the ring's shape and
 * its warm-up); a stack of different windows is refused ({@link StackedTraining#open} says which).
 *
 * <p>A model that is not {@code active} this step keeps its EMA bit for bit (alpha 1, its gradient zeroed); its MA
 * ring takes a zero gradient, so such a model leaves the stack and resumes alone from its last checkpoint.
 */
final class StackedGrokFast {

    private final int models;
    private final double[] alpha;
    private final double[] lambdaEma;
    private final double[] lambdaMa;
    private final double[] divisor;
    /** Each model's filter: "ema", "ma" or null (none), as {@link GrokFastConfig#kind()} names them. */
    private final String[] kinds;
    private final boolean anyEma;
    private final int window;
    private final Map<String, NDArray> ema = new LinkedHashMap<>();
    private final Map<String, NDArray> rings = new LinkedHashMap<>();
    private final Map<String, NDArray> totals = new LinkedHashMap<>();
    private int count;
    private int next;

    StackedGrokFast(List<GrokFastConfig> configs) {
        this.models = configs.size();
        this.alpha = new double[models];
        this.lambdaEma = new double[models];
        this.lambdaMa = new double[models];
        this.divisor = new double[models];
        this.kinds = new String[models];
        boolean ema = false;
        int w = 0;
        for (int i = 0; i < models; i++) {
            GrokFastConfig c = configs.get(i);
            GrokFast.of(c).close();                         // the separate filter's checks of the numbers
            divisor[i] = 1;
            if (c == null || !c.enabled()) {
                continue;
            }
            kinds[i] = c.kind();
            if ("ema".equals(c.kind())) {
                ema = true;
                alpha[i] = c.alpha();
                lambdaEma[i] = c.lambda();
            } else {
                if (w != 0 && w != c.window()) {
                    throw new IllegalArgumentException("grokfast.window differs between stacked models: " + w
                            + " and " + c.window());
                }
                w = c.window();
                lambdaMa[i] = c.lambda();
                divisor[i] = "sum".equals(c.reduction()) ? 1 : c.window();
            }
        }
        this.anyEma = ema;
        this.window = w;
    }

    boolean enabled() {
        return anyEma || window > 0;
    }

    /** The filtered gradients (in {@code sm}, or the inputs when no model filters); state updated in place or in pm. */
    Map<String, NDArray> apply(Map<String, NDArray> grads, boolean[] active, NDManager sm, NDManager pm) {
        if (!enabled()) {
            return grads;
        }
        boolean full = count == window;
        boolean filterMa = window > 0 && count + 1 >= window;
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : grads.entrySet()) {
            NDArray g = PerModel.keep(e.getValue(), active, sm);
            int rank = g.getShape().dimension();
            DataType dtype = g.getDataType();
            NDArray filtered = g;
            if (anyEma) {
                filtered = g.add(emaTerm(e.getKey(), g, active, rank, sm, pm));
            }
            if (window > 0) {
                NDArray total = maTotal(e.getKey(), g, full, pm);
                if (filterMa) {
                    NDArray avg = g.zerosLike().addi(total).divi(PerModel.of(divisor, rank, dtype, sm));
                    filtered = filtered.add(avg.muli(PerModel.of(lambdaMa, rank, dtype, sm)));
                }
            }
            out.put(e.getKey(), filtered);
        }
        if (window > 0) {
            count = Math.min(window, count + 1);
            next = (next + 1) % window;
        }
        return out;
    }

    /** Updates the EMA of one parameter and returns {@code lambda ema} (GrokFast.Ema's order of operations). */
    private NDArray emaTerm(String name, NDArray g, boolean[] active, int rank, NDManager sm, NDManager pm) {
        NDArray s = ema.get(name);
        if (s == null) {
            s = pm.zeros(g.getShape(), g.getDataType());       // 0 + g == g exactly: ema starts at g_1
            s.addi(g);
            ema.put(name, s);
        } else {
            double[] a = new double[models];
            double[] oma = new double[models];
            for (int i = 0; i < models; i++) {
                a[i] = active[i] ? alpha[i] : 1;
                oma[i] = active[i] ? 1 - alpha[i] : 0;
            }
            s.muli(PerModel.of(a, rank, g.getDataType(), sm)).addi(g.mul(PerModel.of(oma, rank, g.getDataType(), sm)));
        }
        NDArray scaled = g.zerosLike();
        return scaled.addi(s).muli(PerModel.of(lambdaEma, rank, g.getDataType(), sm));
    }

    /** Puts g in the MA ring (GrokFast.MovingAverage's running total) and returns the total. */
    private NDArray maTotal(String name, NDArray g, boolean full, NDManager pm) {
        NDArray ring = rings.computeIfAbsent(name, k -> pm.zeros(new Shape(window).addAll(g.getShape()), g.getDataType()));
        NDArray total = totals.computeIfAbsent(name, k -> pm.zeros(g.getShape(), g.getDataType()));
        if (full) {
            total.subi(ring.get(next));
        }
        ring.set(new NDIndex(next), g);
        total.addi(g);
        return total;
    }

    /** Every state array, for temp-attaching. */
    List<NDArray> arrays() {
        List<NDArray> all = new ArrayList<>(ema.values());
        all.addAll(rings.values());
        all.addAll(totals.values());
        return all;
    }

    /**
     * Model i's filter state named as its separate {@link GrokFast} checkpoints it: {@code grokfast.ema.<name>} for
     * an EMA model, the ring, totals and cursor for an MA model, nothing without a filter (or before the first
     * step). New arrays in the state's current manager: temp-attach the state to a sub-manager first.
     */
    Map<String, NDArray> state(int i) {
        Map<String, NDArray> s = new LinkedHashMap<>();
        if ("ema".equals(kinds[i])) {
            ema.forEach((k, a) -> s.put(GrokFast.Ema.PREFIX + k, a.get(i)));
        } else if (kinds[i] != null) {
            if (rings.isEmpty()) {
                return s;
            }
            NDManager manager = rings.values().iterator().next().getManager();
            s.put(GrokFast.MovingAverage.CURSOR, manager.create(new long[]{count, next}));
            rings.forEach((k, a) -> s.put(GrokFast.MovingAverage.RING + k, a.get(new NDIndex(":, {}", i))));
            totals.forEach((k, a) -> s.put(GrokFast.MovingAverage.TOTAL + k, a.get(i)));
        }
        return s;
    }

    void close() {
        ema.values().forEach(NDArray::close);
        rings.values().forEach(NDArray::close);
        totals.values().forEach(NDArray::close);
        ema.clear();
        rings.clear();
        totals.clear();
        count = 0;
        next = 0;
    }
}
