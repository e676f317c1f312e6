package io.grokstream.dataset.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Draws {@code rows} distinct rows by rejection (a row seen before is drawn again), so no example is both trained
 * on and validated. Order is the order of first draw; the hash set only answers membership, so its iteration
 * order never reaches the data. Sampling streams use {@code SplittableRandom(seed ^ SALT)}, independent of the
 * split's {@code SplittableRandom(seed)}.
 */
public final class DistinctSampler {
    /** The golden-ratio constant, to decorrelate the sampling stream from the split stream of the same seed. */
    public static final long SALT = 0x9E3779B97F4A7C15L;

    private DistinctSampler() {
    }

    public static SplittableRandom samplingRandom(long seed) {
        return new SplittableRandom(seed ^ SALT);
    }

    public static List<int[]> draw(int rows, SplittableRandom random, Function<SplittableRandom, int[]> drawOne) {
        Set<Key> seen = new HashSet<>();
        List<int[]> drawn = new ArrayList<>(rows);
        long attempts = 20L * rows + 10_000;
        while (drawn.size() < rows) {
            if (attempts-- == 0) {
                throw new InvalidRequestException("parameters.rows", "could not draw " + rows
                        + " distinct rows (got " + drawn.size() + "); ask for fewer rows or a larger space");
            }
            int[] row = drawOne.apply(random);
            if (seen.add(new Key(row))) {
                drawn.add(row);
            }
        }
        return drawn;
    }

    private record Key(int[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(values, k.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }
}
