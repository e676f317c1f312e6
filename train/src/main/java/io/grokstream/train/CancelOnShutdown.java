package io.grokstream.train;

import io.grokstream.trainer.engine.TrainingJob;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a job on this thread so that Ctrl-C or SIGTERM cancels it instead of killing it: a shutdown hook calls
 * {@link TrainingJob#cancel()} and holds the JVM (up to {@link #GRACE_SECONDS}) until the job has returned, its final
 * snapshot and checkpoint written, and its files closed.
 */
final class CancelOnShutdown {
    static final long GRACE_SECONDS = 120;

    private CancelOnShutdown() {
    }

    /** Runs {@code job}, then closes {@code files}, before a shutdown under way may go on. */
    static void run(TrainingJob job, Closeable files) throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            job.cancel();
            try {
                done.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "grokstream-train-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            job.run();
        } finally {
            files.close();
            done.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the job saw cancel() and wrote its final snapshot and checkpoint
        }
    }
}
