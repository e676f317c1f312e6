package io.grokstream.trainer.engine;

import java.util.Arrays;

/**
 * Which training rows step {@code t} sees. Full batch: all of them, every step. Mini-batch: epochs of
 * {@code ceil(n / batchSize)} batches over a permutation drawn per epoch from {@code mix(shuffleSeed, epoch)}. The
 * batch of a step is a pure function of (shuffleSeed, t), so a resumed run needs only the seed and the step to
 * see the very same batches.
 */
final class BatchSampler {

    private final int[] rows;
    private final int batchSize;
    private final long shuffleSeed;
    private long cachedEpoch = -1;
    private int[] cachedPermutation;

    BatchSampler(int[] rows, int batchSize, long shuffleSeed) {
        if (batchSize < 0) {
            throw new IllegalArgumentException("optimizer.batchSize must be >= 0 (0 = full batch), got " + batchSize);
        }
        this.rows = rows.clone();
        this.batchSize = batchSize == 0 || batchSize >= rows.length ? rows.length : batchSize;
        this.shuffleSeed = shuffleSeed;
    }

    boolean fullBatch() {
        return batchSize == rows.length;
    }

    int batchesPerEpoch() {
        return (rows.length + batchSize - 1) / batchSize;
    }

    long shuffleSeed() {
        return shuffleSeed;
    }

    /** The rows of step {@code t} (1-based). */
    int[] batch(long t) {
        if (fullBatch()) {
            return rows;
        }
        long index = t - 1;
        long epoch = index / batchesPerEpoch();
        int b = (int) (index % batchesPerEpoch());
        if (epoch != cachedEpoch) {
            int[] perm = rows.clone();
            new SplitMix64(SplitMix64.mix(shuffleSeed, epoch)).shuffle(perm);
            cachedPermutation = perm;
            cachedEpoch = epoch;
        }
        return Arrays.copyOfRange(cachedPermutation, b * batchSize, Math.min(rows.length, (b + 1) * batchSize));
    }
}
