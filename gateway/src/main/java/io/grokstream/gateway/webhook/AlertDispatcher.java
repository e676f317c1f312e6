package io.grokstream.gateway.webhook;

import io.grokstream.contracts.AlertKind;
import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.ShareGroups;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.UnreadableRecordException;
import io.grokstream.contracts.WebhookRegistered;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Turns the platform's events into webhook deliveries, each event on exactly one gateway replica: every replica is a
 * member of the share group {@value #GROUP} over the training and measures topics, so the broker hands each record
 * to one member. A record that raises no alert ({@link AlertKind#SOURCES}: most are metrics) is accepted without
 * being decoded; one that does is matched to the team's webhooks ({@link WebhookRegistry#matching}), its deliveries
 * handed to the {@link WebhookSender} (which never blocks this thread), and accepted. So a replica that dies after
 * accepting loses the retries it had scheduled; one that dies before makes the broker hand the record to another.
 * The group starts at the earliest record: webhooks registered later are never sent older events.
 */
public final class AlertDispatcher implements AutoCloseable {
    public static final String GROUP = KafkaUser.GATEWAY.groupPrefix() + ".alerts";
    /** How long a member holds records it has not acknowledged (within the broker's 15-60 s). */
    static final Duration LOCK = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(AlertDispatcher.class);

    private final KafkaAccess access;
    private final String clientId;
    private final WebhookRegistry registry;
    private final Function<String, Optional<ExperimentSubmitted>> experiments;
    private final WebhookSender sender;
    private final BooleanSupplier ready;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaShareConsumer<String, byte[]> consumer;

    /**
     * @param experiments the replica's view of who owns an experiment
     * @param ready       whether that view and the registry have caught up with their topics: until then this replica
     *                    stays out of the group, since it would drop the events of experiments or webhooks it does
     *                    not know yet (a new replica refolds the topics from the beginning)
     */
    public AlertDispatcher(KafkaAccess access, String clientId, WebhookRegistry registry,
                           Function<String, Optional<ExperimentSubmitted>> experiments, WebhookSender sender,
                           BooleanSupplier ready) {
        this.access = access;
        this.clientId = clientId;
        this.registry = registry;
        this.experiments = experiments;
        this.sender = sender;
        this.ready = ready;
        this.thread = new Thread(this::run, clientId);
        this.thread.setDaemon(true);
    }

    public AlertDispatcher start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running && !ready.getAsBoolean()) {
            sleep(Duration.ofMillis(200));
        }
        while (running && !configured()) {
            sleep(Duration.ofSeconds(2)); // broker not reachable yet
        }
        if (!running) {
            return;
        }
        Map<String, Object> settings = KafkaSettings.shareConsumer(access, GROUP, clientId);
        // unlike the trainers' queue, alerts' records are small and many (metrics): take them in batches
        settings.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "batch_optimized");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        consumer = new KafkaShareConsumer<>(settings);
        try {
            consumer.subscribe(List.of(Topics.TRAINING, Topics.MEASURES));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    dispatch(r);
                    consumer.acknowledge(r, AcknowledgeType.ACCEPT);
                }
                consumer.commitAsync();
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("alert dispatcher woken while running", e);
            }
        } catch (RuntimeException e) {
            LOG.error("alert dispatcher stopped: no webhook deliveries from this replica", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean configured() {
        try {
            ShareGroups.configure(access, GROUP, LOCK);
            return true;
        } catch (IllegalStateException e) {
            LOG.warnf("share group %s not configured yet: %s", GROUP, e.getMessage());
            return false;
        }
    }

    /** The deliveries one record raises, started. */
    void dispatch(ConsumerRecord<String, byte[]> r) {
        Optional<EventType> type = CloudEvents.type(r.headers()).flatMap(EventType::ofCeType);
        if (type.isEmpty() || !AlertKind.SOURCES.contains(type.get())) {
            return;
        }
        GrokEvent event;
        try {
            event = EventCodec.decode(r.headers(), r.value());
        } catch (UnreadableRecordException e) {
            return; // the views' fold dead-letters it
        }
        Optional<AlertKind> kind = AlertKind.of(event);
        Optional<ExperimentSubmitted> experiment = experiments.apply(event.subject());
        if (kind.isEmpty() || experiment.isEmpty()) {
            return;
        }
        String team = experiment.get().team();
        String ceId = CloudEvents.id(r.headers()).orElse(r.topic() + "/" + r.partition() + "/" + r.offset());
        for (WebhookRegistered hook : registry.matching(team, event.subject(), kind.get(), r.timestamp())) {
            // the same event gives the same delivery id, should the broker hand it out twice
            String deliveryId = UUID.nameUUIDFromBytes((hook.webhookId() + "|" + ceId)
                    .getBytes(StandardCharsets.UTF_8)).toString();
            sender.deliver(hook, AlertPayload.of(deliveryId, hook.webhookId(), kind.get(), event, team,
                    Instant.ofEpochMilli(r.timestamp())));
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaShareConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        } else {
            thread.interrupt(); // still waiting for the broker
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
