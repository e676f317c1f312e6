package io.grokstream.dataset.catalog;

import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@link TaskCatalog} in step with {@code grokstream.tasks.v1}: one consumer thread reads the compacted
 * topic from the beginning (no consumer group: every instance reads everything), so a restarted service knows
 * every task; a tombstone removes a task; an unreadable record goes to the dead-letter topic and the loop goes on.
 * {@link #awaitLoaded} lets start-up wait until the topic has been read to the end it had at start.
 */
@ApplicationScoped
public class CatalogFollower {
    public static final String CONSUMER_NAME = "dataset-service-catalog";
    private static final Logger LOG = Logger.getLogger(CatalogFollower.class);

    private final TaskCatalog catalog;
    private final EventPublisher publisher;
    private final String bootstrapServers;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public CatalogFollower(TaskCatalog catalog, EventPublisher publisher,
                           @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.bootstrapServers = bootstrapServers;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, CONSUMER_NAME));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASKS, Duration.ofSeconds(60)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
        running = true;
        thread = new Thread(() -> follow(end), "task-catalog-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the topic has been read up to its end offsets at {@link #start}. */
    public boolean awaitLoaded(Duration timeout) {
        try {
            return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void follow(Map<TopicPartition, Long> end) {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                if (loaded.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.infof("catalog loaded: %d tasks", catalog.size());
                    loaded.countDown();
                }
            }
        } catch (WakeupException e) {
            // stop() woke the poll
        } catch (RuntimeException e) {
            LOG.error("task catalog follower stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            Optional<TaskDefined> defined = EventCodec.decodeCompacted(TaskDefined.class, record);
            if (defined.isEmpty()) {
                if (record.key() != null) {
                    catalog.remove(record.key());
                }
                return;
            }
            TaskDefined task = defined.get();
            if (task.data() == null || task.data().inputs() == null) {
                throw new IllegalArgumentException("TaskDefined " + task.taskId() + " has no data");
            }
            catalog.put(task);
        } catch (RuntimeException e) {
            LOG.warnf("dead-lettering unreadable record at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            publisher.send(DeadLetters.of(record, CONSUMER_NAME, e));
        }
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
