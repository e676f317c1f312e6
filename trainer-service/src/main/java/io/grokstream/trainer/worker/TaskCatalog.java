package io.grokstream.trainer.worker;

import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TopicFollower;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
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
    private final EventPublisher publisher;
    private final TopicFollower follower;

    public TaskCatalog(String bootstrapServers, String clientId, EventPublisher publisher) {
        this.publisher = publisher;
        this.follower = new TopicFollower(bootstrapServers, "task-catalog-" + clientId, Topics.TASKS,
                Duration.ofMillis(500), this::fold, this::wakeWaiters);
    }

    public TaskCatalog start() {
        follower.start();
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
                if (left <= 0 || !follower.running()) {
                    return Optional.empty();
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Whether the folding thread is still consuming. */
    public boolean alive() {
        return follower.alive();
    }

    public int size() {
        return tasks.size();
    }

    private void wakeWaiters() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    private void fold(ConsumerRecord<String, byte[]> record) {
        try {
            Optional<TaskDefined> task = EventCodec.decodeCompacted(TaskDefined.class, record);
            if (task.isPresent()) {
                tasks.put(task.get().taskId(), task.get());
                wakeWaiters();
            } else if (record.key() != null) {
                tasks.remove(record.key());
            }
        } catch (RuntimeException e) {
            LOG.warnf("unreadable task record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            EventPublisher.await(publisher.send(DeadLetters.of(record, CONSUMER_NAME, e)));
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
