package io.grokstream.kafka;

import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.contracts.Topics;
import io.grokstream.model.Tensor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events and large snapshots through a real, secured broker over a real connection, read by an independent consumer. */
class RealBrokerTest {

    static TestBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void topicsAreCreatedWithTheirConfigs() throws Exception {
        try (Admin admin = Admin.create(KafkaSettings.admin(broker.access(KafkaUser.ADMIN)))) {
            var names = admin.listTopics().names().get();
            assertTrue(names.containsAll(Topics.ALL.stream().map(Topics.TopicSpec::name).toList()), names.toString());
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHECKPOINTS);
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
            assertEquals(String.valueOf(Topics.MAX_MESSAGE_BYTES), config.get("max.message.bytes").value());
            var topics = admin.describeTopics(List.of(Topics.TRAINING, Topics.EXPERIMENTS)).allTopicNames().get();
            assertEquals(Topics.DEFAULT_PARTITIONS, topics.get(Topics.TRAINING).partitions().size());
            assertEquals(1, topics.get(Topics.EXPERIMENTS).partitions().size(), "the trainers' queue: one partition");
        }
    }

    @Test
    void anEventPublishedIsReadBackWithItsHeaders() {
        var event = new TrainingStarted("exp-42", "worker-1", "cpu()", 0, Instant.now());
        try (var publisher = publisher()) {
            publisher.publishAndWait(event);
        }
        ConsumerRecord<String, byte[]> record = readOne(Topics.TRAINING, "exp-42");

        assertEquals(EventType.TRAINING_STARTED.ceType(), CloudEvents.type(record.headers()).orElseThrow());
        assertEquals("exp-42", CloudEvents.get(record.headers(), CloudEvents.SUBJECT).orElseThrow());
        assertEquals("/test", CloudEvents.get(record.headers(), CloudEvents.SOURCE).orElseThrow());
        assertEquals("1.0", CloudEvents.get(record.headers(), CloudEvents.SPECVERSION).orElseThrow());
        assertEquals(event, EventCodec.decode(record.headers(), record.value()));
    }

    @Test
    void aThreeMegabyteSnapshotTravelsThroughTheSnapshotTopic() {
        float[] weights = new float[768 * 1024]; // 3 MiB of float32, incompressible noise
        Random random = new Random(7);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        var snapshot = new SnapshotCodec.Snapshot("exp-big", 500,
                Map.of("blocks.0.mlp.W_in", Tensor.ofFloats(weights, 768, 1024)), Map.of());
        try (var publisher = publisher()) {
            EventPublisher.await(publisher.publishSnapshot(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN, snapshot));
        }
        ConsumerRecord<String, byte[]> record = readOne(Topics.SNAPSHOTS, "exp-big");

        assertTrue(record.value().length > 3 * 1024 * 1024);
        var back = SnapshotCodec.fromRecord(record);
        assertEquals(500, back.step());
        assertArrayEquals(weights, back.tensors().get("blocks.0.mlp.W_in").floats());
        assertEquals(EventType.SNAPSHOT_TAKEN, CloudEvents.type(record.headers()).orElseThrow());
    }

    private static EventPublisher publisher() {
        return new EventPublisher(new KafkaProducer<>(KafkaSettings.producer(broker.access(KafkaUser.TRAINER), "test")), "/test");
    }

    private static ConsumerRecord<String, byte[]> readOne(String topic, String key) {
        try (var consumer = new KafkaConsumer<String, byte[]>(
                KafkaSettings.consumer(broker.access(KafkaUser.ADMIN), "independent-" + System.nanoTime(), "reader"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
            assertEquals(1, found.size(), "record " + key + " on " + topic);
            return found.get(0);
        }
    }
}
