package io.grokstream.contracts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Folds whole topics: follows every partition of its topics from the beginning on its own daemon thread, with no
 * consumer group, and hands each record to a handler. The shape of every event-sourced view (the catalog of tasks,
 * the cancellations, the gateway's views, the analysis service's ledger): the topics are the source of truth and
 * each start reads them again, unless the view keeps its own offsets ({@link Builder#resumeFrom}: the gateway's
 * store), when it reads on from there.
 *
 * <ul>
 *   <li>{@link #awaitCaughtUp} (and {@link Builder#onCaughtUp}) says when the topics have been read up to the ends
 *       they had when the follower started, for a start-up that must know everything already published.</li>
 *   <li>A record the handler cannot read (it throws) goes to the {@link Unreadable} policy, dead-lettered or
 *       skipped, and the follower goes on.</li>
 *   <li>{@link Builder#retryStart} keeps trying to reach the broker at start instead of stopping.</li>
 *   <li>{@link #alive()} says whether the thread still follows, for a readiness check; {@link #close()} wakes the
 *       consumer and waits for the thread.</li>
 * </ul>
 */
public final class TopicFollower implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TopicFollower.class.getName());
    /** How often {@link Builder#onLag} hears the lag while records keep coming (and whenever a poll is empty). */
    static final long LAG_EVERY_NANOS = 2_000_000_000L;

    private final List<String> topics;
    private final Builder b;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean reachedEnd;
    private volatile boolean running = true;
    private volatile Throwable died;

    private TopicFollower(Builder b) {
        this.topics = b.topics;
        this.b = b;
        this.consumer = new KafkaConsumer<>(KafkaSettings.consumer(b.access, null, b.clientId));
        this.thread = new Thread(this::loop, b.clientId);
        this.thread.setDaemon(true);
    }

    /** A follower of {@code topics}, connecting with {@code access}, its thread and client named {@code clientId}. */
    public static Builder follow(KafkaAccess access, String clientId, String... topics) {
        return new Builder(access, clientId, List.of(topics));
    }

    /** Starts the thread (once). */
    public TopicFollower start() {
        thread.start();
        return this;
    }

    /** False once {@link #close()} was called. */
    public boolean running() {
        return running;
    }

    /** Whether the thread still consumes (it has not died of an error). */
    public boolean alive() {
        return thread.isAlive() && died == null;
    }

    /**
     * Waits until the topics have been read up to their end offsets at start.
     *
     * @return false when {@code timeout} passed first, or the follower stopped before
     */
    public boolean awaitCaughtUp(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && reachedEnd;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void loop() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            Map<TopicPartition, Long> end = assignFromTheBeginning(partitions);
            long lastLag = 0;
            while (running && end != null) {
                ConsumerRecords<String, byte[]> records = consumer.poll(b.pollInterval);
                for (ConsumerRecord<String, byte[]> record : records) {
                    accept(record);
                }
                if (!reachedEnd && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    reachedEnd = true;
                    b.onCaughtUp.run();
                    caughtUp.countDown();
                }
                long now = System.nanoTime();
                if (b.onLag != null && (records.isEmpty() || now - lastLag > LAG_EVERY_NANOS)) {
                    lastLag = now;
                    b.onLag.accept(lagPerTopic(partitions));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                died = e;
            }
        } catch (RuntimeException e) {
            died = e;
            LOG.log(System.Logger.Level.ERROR, thread.getName() + " stopped following " + topics + ": " + e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            caughtUp.countDown(); // a waiter learns that it stopped (reachedEnd stays false if it never got there)
            b.onStop.run();
        }
    }

    /** Assigns every partition from offset 0 and returns the end offsets now; null when closed while retrying. */
    private Map<TopicPartition, Long> assignFromTheBeginning(List<TopicPartition> partitions) {
        while (running) {
            try {
                partitions.clear();
                for (String topic : topics) {
                    consumer.partitionsFor(topic, Duration.ofSeconds(60))
                            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
                resume(partitions, end);
                return end;
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                if (b.retryStart == null) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "{0} cannot start following {1} yet ({2}); retrying",
                        thread.getName(), topics, e.getMessage());
                try {
                    Thread.sleep(b.retryStart.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Seeks each partition the view has an offset for to that offset. One beyond the partition's end means the
     * topic is not the one the view was folded from (a new cluster): that partition is read from its beginning and
     * the mismatch logged, the view's own duplicate checks keep it correct.
     */
    private void resume(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> stored = b.resumeFrom.get();
        for (TopicPartition tp : partitions) {
            Long offset = stored.get(tp);
            if (offset == null) {
                continue;
            }
            if (offset > end.getOrDefault(tp, 0L)) {
                LOG.log(System.Logger.Level.WARNING, "{0}: stored offset {1} of {2} is beyond its end {3}; reading it "
                        + "from the beginning", thread.getName(), offset, tp, end.get(tp));
            } else {
                consumer.seek(tp, offset);
            }
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        try {
            b.handler.accept(record);
        } catch (RuntimeException e) {
            b.unreadable.handle(record, e);
        }
    }

    private Map<String, Long> lagPerTopic(List<TopicPartition> partitions) {
        Map<String, Long> perTopic = new HashMap<>();
        for (TopicPartition tp : partitions) {
            consumer.currentLag(tp).ifPresent(l -> perTopic.merge(tp.topic(), l, Long::sum));
        }
        return perTopic;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a follower does with what it reads; {@link #onRecord} and {@link #unreadable} must be given. */
    public static final class Builder {
        private final KafkaAccess access;
        private final String clientId;
        private final List<String> topics;
        private Duration pollInterval = Duration.ofMillis(500);
        private Consumer<ConsumerRecord<String, byte[]>> handler;
        private Unreadable unreadable;
        private Runnable onCaughtUp = () -> { };
        private Consumer<Map<String, Long>> onLag;
        private Runnable onStop = () -> { };
        private Duration retryStart;
        private Supplier<Map<TopicPartition, Long>> resumeFrom = Map::of;

        private Builder(KafkaAccess access, String clientId, List<String> topics) {
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("a follower needs at least one topic");
            }
            this.access = Objects.requireNonNull(access, "access");
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.topics = topics;
        }

        /** The longest one poll waits for records (500 ms unless given). */
        public Builder pollEvery(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /** Each record, in offset order per partition; a throw makes the record {@link #unreadable}. */
        public Builder onRecord(Consumer<ConsumerRecord<String, byte[]>> handler) {
            this.handler = handler;
            return this;
        }

        public Builder unreadable(Unreadable policy) {
            this.unreadable = policy;
            return this;
        }

        /** Run once, on the follower's thread, when the topics are read up to their ends at start. */
        public Builder onCaughtUp(Runnable onCaughtUp) {
            this.onCaughtUp = onCaughtUp;
            return this;
        }

        /** The records not yet read, per topic: every 2 s while records come, and after every empty poll. */
        public Builder onLag(Consumer<Map<String, Long>> onLag) {
            this.onLag = onLag;
            return this;
        }

        /** Run on the follower's thread when it stops, for whatever reason (e.g. to wake waiters). */
        public Builder onStop(Runnable onStop) {
            this.onStop = onStop;
            return this;
        }

        /** Keep trying to reach the broker at start, every {@code backoff}, instead of stopping. */
        public Builder retryStart(Duration backoff) {
            this.retryStart = backoff;
            return this;
        }

        /**
         * Where to read on from, per partition (the next offset to read), asked once the partitions are assigned;
         * a partition it does not name is read from the beginning. For a view that stores its offsets with itself.
         */
        public Builder resumeFrom(Supplier<Map<TopicPartition, Long>> offsets) {
            this.resumeFrom = Objects.requireNonNull(offsets, "offsets");
            return this;
        }

        /**
         * The follower, not started yet ({@link TopicFollower#start()}).
         *
         * @throws IllegalStateException when no handler or no unreadable-record policy was given
         */
        public TopicFollower build() {
            if (handler == null || unreadable == null) {
                throw new IllegalStateException("a follower needs onRecord and unreadable");
            }
            return new TopicFollower(this);
        }

        /**
         * Builds the follower and starts it.
         *
         * @throws IllegalStateException when no handler or no unreadable-record policy was given
         */
        public TopicFollower start() {
            return build().start();
        }
    }
}
