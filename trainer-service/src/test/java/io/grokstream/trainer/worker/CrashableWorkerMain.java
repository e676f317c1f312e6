package io.grokstream.trainer.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * TEST FIXTURE: a trainer worker with the {@link CountingJobs} engine in a process of its own, so a test can kill it
 * with SIGKILL ({@link Process#destroyForcibly()}) and see what a real crash leaves on the broker: no
 * acknowledgement, no release, no flush.
 */
public final class CrashableWorkerMain {
    private CrashableWorkerMain() {
    }

    /** {@code bootstrap group workerId stepMillis}: runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        WorkerSettings settings = new WorkerSettings(args[2], args[1], 1, Duration.ofSeconds(10), "auto",
                ResourceLimits.withBudget(1L << 32), Duration.ofSeconds(5), ExperimentWorkerTest.LOCK,
                ExperimentWorkerTest.MAX_DELIVERIES);
        new ExperimentWorker(settings, args[0], WorkerTestKit.publisher(args[0]), new CountingJobs(Long.parseLong(args[3])))
                .start();
        Thread.currentThread().join();
    }

    /** Starts the worker in a new JVM on this test's class path; its output goes to {@code target/}. */
    static Process launch(String bootstrap, String group, String workerId, long stepMillis) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = Path.of("target", "crashable-" + workerId + ".log").toFile();
        return new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashableWorkerMain.class.getName(), bootstrap, group, workerId, Long.toString(stepMillis)))
                .redirectErrorStream(true).redirectOutput(log).start();
    }
}
