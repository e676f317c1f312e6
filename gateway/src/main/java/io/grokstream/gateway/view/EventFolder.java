package io.grokstream.gateway.view;

import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.TopicInitializer;
import io.grokstream.contracts.Topics;
import io.grokstream.gateway.GatewayConfig;
import io.grokstream.service.KafkaTopology;
import io.grokstream.gateway.live.LiveHub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's one consumer: on its own thread it assigns every partition of every grokstream topic, seeks to
 * the beginning and folds each record into the {@link ViewState}, then keeps following. Ready once the fold
 * has reached the end offsets read at start-up. Unreadable records go to the dead-letter topic (once: a restart
 * that meets them again sees its earlier dead letters and does not repeat them).
 */
@Startup
@ApplicationScoped
public class EventFolder {
    public static final String CONSUMER_NAME = "gateway";
    private static final Logger LOG = Logger.getLogger(EventFolder.class);

    private final ViewState state;
    private final LiveHub hub;
    private final EventPublisher publisher;
    private final MeterRegistry registry;
    private final String bootstrapServers;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final AtomicLong caughtUpGauge = new AtomicLong();
    private final List<ConsumerRecord<String, byte[]>> pendingDeadLetters = new ArrayList<>();
    private final List<Throwable> pendingErrors = new ArrayList<>();
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;

    public EventFolder(GatewayConfig config, KafkaTopology topology, LiveHub hub, EventPublisher publisher,
                       MeterRegistry registry) {
        this.state = new ViewState(new SnapshotStore(Path.of(config.snapshots().directory()),
                config.snapshots().maxDiskBytes()), config.maxDeadLetters());
        this.hub = hub;
        this.publisher = publisher;
        this.registry = registry;
        this.bootstrapServers = topology.bootstrapServers();
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
        Gauge.builder("grokstream.gateway.fold.caught.up", caughtUpGauge, AtomicLong::get)
                .description("1 once the start-up fold reached the end offsets").register(registry);
        this.thread = new Thread(this::run, "gateway-fold");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public ViewState state() {
        return state;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            Map<TopicPartition, Long> ends = null;
            while (running && ends == null) {
                try {
                    TopicInitializer.ensureTopics(bootstrapServers);
                    consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, "gateway-views"));
                    for (Topics.TopicSpec t : Topics.ALL) {
                        for (PartitionInfo p : consumer.partitionsFor(t.name(), Duration.ofSeconds(60))) {
                            partitions.add(new TopicPartition(p.topic(), p.partition()));
                        }
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    ends = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(60)));
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // broker not reachable yet: not ready, try again (the views stay empty until then)
                    LOG.warnf("cannot start the gateway's fold yet (%s); retrying", e.getMessage());
                    partitions.clear();
                    if (consumer != null) {
                        consumer.close(Duration.ofSeconds(1));
                        consumer = null;
                    }
                    sleep(2000);
                }
            }
            if (ends == null) {
                return;
            }
            long lastLag = 0;
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, byte[]> r : records) {
                    fold(r);
                }
                if (!caughtUp && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    caughtUpGauge.set(1);
                    flushPendingDeadLetters();
                    LOG.infof("views caught up with the topics: %s", state.sizes());
                }
                long now = System.nanoTime();
                if (now - lastLag > 2_000_000_000L || records.isEmpty()) {
                    lastLag = now;
                    updateLag(partitions);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("the gateway's fold stopped", e);
        } finally {
            KafkaConsumer<String, byte[]> c = consumer;
            if (c != null) {
                c.close(Duration.ofSeconds(5));
            }
        }
    }

    private void fold(ConsumerRecord<String, byte[]> r) {
        consumed.get(r.topic()).increment();
        try {
            hub.publish(state.apply(r));
        } catch (RuntimeException e) {
            if (Topics.DEADLETTER.equals(r.topic())) {
                LOG.warnf("unreadable dead letter at offset %d: %s", r.offset(), e.getMessage());
            } else if (caughtUp) {
                deadLetter(r, e);
            } else {
                pendingDeadLetters.add(r);
                pendingErrors.add(e);
            }
        }
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
            return;
        }
        LOG.warnf("dead-lettering %s[%d]@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
        try {
            publisher.send(DeadLetters.of(r, CONSUMER_NAME, e));
        } catch (RuntimeException failure) {
            LOG.error("cannot dead-letter a record", failure);
        }
    }

    private void updateLag(List<TopicPartition> partitions) {
        Map<String, Long> perTopic = new HashMap<>();
        for (TopicPartition tp : partitions) {
            consumer.currentLag(tp).ifPresent(l -> perTopic.merge(tp.topic(), l, Long::sum));
        }
        perTopic.forEach((t, l) -> lag.get(t).set(l));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
