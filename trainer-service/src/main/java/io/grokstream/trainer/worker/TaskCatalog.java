package io.grokstream.trainer.worker;

import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.UnreadableRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's view of the task catalog: a fold of the compacted {@code grokstream.tasks.v1} topic (read from the
 * beginning on its own thread, last record per task id wins, a tombstone removes it) into a map, so a run can look
 * up its task, waiting a bounded time for one the dataset service has not published yet.
 */
public final class TaskCatalog implements AutoCloseable {
    static final String CONSUMER_NAME = "trainer-task-catalog";
    private static final Logger LOG = Logger.getLogger(TaskCatalog.class);

    private final Map<String, TaskDefined> tasks = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private final KafkaConsumer<String, byte[]> consumer;
    private final EventPublisher publisher;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable died;

    public TaskCatalog(String bootstrapServers, String clientId, EventPublisher publisher) {
        this.publisher = publisher;
        this.consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, clientId + "-tasks"));
        this.thread = new Thread(this::loop, "task-catalog-" + clientId);
        this.thread.setDaemon(true);
    }

    public TaskCatalog start() {
        thread.start();
        return this;
    }

    /** The task, waiting up to {@code wait} for it to appear; empty when it did not. */
    public Optional<TaskDefined> await(String taskId, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (changed) {
            while (true) {
                TaskDefined task = tasks.get(taskId);
                if (task != null) {
                    return Optional.of(task);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return Optional.empty();
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Whether the folding thread is still consuming. */
    public boolean alive() {
        return thread.isAlive() && died == null;
    }

    public int size() {
        return tasks.size();
    }

    private void loop() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASKS, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    fold(record);
                }
                synchronized (changed) {
                    changed.notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                died = e;
            }
        } catch (RuntimeException e) {
            died = e;
            LOG.error("task catalog stopped: " + e.getMessage(), e);
        } finally {
            consumer.close();
            synchronized (changed) {
                changed.notifyAll();
            }
        }
    }

    private void fold(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                tasks.remove(record.key());
            }
            return;
        }
        try {
            GrokEvent event = EventCodec.decode(record.headers(), record.value());
            if (!(event instanceof TaskDefined task)) {
                throw new UnreadableRecordException("expected a TaskDefined on " + Topics.TASKS + ", got "
                        + event.getClass().getSimpleName());
            }
            tasks.put(task.taskId(), task);
        } catch (RuntimeException e) {
            LOG.warnf("unreadable task record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            EventPublisher.await(publisher.send(DeadLetters.of(record, CONSUMER_NAME, e)));
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
