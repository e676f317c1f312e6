package io.grokstream.router;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetTopicsTest {
    final Set<String> onBroker = new HashSet<>(Set.of("grokstream.team.demo.v1"));
    final AtomicInteger listings = new AtomicInteger();
    final AtomicLong now = new AtomicLong();
    final TargetTopics topics = new TargetTopics(() -> {
        listings.incrementAndGet();
        return Set.copyOf(onBroker);
    }, Duration.ofSeconds(30), now::get);

    @Test
    void aKnownTopicIsAnsweredWithoutAskingTheBrokerAgain() {
        assertTrue(topics.exists("grokstream.team.demo.v1"));
        assertTrue(topics.exists("grokstream.team.demo.v1"));
        assertEquals(1, listings.get());
    }

    @Test
    void aMissingTopicIsLookedForAgainAtMostOnceARefreshInterval() {
        assertFalse(topics.exists("grokstream.team.late.v1"));
        onBroker.add("grokstream.team.late.v1");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertFalse(topics.exists("grokstream.team.late.v1"), "listed again too soon");
        assertEquals(1, listings.get());

        now.addAndGet(Duration.ofSeconds(20).toNanos());
        assertTrue(topics.exists("grokstream.team.late.v1"), "a team provisioned later is picked up");
        assertEquals(2, listings.get());
    }
}
