package io.grokstream.gateway.webhook;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.TopicFollower;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.Unreadable;
import io.grokstream.contracts.WebhookAttempted;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One gateway replica's alert machinery: the {@link WebhookRegistry} folded from the webhook topics, the
 * {@link WebhookSender} whose attempts are published to the delivery log, and the {@link AlertDispatcher} in the
 * replicas' share group. A plain object, so a test can run a second replica beside the application's.
 */
public final class Alerts implements AutoCloseable {
    private final WebhookRegistry registry;
    private final TopicFollower follower;
    private final WebhookSender sender;
    private final AlertDispatcher dispatcher;

    /**
     * @param name        the replica's client ids start with it
     * @param everyTeam   the team whose webhooks hear every team's experiments (the operators')
     * @param experiments the replica's view of who owns an experiment
     * @param viewsReady  whether that view has caught up with the topics (the alerts wait for it)
     */
    public Alerts(KafkaAccess access, String name, EventPublisher publisher, WebhookSender.Policy policy,
                  TargetPolicy targets, int logSize, String everyTeam,
                  Function<String, Optional<ExperimentSubmitted>> experiments, BooleanSupplier viewsReady) {
        this.registry = new WebhookRegistry(logSize, everyTeam);
        this.follower = TopicFollower.follow(access, name + "-webhooks", Topics.WEBHOOKS, Topics.WEBHOOK_DELIVERIES)
                .pollEvery(Duration.ofMillis(100))
                .retryStart(Duration.ofSeconds(2))
                .onRecord(registry::fold)
                .unreadable(Unreadable.skip(name + "-webhooks"))
                .start();
        this.sender = new WebhookSender(policy, targets, attempt -> logAttempt(publisher, attempt));
        this.dispatcher = new AlertDispatcher(access, name + "-alerts", registry, experiments, sender,
                () -> viewsReady.getAsBoolean() && follower.awaitCaughtUp(Duration.ZERO)).start();
    }

    private void logAttempt(EventPublisher publisher, WebhookAttempted attempt) {
        registry.record(attempt);
        publisher.send(EventCodec.toRecord(attempt, publisher.source()));
    }

    public WebhookRegistry registry() {
        return registry;
    }

    public WebhookSender sender() {
        return sender;
    }

    /** Whether the registry has read the webhook topics up to their ends at start. */
    public boolean awaitCaughtUp(Duration timeout) {
        return follower.awaitCaughtUp(timeout);
    }

    @Override
    public void close() {
        dispatcher.close();
        follower.close();
        sender.close();
    }
}
