package io.grokstream.contracts;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The task catalog as a fold of the compacted {@code grokstream.tasks.v1}: the last record per task id wins and a
 * tombstone removes it. Readers look a task up, or wait a bounded time for one the dataset service has not published
 * yet. One thread folds, any thread reads. The trainer's and the analysis service's catalogs are this fold; what
 * each does with an unreadable record is its own.
 */
public final class TaskFold {
    private final Map<String, TaskDefined> tasks = new ConcurrentHashMap<>();
    private final Object changed = new Object();

    /**
     * Folds one record of the tasks topic.
     *
     * @throws RuntimeException for a record that is not a readable {@link TaskDefined} (nothing is folded)
     */
    public void accept(ConsumerRecord<String, byte[]> record) {
        Optional<TaskDefined> task = EventCodec.decodeCompacted(TaskDefined.class, record);
        if (task.isPresent()) {
            put(task.get());
        } else if (record.key() != null) {
            tasks.remove(record.key());
        }
    }

    /** Adds or replaces a task and wakes whoever waits for it. */
    public void put(TaskDefined task) {
        tasks.put(task.taskId(), task);
        wakeWaiters();
    }

    public Optional<TaskDefined> get(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    /**
     * The task, waiting up to {@code wait} for it to be folded; empty when it was not, or as soon as
     * {@code stillFolding} says the fold has stopped (a stopped fold brings nothing more).
     */
    public Optional<TaskDefined> await(String taskId, Duration wait, BooleanSupplier stillFolding)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (changed) {
            while (true) {
                TaskDefined task = tasks.get(taskId);
                if (task != null) {
                    return Optional.of(task);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !stillFolding.getAsBoolean()) {
                    return Optional.empty();
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Wakes the waiters, e.g. when the fold stops. */
    public void wakeWaiters() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    public int size() {
        return tasks.size();
    }
}
