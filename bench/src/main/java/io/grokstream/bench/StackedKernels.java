package io.grokstream.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.grokstream.model.ModelConfig;

/** {@code ./grokstream bench-stacked --kernels}: single kernels of the training step, stacked against separate. */
final class StackedKernels {

    private StackedKernels() {
    }

    /**
     * The step's own products and element-wise ops, stacked against separate: whether a batched kernel over M
     * models is cheaper than M kernels (fewer launches) or dearer (M times the bytes, out of cache).
     */
    static void compare(int rows, ModelConfig c, int models) {
        int d = c.dModel();
        int[][] shapes = {{rows * c.nCtx(), d, c.nHeads() * c.dHead()}, {rows, d, c.dMlp()}, {rows, c.dMlp(), d},
                {rows, d, c.outputs().get(0).classes()}};
        System.out.printf("load average      %.2f before%n", BenchStacked.load());
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            for (int[] s : shapes) {
                NDArray xs = m.randomNormal(new Shape(models, s[0], s[1]));
                NDArray ws = m.randomNormal(new Shape(models, s[1], s[2]));
                NDArray x1 = m.randomNormal(new Shape(s[0], s[1]));
                NDArray w1 = m.randomNormal(new Shape(s[1], s[2]));
                NDArray big = m.randomNormal(new Shape(models, s[0], s[2]));
                NDArray one = m.randomNormal(new Shape(s[0], s[2]));
                double bmm = millis(() -> xs.matMul(ws), 1);
                double mm = millis(() -> x1.matMul(w1), models);
                double ewStacked = millis(() -> big.mul(big).addi(big), 1);
                double ewSeparate = millis(() -> one.mul(one).addi(one), models);
                System.out.printf("[%d x %d] x [%d x %d]  product: stacked %.2f ms, %d separate %.2f ms (%.2fx);"
                                + " element-wise x*x+x: stacked %.2f ms, separate %.2f ms (%.2fx)%n", s[0], s[1], s[1],
                        s[2], bmm, models, mm, mm / bmm, ewStacked, ewSeparate, ewSeparate / ewStacked);
            }
        }
        System.out.printf("load average      %.2f after%n", BenchStacked.load());
    }

    /** Best of 10 rounds (after 3) of {@code times} calls of {@code op}, each result read and closed, in ms. */
    private static double millis(java.util.function.Supplier<NDArray> op, int times) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 13; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < times; i++) {
                try (NDArray z = op.get()) {
                    z.getFloat(new long[z.getShape().dimension()]);       // forces completion
                }
            }
            if (round >= 3) {
                best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            }
        }
        return best;
    }

}
