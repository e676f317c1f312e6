package io.grokstream.gateway.webhook;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.WebhookAttempted;
import io.grokstream.contracts.WebhookRegistered;
import io.grokstream.gateway.GatewayConfig;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.gateway.auth.Caller;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.ViewState;
import io.grokstream.service.KafkaTopology;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The teams' webhooks (alerts, issue 19): registering, listing, removing, the delivery log and a test delivery,
 * each scoped to the caller's team (the operators' key sees every webhook; another team's is a 404 like a missing
 * one). The gateway is the only writer of the webhook topics; this replica's {@link Alerts} deliver its share of
 * the platform's events.
 */
@Startup
@ApplicationScoped
public class WebhookService {
    private final EventPublisher publisher;
    private final TargetPolicy targets;
    private final ViewState views;
    private final int maxPerTeam;
    private final Alerts alerts;
    private final SecureRandom random = new SecureRandom();

    public WebhookService(GatewayConfig config, KafkaTopology topology, EventPublisher publisher, EventFolder folder) {
        GatewayConfig.Webhooks w = config.webhooks();
        this.publisher = publisher;
        this.targets = new TargetPolicy(w.allowPrivateTargets());
        this.views = folder.state();
        this.maxPerTeam = w.maxPerTeam();
        WebhookSender.Policy policy = new WebhookSender.Policy(Duration.ofMillis(w.initialDelayMillis()),
                w.backoffFactor(), w.maxAttempts(), Duration.ofMillis(w.connectTimeoutMillis()),
                Duration.ofMillis(w.requestTimeoutMillis()));
        this.alerts = new Alerts(topology.access(), "gateway-" + UUID.randomUUID(), publisher, policy, targets,
                w.logSize(), Caller.ADMIN_TEAM, views::submission, folder::caughtUp);
    }

    /** Registers a webhook for the caller's team; the answer holds its secret, shown this once. */
    public synchronized WebhookCreated register(WebhookRequest request, Caller caller) {
        targets.refusal(request.url()).ifPresent(why -> {
            throw ApiException.badRequest("url", why);
        });
        if (request.experimentId() != null) {
            ExperimentSubmitted e = views.submission(request.experimentId()).orElse(null);
            if (e == null || !caller.canWrite(e.team())) {
                throw ApiException.badRequest("experimentId", "no experiment " + request.experimentId()
                        + " of team " + caller.team());
            }
        }
        if (alerts.registry().all().stream().filter(h -> h.team().equals(caller.team())).count() >= maxPerTeam) {
            throw new ApiException(409, "team " + caller.team() + " already has " + maxPerTeam
                    + " webhooks; remove one first", null);
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        WebhookRegistered hook = new WebhookRegistered("wh-" + UUID.randomUUID(), caller.team(), request.url(),
                request.events(), request.experimentId(), "whsec_" + HexFormat.of().formatHex(secret), Instant.now());
        EventPublisher.await(publisher.send(EventCodec.toRecord(hook, publisher.source())));
        alerts.registry().put(hook);
        return WebhookCreated.of(hook);
    }

    /** The caller's team's webhooks (the operators': every team's). */
    public List<WebhookView> list(Caller caller) {
        WebhookRegistry registry = alerts.registry();
        return registry.all().stream().filter(h -> caller.admin() || h.team().equals(caller.team()))
                .map(h -> WebhookView.of(h, registry.deliveries(h.webhookId()).stream().findFirst().orElse(null)))
                .toList();
    }

    /** Removes a webhook: a tombstone on the compacted topic, so every replica forgets it. */
    public void remove(String webhookId, Caller caller) {
        WebhookRegistered hook = owned(webhookId, caller);
        EventPublisher.await(publisher.send(new ProducerRecord<>(Topics.WEBHOOKS, hook.webhookId(), null)));
        alerts.registry().remove(hook.webhookId());
    }

    /** A webhook's delivery log, newest attempt first. */
    public List<WebhookAttempted> deliveries(String webhookId, Caller caller) {
        return alerts.registry().deliveries(owned(webhookId, caller).webhookId());
    }

    /** Sends a test delivery ({@code ping}) now; returns its id, which the delivery log shows. */
    public String test(String webhookId, Caller caller) {
        WebhookRegistered hook = owned(webhookId, caller);
        String deliveryId = UUID.randomUUID().toString();
        alerts.sender().deliver(hook, AlertPayload.ping(deliveryId, hook.webhookId(), hook.team()));
        return deliveryId;
    }

    /** The webhook, when the caller's team owns it or the caller is the operators; else 404, as for a missing one. */
    private WebhookRegistered owned(String webhookId, Caller caller) {
        return alerts.registry().get(webhookId).filter(h -> caller.admin() || h.team().equals(caller.team()))
                .orElseThrow(() -> ApiException.notFound("webhookId", "no webhook " + webhookId));
    }

    @PreDestroy
    void stop() {
        alerts.close();
    }
}
