package io.grokstream.gateway;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static io.grokstream.gateway.Fixtures.DEMO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The topics stay the source of truth: a new (wiped) store folds them into the same views as the live gateway's,
 * and a store reopened after a stop reads on from its stored offsets (only what was published meanwhile) into the
 * same views again. Real broker, real RocksDB, each fold as the gateway's own Kafka user.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ViewRebuildTest {
    @Inject
    EventFolder folder;

    @Test
    void aWipedStoreRebuildsFromTheTopicsIntoTheLiveViews() throws Exception {
        String a = Fixtures.createExperiment(DEMO, false);
        String b = Fixtures.createExperiment(DEMO, true);
        Fixtures.publish(new TrainingStarted(a, "w1", "cpu", 0, Instant.now()));
        for (int s = 10; s <= 50; s += 10) {
            Fixtures.publish(Fixtures.metrics(a, s, 0.2 * s / 10, 0.1));
        }
        Fixtures.publish(Fixtures.metrics(a, 30, 0.6, 0.1)); // duplicate step
        Fixtures.publish(ExperimentsApiTest.measured(a, 50, "1", 0.3));
        Fixtures.publish(new TrainingFailed(b, 0, "out of memory", Instant.now()));
        Fixtures.send(SnapshotCodec.toRecord(Topics.SNAPSHOTS, io.grokstream.contracts.EventType.SNAPSHOT_TAKEN,
                CheckpointsTest.snapshot(a, 50, 7), "/grokstream/test"));
        Fixtures.await(() -> folder.state().checkpoints(a).size() == 1
                && folder.state().summary(b).map(s -> s.status().equals("failed")).orElse(false), "live views folded");

        try (StoreFold rebuilt = new StoreFold(Files.createTempDirectory("rebuild"), "rebuild")) {
            assertTrue(rebuilt.awaitCaughtUp(), "the rebuild caught up with the topics");
            Fixtures.await(() -> json(folder.state().canonical()).equals(json(rebuilt.views.canonical())), "equal views");
            assertEquals(json(folder.state().canonical()), json(rebuilt.views.canonical()));
            assertEquals(5, rebuilt.views.metrics(a).size());
            assertFalse(rebuilt.views.latestMeasured(a).isEmpty());
        }
    }

    @Test
    void aRestartedGatewayResumesFromItsStoredOffsetsWithoutRefolding() throws Exception {
        String a = Fixtures.createExperiment(DEMO, false);
        for (int s = 10; s <= 40; s += 10) {
            Fixtures.publish(Fixtures.metrics(a, s, 0.5, 0.1));
        }
        Path dir = Files.createTempDirectory("resume");
        long firstFold;
        try (StoreFold first = new StoreFold(dir, "resume-1")) {
            assertTrue(first.awaitCaughtUp());
            Fixtures.await(() -> first.views.metrics(a).size() == 4, "the first run folded a's metrics");
            firstFold = first.folded.get();
        }
        // published while that gateway was down
        Fixtures.publish(Fixtures.metrics(a, 50, 0.9, 0.2));
        Fixtures.publish(Fixtures.metrics(a, 60, 1.0, 0.3));
        Fixtures.publish(ExperimentsApiTest.measured(a, 60, "1", 0.2));
        try (StoreFold resumed = new StoreFold(dir, "resume-2")) {
            assertTrue(resumed.awaitCaughtUp());
            Fixtures.await(() -> json(folder.state().canonical()).equals(json(resumed.views.canonical())),
                    "the resumed views equal the live gateway's");
            assertEquals(6, resumed.views.metrics(a).size());
            assertEquals(3, resumed.folded.get(), "only the 3 records published meanwhile were read (the first run "
                    + "folded " + firstFold + ")");
            assertTrue(firstFold > 3 + 6, "the first run read the topics from the beginning");
        }
    }

    static String json(Object o) {
        try {
            return EventCodec.JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
