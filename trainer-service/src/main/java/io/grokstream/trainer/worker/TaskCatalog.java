package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TaskFold;
import io.grokstream.contracts.TopicFollower;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.Unreadable;

import java.time.Duration;
import java.util.Optional;

/**
 * The worker's view of the task catalog: the {@link TaskFold} of the compacted {@code grokstream.tasks.v1} topic,
 * followed from the beginning on its own thread, so a run can look up its task, waiting a bounded time for one the
 * dataset service has not published yet. An unreadable task record is dead-lettered.
 */
public final class TaskCatalog implements AutoCloseable {
    static final String CONSUMER_NAME = "trainer-task-catalog";

    private final TaskFold fold = new TaskFold();
    private final TopicFollower follower;

    public TaskCatalog(KafkaAccess access, String clientId, EventPublisher publisher) {
        this.follower = TopicFollower.follow(access, "task-catalog-" + clientId, Topics.TASKS)
                .onRecord(fold::accept).unreadable(Unreadable.deadLetter(publisher, CONSUMER_NAME))
                .onStop(fold::wakeWaiters).build();
    }

    public TaskCatalog start() {
        follower.start();
        return this;
    }

    /** The task, waiting up to {@code wait} for it to appear; empty when it did not, or the follower stopped. */
    public Optional<TaskDefined> await(String taskId, Duration wait) throws InterruptedException {
        return fold.await(taskId, wait, follower::running);
    }

    /** Whether the folding thread is still consuming. */
    public boolean alive() {
        return follower.alive();
    }

    public int size() {
        return fold.size();
    }

    @Override
    public void close() {
        follower.close();
    }
}
