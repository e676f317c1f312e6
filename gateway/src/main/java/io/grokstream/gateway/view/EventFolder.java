package io.grokstream.gateway.view;

import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.TopicFollower;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.WorkMetric;
import io.grokstream.gateway.GatewayConfig;
import io.grokstream.gateway.live.LiveHub;
import io.grokstream.service.KafkaTopology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's one consumer: a {@link TopicFollower} of every grokstream topic, folding each record into the
 * {@link ViewState} (kept in the {@link ViewStore} on disk), then following. It starts where the store's offsets
 * say: from the beginning with a new (or wiped) store, which rebuilds the views from the topics; from where the
 * last run stopped otherwise. Ready once the fold has reached the end offsets read at start-up. Unreadable records
 * go to the dead-letter topic (once: a restart that meets them again sees its earlier dead letters and does not
 * repeat them).
 */
@Startup
@ApplicationScoped
public class EventFolder {
    public static final String CONSUMER_NAME = "gateway";
    private static final Logger LOG = Logger.getLogger(EventFolder.class);

    private final ViewState state;
    private final LiveHub hub;
    private final EventPublisher publisher;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final AtomicLong caughtUpGauge = new AtomicLong();
    private final List<ConsumerRecord<String, byte[]>> pendingDeadLetters = new ArrayList<>();
    private final List<Throwable> pendingErrors = new ArrayList<>();
    private volatile boolean caughtUp;
    private volatile java.util.function.UnaryOperator<List<LiveEvent>> afterFold = events -> List.of();
    private final TopicFollower follower;

    public EventFolder(GatewayConfig config, KafkaTopology topology, LiveHub hub, EventPublisher publisher,
                       MeterRegistry registry) {
        GatewayConfig.Store store = config.store();
        this.state = new ViewState(ViewStore.open(Path.of(store.directory()), store.blockCacheBytes(),
                store.writeBufferBytes()), new SnapshotStore(Path.of(config.snapshots().directory()),
                config.snapshots().maxDiskBytes()), config.maxDeadLetters());
        this.hub = hub;
        this.publisher = publisher;
        for (Topics.TopicSpec t : Topics.ALL) {
            consumed.put(t.name(), Counter.builder("grokstream.gateway.events.consumed").tag("topic", t.name())
                    .description("records folded into the gateway's views").register(registry));
            AtomicLong l = new AtomicLong();
            lag.put(t.name(), l);
            Gauge.builder("grokstream.gateway.consumer.lag", l, AtomicLong::get).tag("topic", t.name())
                    .description("records on the topic not yet folded").register(registry);
        }
        for (String view : state.sizes().keySet()) {
            Gauge.builder("grokstream.gateway.view.size", state, s -> s.sizes().getOrDefault(view, 0L))
                    .tag("view", view).description("entries held by a gateway view").register(registry);
        }
        for (ExperimentStatus status : ExperimentStatus.values()) {
            Gauge.builder(WorkMetric.EXPERIMENTS.meterName(), state, st -> st.countWithStatus(status))
                    .tag(WorkMetric.STATUS_TAG, status.wire())
                    .description("experiments by status (the trainers scale on submitted plus running)")
                    .register(registry);
        }
        Gauge.builder("grokstream.gateway.store.disk.bytes", state.store(), ViewStore::diskBytes)
                .description("bytes of the view store's files").register(registry);
        Gauge.builder("grokstream.gateway.fold.caught.up", caughtUpGauge, AtomicLong::get)
                .description("1 once the start-up fold reached the end offsets").register(registry);
        this.follower = TopicFollower.follow(topology.access(), "gateway-views", Topics.readableBy(KafkaUser.GATEWAY))
                .pollEvery(Duration.ofMillis(100))
                .resumeFrom(state::offsets)
                .retryStart(Duration.ofSeconds(2))   // broker not reachable yet: not ready, the views stay empty
                .onRecord(this::fold)
                .unreadable(this::unreadable)
                .onCaughtUp(this::caughtUpNow)
                .onLag(perTopic -> perTopic.forEach((t, l) -> lag.get(t).set(l)))
                .start();
    }

    public ViewState state() {
        return state;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    private void fold(ConsumerRecord<String, byte[]> r) {
        consumed.get(r.topic()).increment();
        List<LiveEvent> events = state.apply(r);
        hub.publish(events);
        if (caughtUp) { // a refold of the topics derives nothing: what it derives is read on demand
            hub.publish(afterFold.apply(events));
        }
    }

    /**
     * Derives further live events from what each fold produced once the fold has caught up (the grokking forecast);
     * called on the fold's thread.
     */
    public void afterFold(java.util.function.UnaryOperator<List<LiveEvent>> derive) {
        this.afterFold = derive;
    }

    /**
     * Dead-letters an unreadable record, once: before the fold has caught up the views do not yet know the dead
     * letters already published, so the record waits until then.
     */
    private void unreadable(ConsumerRecord<String, byte[]> r, RuntimeException e) {
        if (Topics.DEADLETTER.equals(r.topic())) {
            LOG.warnf("unreadable dead letter at offset %d: %s", r.offset(), e.getMessage());
            state.passOver(r);
        } else if (caughtUp) {
            deadLetter(r, e);
        } else {
            pendingDeadLetters.add(r);
            pendingErrors.add(e);
        }
    }

    private void caughtUpNow() {
        caughtUp = true;
        caughtUpGauge.set(1);
        flushPendingDeadLetters();
        LOG.infof("views caught up with the topics: %s", state.sizes());
    }

    private void flushPendingDeadLetters() {
        for (int i = 0; i < pendingDeadLetters.size(); i++) {
            deadLetter(pendingDeadLetters.get(i), pendingErrors.get(i));
        }
        pendingDeadLetters.clear();
        pendingErrors.clear();
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, Throwable e) {
        if (state.alreadyDeadLettered(CONSUMER_NAME, r.topic(), r.partition(), r.offset())) {
            state.passOver(r);
            return;
        }
        LOG.warnf("dead-lettering %s[%d]@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
        try {
            EventPublisher.await(publisher.send(DeadLetters.of(r, CONSUMER_NAME, e)));
            state.passOver(r); // dead-lettered: a restart need not meet it again
        } catch (RuntimeException failure) {
            LOG.error("cannot dead-letter a record", failure);
        }
    }

    @PreDestroy
    void stop() {
        follower.close();
        state.store().close();
    }
}
