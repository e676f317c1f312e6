package io.grokstream.gateway;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.SnapshotStore;
import io.grokstream.gateway.view.ViewState;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.grokstream.gateway.Fixtures.DEMO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ViewRebuildTest {
    @Inject
    EventFolder folder;

    @Test
    void secondFoldOverTheSameTopicsEqualsTheLiveViews() throws Exception {
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

        Path dir = Files.createTempDirectory("rebuild-snapshots");
        ViewState rebuilt = new ViewState(new SnapshotStore(dir, Long.MAX_VALUE), 1000);
        // the gateway's own user: the rebuild reads exactly what a restarted gateway may read
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaSettings.consumer(
                KafkaBrokerResource.access(KafkaUser.GATEWAY), null, "rebuild"))) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : Topics.readableBy(KafkaUser.GATEWAY)) {
                consumer.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        rebuilt.apply(r);
                    } catch (RuntimeException unreadable) {
                        // dead-lettered by the live fold already
                    }
                }
            }
        }
        // the live fold has caught up with at least the same offsets by now
        Fixtures.await(() -> json(folder.state().canonical()).equals(json(rebuilt.canonical())), "equal views");
        assertEquals(json(folder.state().canonical()), json(rebuilt.canonical()));
        assertFalse(rebuilt.metrics(a).isEmpty());
        assertEquals(5, rebuilt.metrics(a).size());
    }

    private static String json(Object o) {
        try {
            return EventCodec.JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
