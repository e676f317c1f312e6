package io.grokstream.analysis.math;

import java.util.Arrays;

/**
 * The Gini coefficient as a sparsity measure (Hurley and Rickard 2009, "Comparing measures of sparsity",
 * IEEE Trans. Inf. Theory 55(10), Section III, measure G): with the magnitudes sorted ascending
 * c_(1) <= ... <= c_(N),
 * <pre>G(c) = 1 - 2 sum_k (c_(k) / ||c||_1) ((N - k + 1/2) / N)</pre>
 * 0 for a flat vector, 1 - 1/N for a single non-zero entry. The analysis applies it to Fourier-component norms:
 * a network that has grokked uses few frequencies, so its Gini is high (Nanda et al. 2023, Section 5.1).
 */
public final class Gini {
    private Gini() {
    }

    /** @throws IllegalArgumentException for an empty vector, a negative or non-finite entry */
    public static double of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("Gini needs at least one value");
        }
        double[] c = values.clone();
        for (double v : c) {
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException("Gini needs finite non-negative magnitudes, got " + v);
            }
        }
        Arrays.sort(c);
        double l1 = 0;
        for (double v : c) {
            l1 += v;
        }
        if (l1 == 0) {
            return 0;
        }
        int n = c.length;
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += (c[k - 1] / l1) * ((n - k + 0.5) / n);
        }
        return 1 - 2 * sum;
    }
}
