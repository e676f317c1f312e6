package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import io.grokstream.kafka.TestBroker;
import io.grokstream.model.Tensor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint look-up against a real broker's compacted topic. */
class CheckpointStoreTest {
    private static TestBroker broker;
    private static EventPublisher publisher;
    private static CheckpointStore store;

    @BeforeAll
    static void start() {
        broker = TestBroker.start();
        publisher = WorkerTestKit.publisher(broker.access(KafkaUser.TRAINER));
        store = new CheckpointStore(broker.access(KafkaUser.TRAINER), "test");
    }

    @AfterAll
    static void stop() {
        publisher.close();
        broker.close();
    }

    private static RecordMetadata checkpoint(String experiment, long step) {
        return EventPublisher.await(publisher.publishSnapshot(Topics.CHECKPOINTS, EventType.CHECKPOINT_SAVED,
                new SnapshotCodec.Snapshot(experiment, step, Map.of("w", Tensor.ofDoubles(new double[]{step}, 1)),
                        Map.of())));
    }

    @Test
    void partitionForAgreesWithTheProducersDefaultPartitioner() {
        for (int i = 0; i < 40; i++) {
            String id = "exp-partition-" + i;
            assertEquals(checkpoint(id, 1).partition(), Topics.partitionFor(id, Topics.spec(Topics.CHECKPOINTS).partitions()), id);
        }
    }

    @Test
    void latestIsTheLastCheckpointOfTheExperimentNotOfItsNeighbours() {
        String id = "exp-latest";
        String neighbour = WorkerTestKit.idOnPartition("exp-neighbour", Topics.partitionFor(id, Topics.spec(Topics.CHECKPOINTS).partitions()));
        checkpoint(id, 10);
        checkpoint(neighbour, 15);
        checkpoint(id, 20);
        checkpoint(neighbour, 25);

        SnapshotCodec.Snapshot latest = store.latest(id).orElseThrow();

        assertEquals(20, latest.step());
        assertEquals(20.0, latest.tensors().get("w").doubles()[0]);
        assertEquals(25, store.latest(neighbour).orElseThrow().step());
    }

    @Test
    void anExperimentWithoutCheckpointsStartsFresh() {
        assertTrue(store.latest("exp-never-checkpointed").isEmpty());
    }

    @Test
    void aCorruptLatestCheckpointFallsBackToThePreviousReadableOne() {
        String id = "exp-corrupt";
        checkpoint(id, 30);
        EventPublisher.await(publisher.send(new ProducerRecord<>(Topics.CHECKPOINTS, null, id,
                "not safetensors".getBytes(StandardCharsets.UTF_8))));

        assertEquals(30, store.latest(id).orElseThrow().step());
    }

    @Test
    void aTombstoneClearsTheCheckpoint() {
        String id = "exp-tombstone";
        checkpoint(id, 40);
        EventPublisher.await(publisher.send(new ProducerRecord<>(Topics.CHECKPOINTS, null, id, null)));

        assertTrue(store.latest(id).isEmpty());
    }
}
