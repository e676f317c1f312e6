package io.grokstream.dataset.catalog;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TopicFollower;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.Unreadable;
import io.grokstream.service.KafkaTopology;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * Keeps {@link TaskCatalog} in step with {@code grokstream.tasks.v1}: a {@link TopicFollower} reads the compacted
 * topic from the beginning (no consumer group: every instance reads everything), so a restarted service knows every
 * task; a tombstone removes a task; an unreadable record goes to the dead-letter topic and the loop goes on.
 * {@link #awaitLoaded} lets start-up wait until the topic has been read to the end it had at start.
 */
@ApplicationScoped
public class CatalogFollower {
    public static final String CONSUMER_NAME = "dataset-service-catalog";
    private static final Logger LOG = Logger.getLogger(CatalogFollower.class);

    private final TaskCatalog catalog;
    private final EventPublisher publisher;
    private final KafkaTopology topology;
    private TopicFollower follower;

    public CatalogFollower(TaskCatalog catalog, EventPublisher publisher,
                           KafkaTopology topology) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.topology = topology;
    }

    public synchronized void start() {
        if (follower == null) {
            follower = TopicFollower.follow(topology.access(), CONSUMER_NAME, Topics.TASKS).onRecord(this::apply)
                    .unreadable(Unreadable.deadLetter(publisher, CONSUMER_NAME)).start();
        }
    }

    /** Waits until the topic has been read up to its end offsets at {@link #start}. */
    public boolean awaitLoaded(Duration timeout) {
        TopicFollower f;
        synchronized (this) {
            f = follower;
        }
        boolean loaded = f != null && f.awaitCaughtUp(timeout);
        if (loaded) {
            LOG.infof("catalog loaded: %d tasks", catalog.size());
        }
        return loaded;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
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
    }

    @PreDestroy
    synchronized void stop() {
        if (follower != null) {
            follower.close();
        }
    }
}
