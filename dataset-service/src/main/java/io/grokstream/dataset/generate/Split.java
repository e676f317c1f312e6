package io.grokstream.dataset.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seeded train/validation split every kind uses: a Fisher-Yates shuffle of the row indices driven by
 * {@code java.util.SplittableRandom(seed)} (whose output is specified by its algorithm, so identical on every
 * JVM), the first {@code floor(fraction * rows)} shuffled indices train, the rest validate (as Nanda et al.'s
 * {@code int(frac_train * len(pairs))}). The training indices are returned sorted.
 */
public final class Split {
    private Split() {
    }

    public static int[] trainRows(int rows, double fraction, long seed) {
        int train = (int) Math.floor(fraction * rows);
        if (train < 1 || train > rows - 1) {
            throw new InvalidRequestException("parameters.trainFraction", String.format(
                    "trainFraction %s of %d rows leaves %d training and %d validation rows; both must be at least 1",
                    fraction, rows, train, rows - train));
        }
        int[] order = permutation(rows, new SplittableRandom(seed));
        int[] trainRows = Arrays.copyOf(order, train);
        Arrays.sort(trainRows);
        return trainRows;
    }

    /** A uniformly random permutation of {@code 0..n-1}: Fisher-Yates (Knuth, TAOCP vol. 2, Algorithm P). */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
