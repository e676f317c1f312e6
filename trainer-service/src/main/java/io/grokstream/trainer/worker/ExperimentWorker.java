package io.grokstream.trainer.worker;

import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.UnreadableRecordException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trainer worker: a member of consumer group {@code trainers} on {@code grokstream.experiments.v1} that trains
 * the experiments Kafka assigns it, without ever blocking its poll loop on training.
 *
 * <p>The loop (one thread owns the consumer):
 * <ul>
 *   <li>An {@link ExperimentSubmitted} starts an {@link ExperimentRun} on the worker pool (at most
 *       {@code concurrency} at once) and pauses its partition; the consumer is rewound to the record after it, so
 *       nothing behind it on that partition is processed before it ends. While {@code concurrency} runs are going
 *       every partition is paused. The loop keeps polling, so the group never sees a slow member.</li>
 *   <li>The experiment's offset is committed only after its terminal event is acknowledged by the broker; a
 *       worker that dies mid-run leaves it uncommitted, and the next owner resumes from the checkpoint.</li>
 *   <li>Partitions are assigned cooperatively (incremental rebalancing): a joining worker takes partitions without
 *       interrupting runs on the ones that stay. A run on a revoked (or lost) partition is handed over: cancelled,
 *       and silenced so it publishes nothing more.</li>
 *   <li>{@link ExperimentCancelled} records cancel the run (seen here, or by {@link Cancellations} while the
 *       partition is paused); a cancelled experiment not yet started is ended with reason {@code cancelled}.</li>
 *   <li>Unreadable records go to the dead-letter topic and the loop goes on.</li>
 * </ul>
 */
public final class ExperimentWorker implements AutoCloseable {
    /** The consumer name in dead-letter headers. */
    public static final String CONSUMER_NAME = "trainer-worker";
    private static final Logger LOG = Logger.getLogger(ExperimentWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int SESSION_TIMEOUT_MS = 10_000;

    private final WorkerSettings settings;
    private final EventPublisher publisher;
    private final TaskCatalog tasks;
    private final Cancellations cancellations;
    private final ExperimentRun.Context runContext;
    private final KafkaConsumer<String, byte[]> consumer;
    private final ExecutorService pool;
    private final Thread thread;

    /** Runs by partition: poll thread only. */
    private final Map<TopicPartition, ExperimentRun> runs = new HashMap<>();
    /** Runs by experiment id, for cancellations from the watcher thread. */
    private final Map<String, ExperimentRun> byExperiment = new ConcurrentHashMap<>();
    private final Queue<ExperimentRun> finished = new ConcurrentLinkedQueue<>();
    /** Offsets processed and not committed yet: poll thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean running;
    private volatile Throwable died;

    public ExperimentWorker(WorkerSettings settings, String bootstrapServers, EventPublisher publisher,
                            JobFactory jobs) {
        this.settings = settings;
        this.publisher = publisher;
        this.tasks = new TaskCatalog(bootstrapServers, settings.workerId(), publisher);
        this.cancellations = new Cancellations(bootstrapServers, settings.workerId(), this::cancelRunning);
        this.runContext = new ExperimentRun.Context(tasks, new CheckpointStore(bootstrapServers, settings.workerId()),
                cancellations, settings.limits(), settings.taskWait(), jobs);
        Map<String, Object> props = KafkaSettings.consumer(bootstrapServers, settings.groupId(), settings.workerId());
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // A worker killed with -9 never leaves the group: its partitions move after the session timeout. Heartbeats
        // come from the client's own thread (training never delays them), so 10 s instead of 45 s is safe.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_TIMEOUT_MS / 3);
        this.consumer = new KafkaConsumer<>(props);
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "trainer-" + settings.workerId() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::loop, "experiment-worker-" + settings.workerId());
    }

    /** Starts the task catalog, the cancel watcher and the poll loop. */
    public ExperimentWorker start() {
        running = true;
        tasks.start();
        cancellations.start();
        thread.start();
        LOG.infof("trainer worker %s joined group %s (concurrency %d)", settings.workerId(), settings.groupId(),
                settings.concurrency());
        return this;
    }

    /** Whether the poll loop and its helper consumers are running (readiness). */
    public boolean alive() {
        return running && thread.isAlive() && died == null && tasks.alive() && cancellations.alive();
    }

    /** Why the loop died, or {@code null}. */
    public Throwable failure() {
        return died;
    }

    public String workerId() {
        return settings.workerId();
    }

    /** Experiments taken and not ended yet. */
    public int activeRuns() {
        return active.get();
    }

    /**
     * Stops the worker the way a crash would leave Kafka: running experiments are handed over (stopped, nothing
     * more published, their offsets not committed), so the group's next owner resumes them from their checkpoints.
     * Offsets of records already processed (dead letters, cancellations, ended runs) are committed.
     */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(settings.revokeWait().toMillis() + 30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(settings.revokeWait().toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cancellations.close();
        tasks.close();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(Topics.EXPERIMENTS), new Rebalance());
            while (running) {
                var records = consumer.poll(POLL);
                for (TopicPartition tp : records.partitions()) {
                    handle(tp, records.records(tp));
                }
                drainFinished();
                flowControl();
                commit(toCommit.keySet());
            }
        } catch (WakeupException e) {
            if (running) {
                died = e;
            }
        } catch (RuntimeException | Error e) {
            died = e;
            LOG.error("trainer worker loop died: " + e, e);
        } finally {
            handOverAll();
            try {
                commit(toCommit.keySet());
            } catch (RuntimeException e) {
                LOG.warn("offsets not committed on close: " + e.getMessage());
            }
            consumer.close(Duration.ofSeconds(10));
        }
    }

    /** Processes one partition's records in order, stopping at a run it starts or cannot start yet. */
    private void handle(TopicPartition tp, List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            if (runs.containsKey(tp)) {
                consumer.seek(tp, record.offset());
                return;
            }
            GrokEvent event;
            try {
                event = EventCodec.decode(record.headers(), record.value());
            } catch (RuntimeException e) {
                deadLetter(record, e);
                continue;
            }
            if (event instanceof ExperimentCancelled cancelled) {
                cancellations.record(cancelled);
            } else if (event instanceof ExperimentSubmitted experiment) {
                if (cancellations.isCancelled(experiment)) {
                    LOG.infof("experiment %s was cancelled before it started", experiment.experimentId());
                    publisher.publishAndWait(ExperimentRun.cancelledBeforeStart(experiment.experimentId(), 0));
                } else if (runs.size() >= settings.concurrency()) {
                    consumer.seek(tp, record.offset());
                    return;
                } else {
                    startRun(tp, record, experiment);
                    consumer.seek(tp, record.offset() + 1);
                    return;
                }
            } else {
                deadLetter(record, new UnreadableRecordException("unexpected " + event.getClass().getSimpleName()
                        + " on " + Topics.EXPERIMENTS));
                continue;
            }
            toCommit.put(tp, new OffsetAndMetadata(record.offset() + 1));
        }
    }

    private void startRun(TopicPartition tp, ConsumerRecord<String, byte[]> record, ExperimentSubmitted experiment) {
        KafkaTrainingListener listener = new KafkaTrainingListener(publisher, experiment.experimentId(),
                settings.workerId(), settings.deviceHint());
        ExperimentRun run = new ExperimentRun(tp, record.offset(), experiment, listener, runContext);
        runs.put(tp, run);
        byExperiment.put(experiment.experimentId(), run);
        consumer.pause(List.of(tp));
        active.incrementAndGet();
        LOG.infof("worker %s takes experiment %s (%s@%d)", settings.workerId(), experiment.experimentId(), tp,
                record.offset());
        pool.execute(() -> {
            try {
                run.run();
            } finally {
                active.decrementAndGet();
                finished.add(run);
            }
        });
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, Throwable error) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                error.getMessage());
        EventPublisher.await(publisher.send(DeadLetters.of(record, CONSUMER_NAME, error)));
        toCommit.put(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
    }

    /** Called for every cancellation, from any thread: stops the team's own running experiment. */
    private void cancelRunning(ExperimentCancelled cancelled) {
        ExperimentRun run = byExperiment.get(cancelled.experimentId());
        if (run == null) {
            return;
        }
        if (!java.util.Objects.equals(run.experiment().team(), cancelled.team())) {
            LOG.warnf("team %s may not cancel experiment %s of team %s: ignored", cancelled.team(),
                    cancelled.experimentId(), run.experiment().team());
            return;
        }
        LOG.infof("cancelling experiment %s at step %d", cancelled.experimentId(), run.step());
        run.cancel();
    }

    /** Ended runs: commit after a published terminal event, or rewind to take the experiment again. */
    private void drainFinished() {
        ExperimentRun run;
        while ((run = finished.poll()) != null) {
            byExperiment.remove(run.experiment().experimentId(), run);
            TopicPartition tp = run.partition();
            if (runs.get(tp) != run) {
                continue;
            }
            runs.remove(tp);
            KafkaTrainingListener.Outcome outcome = run.listener().outcome().getNow(null);
            if (outcome == KafkaTrainingListener.Outcome.PUBLISHED) {
                toCommit.put(tp, new OffsetAndMetadata(run.offset() + 1));
            } else {
                LOG.warnf("experiment %s ended with %s: it will be taken again", run.experiment().experimentId(),
                        outcome);
                consumer.seek(tp, run.offset());
            }
        }
    }

    /** Busy partitions stay paused; all are paused while the worker is full. */
    private void flowControl() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        if (runs.size() >= settings.concurrency()) {
            consumer.pause(assigned);
            return;
        }
        List<TopicPartition> busy = new ArrayList<>();
        List<TopicPartition> free = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            (runs.containsKey(tp) ? busy : free).add(tp);
        }
        consumer.pause(busy);
        consumer.resume(free);
    }

    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition tp : new HashSet<>(partitions)) {
            OffsetAndMetadata o = toCommit.get(tp);
            if (o != null && assigned.contains(tp)) {
                offsets.put(tp, o);
            }
        }
        if (offsets.isEmpty()) {
            toCommit.keySet().retainAll(assigned);
            return;
        }
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            offsets.forEach(toCommit::remove);
        } catch (RebalanceInProgressException e) {
            LOG.debug("commit deferred: rebalance in progress");
        } catch (CommitFailedException e) {
            LOG.warnf("commit failed (%s): the records will be seen again by the partition's next owner",
                    e.getMessage());
            offsets.keySet().forEach(toCommit::remove);
        }
    }

    private void handOverAll() {
        for (ExperimentRun run : List.copyOf(runs.values())) {
            handOver(run);
        }
    }

    /** Stops a run whose partition leaves this worker, waiting a bounded time for it to stop. */
    private void handOver(ExperimentRun run) {
        TopicPartition tp = run.partition();
        runs.remove(tp);
        byExperiment.remove(run.experiment().experimentId(), run);
        if (run.listener().outcome().getNow(null) == KafkaTrainingListener.Outcome.PUBLISHED) {
            toCommit.put(tp, new OffsetAndMetadata(run.offset() + 1));
            return;
        }
        LOG.infof("handing experiment %s over at step %d (%s leaves worker %s)", run.experiment().experimentId(),
                run.step(), tp, settings.workerId());
        run.handOver();
        try {
            run.listener().outcome().get(settings.revokeWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("experiment %s did not stop within %s; it publishes nothing more", run.experiment()
                    .experimentId(), settings.revokeWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.debug("run ended exceptionally", e);
        }
    }

    /** Runs on the poll thread inside poll(): revoked partitions commit what is done and hand their runs over. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drainFinished();
            for (TopicPartition tp : partitions) {
                ExperimentRun run = runs.get(tp);
                if (run != null) {
                    handOver(run);
                }
            }
            try {
                commit(partitions);
            } catch (RuntimeException e) {
                LOG.warn("offsets of revoked partitions not committed: " + e.getMessage());
            }
            toCommit.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                ExperimentRun run = runs.get(tp);
                if (run != null) {
                    handOver(run);
                }
            }
            toCommit.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.debugf("worker %s assigned %s", settings.workerId(), partitions);
        }
    }
}
