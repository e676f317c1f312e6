package io.grokstream.router;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.Topics;
import io.grokstream.service.KafkaTopology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies the events of every experiment to the topics its team may read ({@link TeamRouter} decides where): a
 * consumer in group {@value #GROUP} on the experiments, training and measures topics, writing through the
 * service's one idempotent producer (service-kit's {@link EventPublisher}, as the router's Kafka user).
 * <ul>
 *   <li><b>After the fold.</b> It subscribes once the {@link Owners} fold has caught up, so that after a restart the
 *       records of experiments submitted long ago find their owner at once.</li>
 *   <li><b>At least once.</b> A batch's offsets are committed only after the producer has flushed its copies and
 *       the broker acknowledged each. A crash in between copies the batch again, and a team's consumer drops the
 *       duplicates by their {@code ce_id}. A failed copy rewinds the batch, which is copied again after a back-off.</li>
 *   <li><b>Order.</b> Per partition as on the internal topics. Within one poll the experiments topic goes first,
 *       then training, then measures: a poll hands partitions in any order, and this keeps a submission ahead of its
 *       first training events. One instance keeps an experiment's order across the three topics; several instances
 *       split the partitions and would not, so deployments run one.</li>
 *   <li><b>Not copied: snapshots and checkpoints.</b> They are the weights (megabytes each, at every snapshot), and a
 *       team downloads its experiments' weights from the gateway's checkpoint downloads
 *       ({@code GET /api/experiments/{id}/checkpoints/{step}.safetensors}), which check the team's key.</li>
 * </ul>
 */
@ApplicationScoped
public class CopyLoop {
    /** The router's consumer group: its Kafka user may join only the groups starting with this. */
    static final String GROUP = KafkaUser.ROUTER.groupPrefix();
    static final String CLIENT_ID = GROUP + "-copy";
    /** What a team may see of its experiments, in the order a poll's records are copied (see the class comment). */
    static final List<String> SOURCES = List.of(Topics.EXPERIMENTS, Topics.TRAINING, Topics.MEASURES);
    /** How often the broker's topics are listed again while a team's topic is missing. */
    static final Duration TOPICS_REFRESH = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Logger LOG = Logger.getLogger(CopyLoop.class);

    /** Where the loop is: waiting for the fold, copying, or stopped (for good). */
    enum State { WAITING_FOR_OWNERS, COPYING, STOPPED }

    private final Owners owners;
    private final EventPublisher publisher;
    private final KafkaTopology topology;
    private final RouterConfig config;
    private final AtomicLong copied = new AtomicLong();
    private volatile State state = State.WAITING_FOR_OWNERS;
    private volatile String error;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile TeamRouter router;
    private Thread thread;

    public CopyLoop(Owners owners, EventPublisher publisher, KafkaTopology topology, RouterConfig config) {
        this.owners = owners;
        this.publisher = publisher;
        this.topology = topology;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        thread = new Thread(this::run, CLIENT_ID);
        thread.setDaemon(true);
        thread.start();
    }

    /** On shutdown, before the beans (the producer) are destroyed: wakes the consumer and waits for the loop. */
    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (running && !owners.awaitCaughtUp(Duration.ofSeconds(1))) {
                if (owners.stopped()) {
                    throw new IllegalStateException("the owners' fold stopped before it caught up");
                }
            }
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                    KafkaSettings.consumer(topology.access(), GROUP, CLIENT_ID))) {
                consumer = c;
                router = new TeamRouter(owners,
                        new TargetTopics(() -> c.listTopics(Duration.ofSeconds(30)).keySet(), TOPICS_REFRESH),
                        config.ownerWait());
                c.subscribe(SOURCES);
                state = State.COPYING;
                LOG.infof("router copying %s to the team topics (%d experiments known)", SOURCES, owners.size());
                while (running) {
                    ConsumerRecords<String, byte[]> records = c.poll(POLL);
                    if (!records.isEmpty()) {
                        copy(c, records);
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            state = State.STOPPED;
        }
    }

    /**
     * Copies one poll's records, then commits them; on a failed copy, rewinds them for the next poll. A batch in hand
     * when the service stops is not committed (a record of it may have been skipped because the fold had closed): the
     * next start copies it again, and a team drops the duplicates by {@code ce_id}.
     */
    private void copy(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (String topic : SOURCES) {
                for (ConsumerRecord<String, byte[]> record : records.records(topic)) {
                    for (ProducerRecord<String, byte[]> copy : router.copiesOf(record)) {
                        sent.add(publisher.send(copy));
                    }
                }
            }
            publisher.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(); // done after the flush: this only surfaces a failed send
            }
        } catch (WakeupException e) {
            throw e;
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.errorf("router could not copy a batch of %d records (%s); copying it again in %s", records.count(),
                    cause, config.retryBackoff());
            rewind(c, records);
            pause(config.retryBackoff());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
        copied.addAndGet(sent.size());
        if (!running) {
            return;
        }
        try {
            c.commitSync();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // e.g. the group rebalanced during a long wait: the partitions' next owner copies the batch again
            LOG.warnf("router could not commit a copied batch (%s); it will be copied again", e.toString());
        }
    }

    /** Moves each partition back to the first record of the batch, so the next poll returns the batch again. */
    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            c.seek(tp, records.records(tp).get(0).offset());
        }
    }

    private void pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void fail(RuntimeException e) {
        error = String.valueOf(e.getMessage());
        LOG.errorf(e, "router stopped copying: %s", e.getMessage());
    }

    /** Where the loop is. */
    State state() {
        return state;
    }

    /** Why it stopped, or null. */
    String error() {
        return error;
    }

    /** Copies the broker acknowledged. */
    long copied() {
        return copied.get();
    }

    /** Records (or copies to one topic) skipped. */
    long skipped() {
        TeamRouter r = router;
        return r == null ? 0 : r.skipped();
    }
}
