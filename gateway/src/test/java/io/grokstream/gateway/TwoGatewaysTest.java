package io.grokstream.gateway;

import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.gateway.view.LiveEvent;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

import static io.grokstream.gateway.Fixtures.DEMO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway processes serve one platform: each folds the topics into its own store, so both hold the same views
 * and stream the same live events (what their SSE subscribers get), whichever of them took the submission.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class TwoGatewaysTest {

    @Test
    void twoGatewaysWithTheirOwnStoresAnswerIdenticallyAndStreamTheSameEvents() throws Exception {
        try (StoreFold one = new StoreFold(Files.createTempDirectory("gateway-1"), "gateway-1");
             StoreFold two = new StoreFold(Files.createTempDirectory("gateway-2"), "gateway-2")) {
            assertTrue(one.awaitCaughtUp() && two.awaitCaughtUp());
            String id = Fixtures.createExperiment(DEMO, true); // taken by a third gateway: the Quarkus one
            Fixtures.publish(new TrainingStarted(id, "w1", "cpu", 0, Instant.now()));
            for (int s = 10; s <= 100; s += 10) {
                Fixtures.publish(Fixtures.metrics(id, s, s / 100.0, s / 200.0));
            }
            Fixtures.publish(ExperimentsApiTest.measured(id, 100, "1", 0.3));
            Fixtures.publish(new PhaseDetected(id, "memorised", 80, "train accuracy", "1"));
            Fixtures.publish(new TrainingCompleted(id, 100, 0.1, 0.2, 1, 0.5, null, 80L, "budget", Instant.now()));
            Fixtures.await(() -> one.views.summary(id).map(s -> s.status().equals("completed")).orElse(false)
                    && two.views.summary(id).map(s -> s.status().equals("completed")).orElse(false), "both folded");
            assertEquals(ViewRebuildTest.json(one.views.canonical()), ViewRebuildTest.json(two.views.canonical()));
            assertEquals(ViewRebuildTest.json(one.views.summaries(e -> true)),
                    ViewRebuildTest.json(two.views.summaries(e -> true)));
            assertEquals(ViewRebuildTest.json(one.views.measures(id)), ViewRebuildTest.json(two.views.measures(id)));
            List<String> streamedByOne = stream(one.live, id);
            assertEquals(streamedByOne, stream(two.live, id));
            assertEquals(10, streamedByOne.stream().filter(e -> e.startsWith(LiveEvent.METRICS)).count(), streamedByOne.toString());
        }
    }

    private static List<String> stream(List<LiveEvent> events, String id) {
        return events.stream().filter(e -> id.equals(e.experimentId()))
                .map(e -> e.name() + " " + ViewRebuildTest.json(e.data())).toList();
    }
}
