package io.grokstream.gateway;

import io.grokstream.gateway.auth.RateLimiter;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    private static RateLimiter limiter(double capacity, double perSecond) throws Exception {
        Constructor<RateLimiter> c = RateLimiter.class.getDeclaredConstructor(double.class, double.class);
        c.setAccessible(true);
        return c.newInstance(capacity, perSecond);
    }

    @Test
    void bucketEmptiesAfterCapacityAndRefillsAtTheRate() throws Exception {
        RateLimiter r = limiter(3, 2); // 3 at once, then one token every 0.5 s
        long t = 1_000_000_000L;
        assertTrue(r.tryAcquire("k", t));
        assertTrue(r.tryAcquire("k", t));
        assertTrue(r.tryAcquire("k", t));
        assertFalse(r.tryAcquire("k", t), "empty after three");
        assertFalse(r.tryAcquire("k", t + 400_000_000L), "0.8 tokens after 0.4 s");
        assertTrue(r.tryAcquire("k", t + 500_000_000L), "one token after 0.5 s");
        assertFalse(r.tryAcquire("k", t + 500_000_000L));
        assertTrue(r.tryAcquire("other", t), "buckets are per key");
    }

    @Test
    void bucketNeverHoldsMoreThanItsCapacity() throws Exception {
        RateLimiter r = limiter(2, 1);
        long t = 0;
        assertTrue(r.tryAcquire("k", t));
        long later = t + 3_600_000_000_000L; // an hour idle
        assertTrue(r.tryAcquire("k", later));
        assertTrue(r.tryAcquire("k", later));
        assertFalse(r.tryAcquire("k", later), "capacity caps the refill");
    }
}
