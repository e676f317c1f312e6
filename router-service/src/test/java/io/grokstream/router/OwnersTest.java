package io.grokstream.router;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The owners' fold without a broker: what it answers, and how long it makes a copy wait. */
class OwnersTest {
    final Owners owners = new Owners(null);

    @Test
    void anOwnerLearnedWhileACopyWaitsIsAnsweredBeforeTheWaitEnds() throws Exception {
        CompletableFuture<Optional<Owner>> waiting = CompletableFuture.supplyAsync(
                () -> owners.await("exp-1", Duration.ofSeconds(30)));
        Thread.sleep(100);
        long start = System.nanoTime();
        owners.learn("exp-1", new Owner("demo", false));

        assertEquals(Optional.of(new Owner("demo", false)), waiting.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void anExperimentStillUnknownAfterTheWaitIsNotWaitedForAgain() {
        assertEquals(Optional.empty(), owners.await("exp-orphan", Duration.ofMillis(200)));

        long start = System.nanoTime();
        assertEquals(Optional.empty(), owners.await("exp-orphan", Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "waited again");
    }

    @Test
    void anExperimentGivenUpOnIsStillFoundOnceLearned() {
        owners.await("exp-late", Duration.ofMillis(50));
        owners.learn("exp-late", new Owner("rival", true));

        assertEquals(Optional.of(new Owner("rival", true)), owners.await("exp-late", Duration.ZERO));
    }

    @Test
    void theFirstSubmissionOfAnExperimentKeepsItsOwner() {
        owners.learn("exp-2", new Owner("demo", false));
        owners.learn("exp-2", new Owner("rival", true));

        assertEquals(Optional.of(new Owner("demo", false)), owners.await("exp-2", Duration.ZERO));
    }

    @Test
    void aTeamNameNoTopicCanCarryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Owner("Demo.Team", false));
        assertThrows(IllegalArgumentException.class, () -> new Owner(null, false));
    }
}
