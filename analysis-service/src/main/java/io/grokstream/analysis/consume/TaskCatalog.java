package io.grokstream.analysis.consume;

import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TaskFold;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Optional;

/**
 * The task definitions, the {@link TaskFold} of {@code grokstream.tasks.v1} (compacted, one record per task): a
 * snapshot names its task and the measures need its data. A snapshot whose task has not arrived yet waits a bounded time.
 * Unreadable task records are logged and skipped by its follower (the fold re-reads the topic on every start, so
 * dead-lettering them would repeat at each restart; the dataset service is the topic's one writer).
 */
@ApplicationScoped
public class TaskCatalog {
    private final TaskFold fold = new TaskFold();

    /** @throws RuntimeException when the record is unreadable (the follower skips it) */
    void accept(ConsumerRecord<String, byte[]> record) {
        fold.accept(record);
    }

    public void put(TaskDefined task) {
        fold.put(task);
    }

    public Optional<TaskDefined> get(String taskId) {
        return fold.get(taskId);
    }

    /** The task, waiting up to {@code wait} for it to arrive (the fold runs as long as the service). */
    public Optional<TaskDefined> await(String taskId, Duration wait) throws InterruptedException {
        return fold.await(taskId, wait, () -> true);
    }

    public int size() {
        return fold.size();
    }
}
