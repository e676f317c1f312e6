package io.grokstream.analysis.math;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FourierLossTest {
    private static final int P = 113;
    private static final List<Integer> KEY = List.of(14, 35, 41);

    private final int[] x = new int[P * P];
    private final int[] y = new int[P * P];
    private final int[] labels = new int[P * P];
    private final int[] train;

    FourierLossTest() {
        for (int r = 0; r < P * P; r++) {
            x[r] = r / P;
            y[r] = r % P;
            labels[r] = (x[r] + y[r]) % P;
        }
        train = java.util.stream.IntStream.range(0, P * P).filter(r -> r % 10 < 3).toArray();
    }

    /** Nanda's logits: sum_w a cos(2 pi w (x + y - c) / p), plus noise. */
    private Dense nandaLogits(double amplitude, double noise, long seed) {
        Random rnd = new Random(seed);
        double[] l = new double[P * P * P];
        for (int r = 0; r < P * P; r++) {
            for (int c = 0; c < P; c++) {
                double v = 0;
                for (int w : KEY) {
                    v += amplitude * Math.cos(2 * Math.PI * w * (x[r] + y[r] - c) / P);
                }
                l[r * P + c] = v + noise * rnd.nextGaussian();
            }
        }
        return Dense.of(P * P, P, l);
    }

    @Test
    void restrictedLossIsNearFullLossAndExcludedLossIsHighForTheFourierAlgorithm() {
        Dense logits = nandaLogits(8, 0.3, 1);
        double full = CrossEntropy.mean(logits, labels, null);
        FourierLoss loss = FourierLoss.of(logits, P, x, y, labels, train, KEY);
        assertTrue(full < 0.05, "the planted logits solve the task, loss " + full);
        assertEquals(full, loss.restricted(), 0.05);
        assertTrue(loss.excluded() > Math.log(P), "excluded loss " + loss.excluded() + " should exceed chance "
                + Math.log(P));
        for (int i = 0; i < KEY.size(); i++) {
            assertTrue(loss.restrictedPerFrequency()[i] > loss.restricted(), "one frequency alone is worse");
            assertTrue(loss.excludedPerFrequency()[i] < loss.excluded(), "removing one frequency hurts less");
        }
    }

    @Test
    void randomLogitsGiveRestrictedLossNearChance() {
        Random rnd = new Random(2);
        double[] l = new double[P * P * P];
        for (int i = 0; i < l.length; i++) {
            l[i] = rnd.nextGaussian();
        }
        FourierLoss loss = FourierLoss.of(Dense.of(P * P, P, l), P, x, y, labels, train, KEY);
        assertEquals(Math.log(P), loss.restricted(), 0.05);
    }

    @Test
    void matchesBruteForceProjectionOfEveryLogitsColumn() {
        int p = 11;
        int n = p * p;
        int[] xs = new int[n];
        int[] ys = new int[n];
        int[] lab = new int[n];
        Random rnd = new Random(5);
        double[] l = new double[n * p];
        // rows in a shuffled grid order, labels (x - y) mod p so they are not the sum itself
        List<Integer> cells = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, n).boxed().toList());
        java.util.Collections.shuffle(cells, rnd);
        for (int r = 0; r < n; r++) {
            xs[r] = cells.get(r) / p;
            ys[r] = cells.get(r) % p;
            lab[r] = Math.floorMod(xs[r] - ys[r], p);
            for (int c = 0; c < p; c++) {
                l[r * p + c] = rnd.nextGaussian() + Math.cos(2 * Math.PI * 3 * (xs[r] + ys[r] - c) / p);
            }
        }
        int[] tr = java.util.stream.IntStream.range(0, n).filter(r -> r % 3 == 0).toArray();
        List<Integer> key = List.of(3, 5);
        Dense logits = Dense.of(n, p, l);
        FourierLoss loss = FourierLoss.of(logits, p, xs, ys, lab, tr, key);
        assertEquals(CrossEntropy.mean(bruteForce(logits, p, xs, ys, key, true), lab, null), loss.restricted(), 1e-10);
        assertEquals(CrossEntropy.mean(bruteForce(logits, p, xs, ys, key, false), lab, tr), loss.excluded(), 1e-10);
        assertEquals(CrossEntropy.mean(bruteForce(logits, p, xs, ys, List.of(5), true), lab, null),
                loss.restrictedPerFrequency()[1], 1e-10);
    }

    /** Projection of each column onto the normalised cos/sin(2 pi w (x+y) / p) vectors, built explicitly. */
    private static Dense bruteForce(Dense logits, int p, int[] xs, int[] ys, List<Integer> key, boolean keep) {
        int n = logits.rows();
        int c = logits.cols();
        double[] out = new double[n * c];
        for (int j = 0; j < c; j++) {
            double mean = 0;
            for (int r = 0; r < n; r++) {
                mean += logits.get(r, j) / n;
            }
            for (int r = 0; r < n; r++) {
                out[r * c + j] = keep ? mean : logits.get(r, j);
            }
            for (int w : key) {
                for (int phase = 0; phase < 2; phase++) {
                    double[] d = new double[n];
                    double norm = 0;
                    for (int r = 0; r < n; r++) {
                        double angle = 2 * Math.PI * w * (xs[r] + ys[r]) / p;
                        d[r] = phase == 0 ? Math.cos(angle) : Math.sin(angle);
                        norm += d[r] * d[r];
                    }
                    double dot = 0;
                    for (int r = 0; r < n; r++) {
                        dot += d[r] * logits.get(r, j) / Math.sqrt(norm);
                    }
                    for (int r = 0; r < n; r++) {
                        out[r * c + j] += (keep ? 1 : -1) * dot * d[r] / Math.sqrt(norm);
                    }
                }
            }
        }
        return Dense.of(n, c, out);
    }
}
