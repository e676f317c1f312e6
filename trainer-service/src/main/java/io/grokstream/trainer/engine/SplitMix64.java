package io.grokstream.trainer.engine;

/**
 * The engine's own seeded random generator: SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable
 * pseudorandom number generators"), whose whole state is one {@code long}. Owning it, rather than using
 * {@link java.util.SplittableRandom}, lets a checkpoint store the state as an I64 tensor and a resumed run continue
 * the very same stream; runs are reproducible from the experiment's seed on any JVM.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long state() {
        return state;
    }

    long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound) (Lemire's rejection keeps it unbiased). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long r;
        long m;
        do {
            r = nextLong() >>> 33;           // 31 random bits
            m = r % bound;
        } while (r - m + (bound - 1) < 0 || r - m + (bound - 1) >= (1L << 31));
        return (int) m;
    }

    /**
     * Fills {@code out} with independent standard normal draws (Box-Muller transform, both values of each pair used).
     */
    void fillGaussian(double[] out) {
        for (int i = 0; i < out.length; i += 2) {
            double u1 = 1.0 - nextDouble();                    // (0, 1]: log is finite
            double u2 = nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[i] = r * Math.cos(2 * Math.PI * u2);
            if (i + 1 < out.length) {
                out[i + 1] = r * Math.sin(2 * Math.PI * u2);
            }
        }
    }

    /** A generator for a derived stream (e.g. one epoch's shuffle), independent of this one's position. */
    static long mix(long a, long b) {
        return new SplitMix64(a ^ (b * GOLDEN_GAMMA)).nextLong();
    }

    /** Fisher-Yates shuffle of {@code values} in place. */
    void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
