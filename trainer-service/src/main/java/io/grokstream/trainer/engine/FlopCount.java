package io.grokstream.trainer.engine;

import io.grokstream.model.ModelConfig;

/**
 * Floating-point operations of one training step, for the benchmark's GFLOP/s. Counts the matrix products only
 * (2 FLOPs per multiply-add; softmax, LayerNorm, ReLU and the optimizer are a few percent and left out), as the
 * engine computes them: in the last block queries, attention output, MLP and unembedding only at the
 * {@code queryPositions} target positions, keys and values at every position.
 *
 * <pre>
 * forward per row and block, with q query rows (q = n except in the last block) and n positions:
 *   Q          2 q d (h e)           K, V   2 * 2 n d (h e)
 *   scores     2 h q n e             z      2 h q n e
 *   W_O        2 q (h e) d           MLP    2 * 2 q d m
 * unembedding  2 d C per target (C classes)
 * step = 3 * forward * rows  (backward: about twice the forward, a gradient for the input and one for the weight)
 * </pre>
 * Nanda's p = 113 model (d 128, h 4, e 32, m 512, n 3, one query row, C 113) on 3,830 rows: 5.55e5 FLOPs per row
 * forward, 2.13 GFLOP forward, 6.37 GFLOP per step.
 */
public final class FlopCount {

    private FlopCount() {
    }

    /** Forward FLOPs for one row. */
    public static double forwardPerRow(ModelConfig c, int queryRows, int[] targetClasses) {
        double d = c.dModel();
        double he = (double) c.nHeads() * c.dHead();
        double n = c.nCtx();
        double total = 0;
        for (int l = 0; l < c.nLayers(); l++) {
            double q = l == c.nLayers() - 1 ? queryRows : n;
            if (c.hasAttention()) {
                total += 2 * q * d * he + 2 * 2 * n * d * he;           // Q; K and V
                total += 2 * 2 * c.nHeads() * q * n * c.dHead();        // scores and pattern . V
                total += 2 * q * he * d;                                // W_O
            }
            if (c.hasMlp()) {
                total += 2 * 2 * q * d * c.dMlp();                      // W_in and W_out
            }
        }
        for (int classes : targetClasses) {
            total += 2 * d * classes;
        }
        return total;
    }

    /** FLOPs of one optimizer step on {@code rows} rows: three times the forward pass. */
    public static double step(ModelConfig c, int queryRows, int[] targetClasses, long rows) {
        return 3 * forwardPerRow(c, queryRows, targetClasses) * rows;
    }
}
