package io.grokstream.trainer.worker;

import io.grokstream.contracts.KafkaAccess;
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

    /** {@code bootstrap user password group workerId stepMillis}: runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        KafkaAccess access = KafkaAccess.scram(args[0], args[1], args[2]);
        WorkerSettings settings = new WorkerSettings(args[4], args[3], 1, Duration.ofSeconds(10), "auto",
                ResourceLimits.withBudget(1L << 32), Duration.ofSeconds(5), ExperimentWorkerTest.LOCK,
                ExperimentWorkerTest.MAX_DELIVERIES);
        new ExperimentWorker(settings, access, WorkerTestKit.publisher(access), new CountingJobs(Long.parseLong(args[5])))
                .start();
        Thread.currentThread().join();
    }

    /** Starts the worker in a new JVM on this test's class path; its output goes to {@code target/}. */
    static Process launch(KafkaAccess access, String group, String workerId, long stepMillis) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = Path.of("target", "crashable-" + workerId + ".log").toFile();
        return new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashableWorkerMain.class.getName(), access.bootstrapServers(), access.username(), access.password(), group,
                workerId, Long.toString(stepMillis)))
                .redirectErrorStream(true).redirectOutput(log).start();
    }
}
