package io.grokstream.trainer.engine;

import io.grokstream.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's small pure parts: RNG, batch sampler, spike detector, FLOP count. */
class SmallPartsTest {

    /** Reference values of Vigna's splitmix64.c with state 0: the first two outputs. */
    @Test
    void splitMixMatchesTheReferenceImplementation() {
        SplitMix64 r = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
    }

    @Test
    void gaussianDrawsHaveUnitMomentsAndReproduceFromTheSeed() {
        double[] a = new double[200_001];
        new SplitMix64(5).fillGaussian(a);
        double mean = Arrays.stream(a).average().orElseThrow();
        double var = Arrays.stream(a).map(x -> (x - mean) * (x - mean)).sum() / a.length;
        assertEquals(0, mean, 0.01);
        assertEquals(1, var, 0.01);
        double[] b = new double[200_001];
        new SplitMix64(5).fillGaussian(b);
        assertArrayEquals(a, b, 0);
    }

    @Test
    void miniBatchesCoverEachEpochOnceAndDependOnlyOnSeedAndStep() {
        int[] rows = IntStream.range(100, 123).toArray();           // 23 rows, batches of 5: 5 batches an epoch
        BatchSampler s = new BatchSampler(rows, 5, 9);
        assertFalse(s.fullBatch());
        assertEquals(5, s.batchesPerEpoch());
        Set<Integer> seen = new HashSet<>();
        for (long t = 1; t <= 5; t++) {
            for (int r : s.batch(t)) {
                assertTrue(seen.add(r), "row " + r + " twice in epoch 1");
            }
        }
        assertEquals(23, seen.size());
        assertEquals(3, s.batch(5).length, "the last batch holds the remainder");
        assertFalse(Arrays.equals(s.batch(1), s.batch(6)), "epoch 2 is a new permutation");
        BatchSampler fresh = new BatchSampler(rows, 5, 9);            // as after a resume: no history
        assertArrayEquals(s.batch(7), fresh.batch(7));
        assertNotEquals(Arrays.toString(s.batch(7)), Arrays.toString(new BatchSampler(rows, 5, 10).batch(7)));
        assertArrayEquals(rows, new BatchSampler(rows, 0, 9).batch(3), "batchSize 0 is the full batch");
    }

    /** The SPIKES slingshot (7e-8 -> 0.28) is a spike; ordinary noise and a high loss rising further are not. */
    @Test
    void spikeIsAHundredfoldJumpFromATinyLoss() {
        LossSpikeDetector d = new LossSpikeDetector(1e-3, 100);
        assertFalse(d.observe(2.5));
        assertFalse(d.observe(7e-8));
        assertTrue(d.observe(0.28));
        assertFalse(d.observe(0.5), "from a loss that is not tiny");
        assertFalse(d.observe(1e-6));
        assertFalse(d.observe(5e-6), "small relative noise");
        assertFalse(d.observe(5e-4), "a 100x jump that stays below the floor");
    }

    /**
     * Nanda's p = 113 model per row, query at the last position only (d 128, 4 heads of 32, d_mlp 512, 3 tokens):
     * Q 2*128*128 = 32,768; K and V 2*2*3*128*128 = 196,608; scores and z 2*2*4*3*32 = 1,536;
     * W_O 2*128*128 = 32,768; MLP 2*2*128*512 = 262,144; unembedding 2*128*113 = 28,928; total 554,752.
     */
    @Test
    void flopCountOfNandasModelMatchesTheHandSum() {
        ModelConfig c = ModelConfig.nanda(113);
        assertEquals(554_752, FlopCount.forwardPerRow(c, 1, new int[]{113}), 0);
        assertEquals(3.0 * 554_752 * 3830, FlopCount.step(c, 1, new int[]{113}, 3830), 0);
    }
}
