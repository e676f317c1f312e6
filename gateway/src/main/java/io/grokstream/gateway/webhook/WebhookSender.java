package io.grokstream.gateway.webhook;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.WebhookAttempted;
import io.grokstream.contracts.WebhookRegistered;
import io.grokstream.contracts.Webhooks;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers alerts to webhooks: a signed POST ({@link Webhooks}) with the JDK's HTTP client, never following
 * redirects, retried on a connection error, a timeout, 408, 429 or 5xx after {@code initialDelay * factor^(n-1)}
 * for attempt {@code n}, up to {@code maxAttempts} attempts. Every attempt goes to the delivery log ({@code log}).
 * Nothing here blocks its caller: attempts run on the sender's own scheduler and the client's threads.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    /** How a delivery is retried and how long an attempt may take. */
    public record Policy(Duration initialDelay, double factor, int maxAttempts, Duration connectTimeout,
                         Duration requestTimeout) {
        public Policy {
            if (initialDelay.isNegative() || factor < 1 || maxAttempts < 1 || connectTimeout.isNegative()
                    || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("retry policy needs delay >= 0, factor >= 1, attempts >= 1 and "
                        + "positive timeouts, got " + initialDelay + ", " + factor + ", " + maxAttempts);
            }
        }

        /** The wait after failed attempt {@code n} (1-based). */
        public Duration delayAfter(int n) {
            return Duration.ofMillis(Math.round(initialDelay.toMillis() * Math.pow(factor, n - 1)));
        }
    }

    private final Policy policy;
    private final TargetPolicy targets;
    private final Consumer<WebhookAttempted> log;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;

    public WebhookSender(Policy policy, TargetPolicy targets, Consumer<WebhookAttempted> log) {
        this.policy = policy;
        this.targets = targets;
        this.log = log;
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "webhook-sender");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(policy.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).executor(scheduler).build();
    }

    /** Starts a delivery: the first attempt now, on the sender's threads. */
    public void deliver(WebhookRegistered hook, AlertPayload payload) {
        byte[] body;
        try {
            body = EventCodec.JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        scheduler.execute(() -> attempt(hook, payload, body, 1));
    }

    private void attempt(WebhookRegistered hook, AlertPayload payload, byte[] body, int n) {
        Optional<String> refused = targets.refusal(hook.url());
        if (refused.isPresent()) {
            logged(hook, payload, n, null, "refused: " + refused.get(), Instant.now(), null);
            return;
        }
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url()))
                .timeout(policy.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "grokstream-webhooks")
                .header(Webhooks.SIGNATURE_HEADER, Webhooks.signature(hook.secret(), timestamp, body))
                .header(Webhooks.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(Webhooks.DELIVERY_HEADER, payload.deliveryId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            Integer status = response == null ? null : response.statusCode();
            String why = error == null ? null : describe(error);
            boolean retry = n < policy.maxAttempts() && retryable(status);
            Instant at = Instant.now();
            Instant next = null;
            if (retry) {
                Duration delay = policy.delayAfter(n);
                next = at.plus(delay);
                scheduleRetry(hook, payload, body, n + 1, delay);
            }
            logged(hook, payload, n, status, why, at, next);
        });
    }

    private void scheduleRetry(WebhookRegistered hook, AlertPayload payload, byte[] body, int n, Duration delay) {
        try {
            scheduler.schedule(() -> attempt(hook, payload, body, n), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debugf("gateway stopping: delivery %s not retried", payload.deliveryId());
        }
    }

    /** A connection error or timeout (no status), 408, 429 or 5xx: the receiver may take it later. */
    static boolean retryable(Integer status) {
        return status == null || status == 408 || status == 429 || status >= 500;
    }

    private void logged(WebhookRegistered hook, AlertPayload payload, int n, Integer status, String error,
                        Instant at, Instant next) {
        try {
            log.accept(new WebhookAttempted(hook.webhookId(), payload.deliveryId(), payload.kind(),
                    payload.experimentId(), n, status, error, at, next));
        } catch (RuntimeException e) {
            LOG.warnf("webhook %s: attempt %d of delivery %s not logged: %s", hook.webhookId(), n,
                    payload.deliveryId(), e.getMessage());
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
