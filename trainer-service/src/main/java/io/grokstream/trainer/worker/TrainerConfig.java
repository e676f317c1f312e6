package io.grokstream.trainer.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The trainer worker's settings ({@code grokstream.trainer.*}): who it is, how many experiments it trains at once,
 * how long it waits for a task, which device the operator expects and the resource bounds it refuses beyond.
 */
@ConfigMapping(prefix = "grokstream.trainer")
public interface TrainerConfig {

    /** Whether this process runs the Kafka worker at all (off for a process that only serves health or tools). */
    @WithDefault("true")
    boolean enabled();

    /** The id in {@code TrainingStarted}; default {@code hostname-pid}. */
    Optional<String> workerId();

    /** The consumer group every trainer worker joins. */
    @WithDefault("trainers")
    String group();

    /** Experiments trained at once by this worker; it pauses every partition while this many run. */
    @WithDefault("1")
    int concurrency();

    /** How long a worker waits for an experiment's task to appear on the tasks topic before failing it. */
    @WithDefault("PT30S")
    Duration taskWait();

    /**
     * The device the operator expects: {@code auto} (DJL's default device: the GPU when the PyTorch flavour finds
     * one, else the CPU), {@code cpu} or {@code gpu}. The engine picks the device; a mismatch is logged.
     */
    @WithDefault("auto")
    String device();

    /** Estimated activation memory above which an experiment is refused up front (default 4 GiB). */
    @WithDefault("4294967296")
    long memoryBudgetBytes();

    /** How long a revoked partition's run may take to stop before the rebalance goes on. */
    @WithDefault("PT10S")
    Duration revokeWait();
}
