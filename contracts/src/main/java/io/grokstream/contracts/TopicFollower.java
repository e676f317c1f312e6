package io.grokstream.contracts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows every partition of one topic from the beginning on its own daemon thread, with no consumer group, and
 * hands each record to a handler: the shape of every event-sourced view that folds a whole topic (the catalog of
 * tasks, the set of cancellations). {@link #awaitCaughtUp} says when the topic has been read up to the end it had
 * when the follower started, for a start-up that must know everything already published. A handler that throws
 * stops the follower; {@link #alive()} says so, for a readiness check. {@link #close()} wakes the consumer and waits
 * for the thread.
 */
public final class TopicFollower implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TopicFollower.class.getName());

    private final String topic;
    private final Duration pollInterval;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Runnable onStop;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean reachedEnd;
    private volatile boolean running = true;
    private volatile Throwable died;

    /**
     * @param onStop run on the follower's thread when it stops, for whatever reason (e.g. to wake waiters)
     */
    public TopicFollower(String bootstrapServers, String clientId, String topic, Duration pollInterval,
                         Consumer<ConsumerRecord<String, byte[]>> handler, Runnable onStop) {
        this.topic = topic;
        this.pollInterval = pollInterval;
        this.handler = handler;
        this.onStop = onStop;
        this.consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, clientId));
        this.thread = new Thread(this::loop, clientId);
        this.thread.setDaemon(true);
    }

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
     * Waits until the topic has been read up to its end offsets at start.
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
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(pollInterval)) {
                    handler.accept(record);
                }
                if (caughtUp.getCount() > 0
                        && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    reachedEnd = true;
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                died = e;
            }
        } catch (RuntimeException e) {
            died = e;
            LOG.log(System.Logger.Level.ERROR, thread.getName() + " stopped following " + topic + ": " + e.getMessage(), e);
        } finally {
            consumer.close();
            caughtUp.countDown(); // a waiter learns that it stopped (reachedEnd stays false if it never got there)
            onStop.run();
        }
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
}
