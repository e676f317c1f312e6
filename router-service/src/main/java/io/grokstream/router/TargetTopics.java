package io.grokstream.router;

import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Which team topics exist on the broker. The router may not create topics (the provisioner creates one per team it
 * knows), and a producer sending to a missing topic blocks for a minute on each record before it fails, so the copy
 * loop asks here first and skips the copies for a team that has no topic. The broker's topic list is read again
 * when a topic is not in it, at most every {@code refreshEvery}: a team provisioned later is picked up.
 * Not thread-safe: the copy loop's thread alone uses it.
 */
final class TargetTopics {
    private final Supplier<Set<String>> list;
    private final long refreshEveryNanos;
    private final LongSupplier nanoClock;
    private Set<String> known = Set.of();
    private boolean listed;
    private long listedAt;

    /**
     * @param list the topics the router can see (a consumer's {@code listTopics()}: the broker lists only the topics
     *             a principal may describe, and the router may describe every team topic, since it writes them)
     */
    TargetTopics(Supplier<Set<String>> list, Duration refreshEvery) {
        this(list, refreshEvery, System::nanoTime);
    }

    TargetTopics(Supplier<Set<String>> list, Duration refreshEvery, LongSupplier nanoClock) {
        this.list = list;
        this.refreshEveryNanos = refreshEvery.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Whether {@code topic} exists, listing the broker's topics again if it did not and the list is old enough. */
    boolean exists(String topic) {
        if (known.contains(topic)) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (!listed || now - listedAt >= refreshEveryNanos) {
            known = Set.copyOf(list.get());
            listed = true;
            listedAt = now;
        }
        return known.contains(topic);
    }
}
