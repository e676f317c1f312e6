package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.trainer.engine.TrainingListener;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kafka side of one training run: every engine callback becomes a record on its topic (JSON events on
 * {@code grokstream.training.v1}, safetensors on the snapshot and checkpoint topics) through the shared idempotent
 * {@link EventPublisher}. Progress events go out asynchronously; the terminal event (completed or failed) is sent
 * only after everything before it is flushed, and the run counts as done once the broker has acknowledged it, so
 * the worker commits the experiment's offset only then.
 *
 * <p>A run whose partition moved to another worker is {@linkplain #handOver() handed over}: from then on nothing
 * is published, so the old owner neither announces a "cancelled" end nor races the new owner's checkpoints.
 */
public final class KafkaTrainingListener implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(KafkaTrainingListener.class);

    /** How a run's end went. */
    public enum Outcome {
        /** The terminal event is on the broker: commit the offset. */
        PUBLISHED,
        /** The partition moved away (or the worker stopped): publish nothing, commit nothing. */
        HANDED_OVER,
        /** The terminal event could not be published: the experiment must be taken again. */
        PUBLISH_FAILED
    }

    private final EventPublisher publisher;
    private final String experimentId;
    private final String workerId;
    private final String deviceHint;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final Deque<Future<RecordMetadata>> inFlight = new ArrayDeque<>();
    private final AtomicLong published = new AtomicLong();
    private volatile boolean handedOver;
    private boolean warnedOmittedState;
    private volatile String device;
    private long sendFailures;

    public KafkaTrainingListener(EventPublisher publisher, String experimentId, String workerId, String deviceHint) {
        this.publisher = publisher;
        this.experimentId = experimentId;
        this.workerId = workerId;
        this.deviceHint = deviceHint;
    }

    @Override
    public void started(String device, long resumedFromStep) {
        this.device = device;
        if (mismatch(deviceHint, device)) {
            LOG.warnf("experiment %s trains on %s although grokstream.trainer.device is %s", experimentId, device,
                    deviceHint);
        }
        send(new TrainingStarted(experimentId, workerId, device, resumedFromStep, Instant.now()));
    }

    @Override
    public void metrics(StepMetrics metrics) {
        send(metrics);
    }

    @Override
    public void snapshot(SnapshotCodec.Snapshot snapshot) {
        if (!handedOver) {
            track(publisher.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN, snapshot));
        }
    }

    @Override
    public void checkpoint(SnapshotCodec.Snapshot state) {
        if (!handedOver) {
            String omitted = state.metadata().get(SnapshotCodec.META_GROKFAST_STATE);
            if (omitted != null && !warnedOmittedState) {
                warnedOmittedState = true;
                LOG.warnf("experiment %s: checkpoints leave the GrokFast filter state out (%s)", state.experimentId(), omitted);
            }
            track(publisher.publishSnapshot(Topics.CHECKPOINTS, EventType.CHECKPOINT_SAVED, state));
            awaitInFlight();
        }
    }

    /**
     * Back-pressure at each checkpoint: training waits until everything sent so far, the checkpoint included, is on
     * the broker. While the broker is unreachable the run stops stepping instead of filling the producer's buffer
     * (nothing is dropped: the producers' delivery timeout outlasts long outages), and it goes on when the broker
     * answers again, or stops here once handed over.
     */
    private void awaitInFlight() {
        List<Future<RecordMetadata>> pending;
        synchronized (this) {
            pending = new ArrayList<>(inFlight);
        }
        for (Future<RecordMetadata> future : pending) {
            while (!handedOver) {
                try {
                    future.get(1, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException e) {
                    // the broker has not acknowledged yet: keep waiting
                } catch (ExecutionException e) {
                    break; // counted when the future is checked
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void anomaly(TrainingAnomaly anomaly) {
        send(anomaly);
    }

    @Override
    public void completed(TrainingCompleted completed) {
        terminal(completed);
    }

    @Override
    public void failed(TrainingFailed failed) {
        LOG.warnf("experiment %s failed at step %d: %s", experimentId, failed.step(), failed.reason());
        terminal(failed);
    }

    /** Stop publishing: the experiment now belongs to another worker. */
    public void handOver() {
        handedOver = true;
    }

    /** Completes when the run has ended; {@link Outcome#PUBLISHED} once the terminal event is acknowledged. */
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    public boolean ended() {
        return outcome.isDone();
    }

    /** Records handed to the producer so far (events, snapshots, checkpoints). */
    public long published() {
        return published.get();
    }

    /** The device the engine reported, or {@code null} before {@link #started}. */
    public String device() {
        return device;
    }

    private void send(GrokEvent event) {
        if (!handedOver) {
            track(publisher.publish(event));
        }
    }

    private synchronized void track(Future<RecordMetadata> future) {
        published.incrementAndGet();
        inFlight.addLast(future);
        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
            check(inFlight.pollFirst());
        }
    }

    private void check(Future<RecordMetadata> future) {
        try {
            future.get();
        } catch (ExecutionException e) {
            sendFailures++;
            LOG.errorf("experiment %s: a record could not be published: %s", experimentId, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void terminal(GrokEvent event) {
        if (outcome.isDone()) {
            LOG.warnf("experiment %s: a second terminal event (%s) ignored", experimentId,
                    event.getClass().getSimpleName());
            return;
        }
        if (handedOver) {
            outcome.complete(Outcome.HANDED_OVER);
            return;
        }
        try {
            publisher.flush();
            while (!inFlight.isEmpty()) {
                check(inFlight.pollFirst());
            }
            if (sendFailures > 0) {
                LOG.errorf("experiment %s ends with %d records that could not be published", experimentId,
                        sendFailures);
            }
            publisher.publishAndWait(event);
            published.incrementAndGet();
            outcome.complete(Outcome.PUBLISHED);
        } catch (RuntimeException e) {
            LOG.errorf(e, "experiment %s: terminal event not published", experimentId);
            outcome.complete(Outcome.PUBLISH_FAILED);
        }
    }

    static boolean mismatch(String hint, String device) {
        if (device == null || hint == null || hint.equals("auto")) {
            return false;
        }
        boolean gpu = device.toLowerCase().contains("gpu") || device.toLowerCase().contains("cuda");
        return hint.equals("gpu") != gpu;
    }
}
