package io.grokstream.analysis.measure;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small fixed pool on which the independent parts of one snapshot's measure suite run side by side (the weight
 * spectra beside the forward pass; the losses, the neuron Fourier measures and each target's Fourier measures after
 * it). One thread runs every part in place, in the order forked, which is the sequential path the parallel one is
 * held to (bit-identical measures: each part computes the same values on whichever thread, and the caller merges
 * the parts' sinks in a fixed order). The caller waits on its parts but is not one of the pool's threads, so a part
 * never waits for a part queued behind it.
 */
final class MeasurePool implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService pool;

    /** @throws IllegalArgumentException for fewer than one thread */
    MeasurePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("the measure pool needs at least one thread, got " + threads);
        }
        if (threads == 1) {
            pool = null;
            return;
        }
        int id = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "grokstream-measures-" + id + "-" + count.incrementAndGet());
            t.setDaemon(true);   // an analyser the container never closes must not keep the JVM alive
            return t;
        });
    }

    /** Starts {@code part}: on the pool, or (one thread) runs it now. */
    <T> Future<T> fork(Callable<T> part) {
        if (pool == null) {
            FutureTask<T> now = new FutureTask<>(part);
            now.run();
            return now;
        }
        return pool.submit(part);
    }

    /** The part's result; its exception rethrown as it was thrown (an IllegalArgumentException stays one). */
    static <T> T join(Future<T> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a measure part failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a measure part", e);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
