package io.grokstream.analysis;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.TaskDefined;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task definitions, folded from {@code grokstream.tasks.v1} (compacted, one record per task): a snapshot names
 * its task and the measures need its data. A snapshot whose task has not arrived yet waits a bounded time.
 * Unreadable task records are logged and skipped here (the fold re-reads the topic on every start, so
 * dead-lettering them would repeat at each restart; the dataset service is the topic's one writer).
 */
@ApplicationScoped
public class TaskCatalog {
    private static final Logger LOG = Logger.getLogger(TaskCatalog.class);

    private final Map<String, TaskDefined> tasks = new ConcurrentHashMap<>();
    private final Object arrivals = new Object();

    void accept(ConsumerRecord<String, byte[]> record) {
        try {
            Optional<TaskDefined> task = EventCodec.decodeCompacted(TaskDefined.class, record);
            if (task.isPresent()) {
                put(task.get());
            } else if (record.key() != null) {
                tasks.remove(record.key());
            }
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable task record at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    public void put(TaskDefined task) {
        tasks.put(task.taskId(), task);
        synchronized (arrivals) {
            arrivals.notifyAll();
        }
    }

    public Optional<TaskDefined> get(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    /** The task, waiting up to {@code wait} for it to arrive. */
    public Optional<TaskDefined> await(String taskId, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (arrivals) {
            while (!tasks.containsKey(taskId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                arrivals.wait(Math.max(1, left / 1_000_000));
            }
        }
        return get(taskId);
    }

    public int size() {
        return tasks.size();
    }
}
