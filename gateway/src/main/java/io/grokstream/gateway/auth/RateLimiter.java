package io.grokstream.gateway.auth;

import io.grokstream.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A token bucket per API key: a key holds at most {@code capacity} tokens, refilled continuously at
 * {@code refillPerSecond}; each request takes one, and a request finding the bucket empty is refused (429).
 */
@ApplicationScoped
public class RateLimiter {
    private final double capacity;
    private final double refillPerNano;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimiter(GatewayConfig config) {
        this(config.rateLimit().capacity(), config.rateLimit().refillPerSecond());
    }

    RateLimiter(double capacity, double refillPerSecond) {
        if (capacity < 1 || refillPerSecond <= 0) {
            throw new IllegalArgumentException("rate limit needs capacity >= 1 and refill-per-second > 0");
        }
        this.capacity = capacity;
        this.refillPerNano = refillPerSecond / 1e9;
    }

    /** Takes a token for {@code key} at time {@code nanos}; false when none is left. */
    public boolean tryAcquire(String key, long nanos) {
        return buckets.computeIfAbsent(key, k -> new Bucket(capacity, nanos)).take(nanos, capacity, refillPerNano);
    }

    public boolean tryAcquire(String key) {
        return tryAcquire(key, System.nanoTime());
    }

    /** Seconds until the bucket of {@code key} holds a token again. */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / (refillPerNano * 1e9)));
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized boolean take(long now, double capacity, double refillPerNano) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - last) * refillPerNano);
            last = Math.max(last, now);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
