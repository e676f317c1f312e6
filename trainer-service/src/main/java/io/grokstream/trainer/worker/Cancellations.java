package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which experiments their teams have cancelled. The worker's own consumer pauses a partition while it trains one
 * of its experiments, so it would not see an {@link ExperimentCancelled} that follows on the same partition; this
 * class therefore reads every partition of {@code grokstream.experiments.v1} from the beginning on its own thread
 * (no consumer group), keeps the cancellations by experiment id and tells the worker of each new one. A
 * cancellation counts only for the team that submitted the experiment (the gateway checks too).
 * Unreadable records are left to the worker's group consumer, which dead-letters them once.
 */
public final class Cancellations implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Cancellations.class);

    private final Map<String, ExperimentCancelled> byExperiment = new ConcurrentHashMap<>();
    private final Consumer<ExperimentCancelled> onCancel;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable died;

    /** @param onCancel called (on the watcher thread, or the caller's of {@link #record}) for each cancellation */
    public Cancellations(String bootstrapServers, String clientId, Consumer<ExperimentCancelled> onCancel) {
        this.onCancel = onCancel;
        this.consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, clientId + "-cancels"));
        this.thread = new Thread(this::loop, "cancel-watcher-" + clientId);
        this.thread.setDaemon(true);
    }

    public Cancellations start() {
        thread.start();
        return this;
    }

    /** Records a cancellation (seen by the watcher or by the worker's own consumer) and passes it on. */
    public void record(ExperimentCancelled cancelled) {
        if (cancelled.experimentId() == null) {
            return;
        }
        byExperiment.putIfAbsent(cancelled.experimentId(), cancelled);
        onCancel.accept(cancelled);
    }

    /** Whether the team that submitted {@code experiment} has cancelled it. */
    public boolean isCancelled(ExperimentSubmitted experiment) {
        return isCancelledBy(experiment.experimentId(), experiment.team());
    }

    /** Whether {@code team} has cancelled {@code experimentId}; another team's cancellation does not count. */
    public boolean isCancelledBy(String experimentId, String team) {
        ExperimentCancelled c = byExperiment.get(experimentId);
        return c != null && Objects.equals(c.team(), team);
    }

    public boolean alive() {
        return thread.isAlive() && died == null;
    }

    private void loop() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EXPERIMENTS, Duration.ofSeconds(60))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Object event;
                    try {
                        event = EventCodec.decode(record.headers(), record.value());
                    } catch (RuntimeException e) {
                        LOG.debugf("cancel watcher skips %s-%d@%d: %s", record.topic(), record.partition(),
                                record.offset(), e.getMessage());
                        continue;
                    }
                    if (event instanceof ExperimentCancelled c) {
                        record(c);
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                died = e;
            }
        } catch (RuntimeException e) {
            died = e;
            LOG.error("cancel watcher stopped: " + e.getMessage(), e);
        } finally {
            consumer.close();
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
