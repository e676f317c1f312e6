package io.grokstream.analysis.consume;

import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TaskFold;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * The task definitions, the {@link TaskFold} of {@code grokstream.tasks.v1} (compacted, one record per task): a
 * snapshot names its task and the measures need its data. A snapshot whose task has not arrived yet waits a bounded time.
 * Unreadable task records are logged and skipped here (the fold re-reads the topic on every start, so
 * dead-lettering them would repeat at each restart; the dataset service is the topic's one writer).
 */
@ApplicationScoped
public class TaskCatalog {
    private static final Logger LOG = Logger.getLogger(TaskCatalog.class);

    private final TaskFold fold = new TaskFold();

    void accept(ConsumerRecord<String, byte[]> record) {
        try {
            fold.accept(record);
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable task record at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
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
