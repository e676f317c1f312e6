package io.grokstream.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.model.ModelConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventCodecTest {

    static final Instant T = Instant.parse("2026-11-21T12:00:00Z");

    /** One example of every event type. */
    static List<GrokEvent> examples() {
        return List.of(
                new TaskDefined("t-1", "modular", Map.of("p", 5, "op", "add"), List.of("0", "1", "2", "3", "4", "="), 3,
                        List.of(new TaskDefined.Target("out", 2, 5, "out", 1.0)), new TaskDefined.Residues(5, 0, 1),
                        new TaskDefined.TaskData(new int[][]{{0, 1, 5}, {2, 3, 5}}, new int[][]{{1}, {0}}, new int[]{1}),
                        "ab", List.of(new TaskDefined.TargetStatistics("out", new long[]{1, 1, 0, 0, 0}, 0.43, 0.5, 0.0)),
                        List.of("labels far from uniform"), T),
                new ExperimentSubmitted("e-1", "alpha", "nanda", "t-1", "ab", ModelConfig.nanda(113),
                        NandaPreset.optimizer(), GrokFastConfig.ema(0.98, 2.0), new TrainingBudget(40_000, 0.99), 0,
                        Cadence.defaults(), false, null, null, T),
                new ExperimentCancelled("e-1", "alpha", "enough", T),
                new TrainingStarted("e-1", "worker-1", "cpu()", 0, T),
                new StepMetrics("e-1", 10, 4.7, 4.8, 0.01, 0.0, Map.of("out", 0.01), Map.of("out", 0.0),
                        Map.of("embed.W_E", 0.5), Map.of("embed.W_E", 1.5), 2.0, Map.of("embed.W_E", 3.0), 30.0, 1e-4, 101.5),
                new TrainingCompleted("e-1", 7000, 1e-7, 1e-3, 1.0, 0.995, 1400L, 6900L, "early-stop", T),
                new TrainingFailed("e-1", 12, "out of memory", T),
                new TrainingAnomaly("e-1", 30, "non-finite-gradient", "blocks.0.mlp.W_in", "rollback"),
                new ProgressMeasured("e-1", 1000, "1", Map.of("restricted_loss", 0.1), Map.of("embed_fourier", new double[]{1, 2}),
                        List.of(14, 35), Map.of("neuron0", new double[]{1, 2, 3, 4}), Map.of("neuron0", new int[]{2, 2}), 0, 80.0),
                new PhaseDetected("e-1", "cleanup", 9000, "weight norm falling", "1"),
                new WebhookRegistered("wh-1", "alpha", "https://example.org/hook", List.of("grokked", "failed"), null,
                        "whsec_00", T),
                new WebhookAttempted("wh-1", "d-1", "grokked", "e-1", 2, 503, null, T, T.plusSeconds(20)));
    }

    @Test
    void everyEventTypeHasAnExample() {
        assertEquals(EventType.values().length, examples().stream().map(EventType::of).distinct().count());
    }

    @Test
    void everyEventRoundTripsThroughItsRecord() {
        for (GrokEvent event : examples()) {
            ProducerRecord<String, byte[]> record = EventCodec.toRecord(event, "/test");
            GrokEvent back = EventCodec.decode(record.headers(), record.value());
            assertEquals(EventType.of(event).topic(), record.topic());
            assertEquals(event.subject(), record.key());
            // records holding arrays compare by identity, so compare the canonical JSON
            assertEquals(EventCodec.JSON.valueToTree(event), EventCodec.JSON.valueToTree(back), event.toString());
        }
    }

    @Test
    void aNewerWritersUnknownFieldsDoNotBreakThisReader() throws Exception {
        for (GrokEvent event : examples()) {
            ObjectNode json = EventCodec.JSON.valueToTree(event);
            json.put("fieldFromTheFuture", "v2");
            json.putObject("nestedFromTheFuture").put("x", 1);
            GrokEvent back = EventCodec.decode(event.getClass(), EventCodec.JSON.writeValueAsBytes(json));
            assertEquals(EventCodec.JSON.valueToTree(event), EventCodec.JSON.valueToTree(back));
        }
    }

    @Test
    void recordsCarryCloudEventsHeadersWithDeterministicStepIds() {
        GrokEvent metrics = examples().get(4);
        var headers = EventCodec.toRecord(metrics, "/grokstream/trainer").headers();
        assertEquals("1.0", CloudEvents.get(headers, CloudEvents.SPECVERSION).orElseThrow());
        assertEquals("grokstream.training.metrics.v1", CloudEvents.type(headers).orElseThrow());
        assertEquals("/grokstream/trainer", CloudEvents.get(headers, CloudEvents.SOURCE).orElseThrow());
        assertEquals("e-1", CloudEvents.get(headers, CloudEvents.SUBJECT).orElseThrow());
        assertEquals("application/json", CloudEvents.get(headers, CloudEvents.CONTENT_TYPE).orElseThrow());
        Instant.parse(CloudEvents.get(headers, CloudEvents.TIME).orElseThrow());
        assertEquals(CloudEvents.id(headers), CloudEvents.id(EventCodec.toRecord(metrics, "/other").headers()));
    }

    @Test
    void unreadableRecordsFailWithTheReason() {
        var headers = EventCodec.toRecord(examples().get(3), "/t").headers();
        assertThrows(UnreadableRecordException.class, () -> EventCodec.decode(headers, "{not json".getBytes()));
        CloudEvents.put(headers, CloudEvents.TYPE, "grokstream.unknown.v9");
        var e = assertThrows(UnreadableRecordException.class, () -> EventCodec.decode(headers, "{}".getBytes()));
        assertTrue(e.getMessage().contains("unknown ce_type"));
    }

    @Test
    void topicRegistryDeclaresCompactionAndLargeRecords() {
        assertEquals("compact", Topics.spec(Topics.TASKS).configs().get("cleanup.policy"));
        assertEquals("compact", Topics.spec(Topics.CHECKPOINTS).configs().get("cleanup.policy"));
        assertTrue(Integer.parseInt(Topics.spec(Topics.SNAPSHOTS).configs().get("max.message.bytes")) >= 8 << 20);
        assertEquals(Stream.of(EventType.values()).map(EventType::topic).distinct().count(),
                Stream.of(EventType.values()).map(EventType::topic).distinct().filter(t -> Topics.spec(t) != null).count());
    }

    @Test
    void snapshotsRoundTripAndTruncatedOnesAreUnreadable() {
        var snap = new SnapshotCodec.Snapshot("e-1", 300,
                Map.of("embed.W_E", io.grokstream.model.Tensor.ofFloats(new float[]{1, 2, 3, 4}, 2, 2)), Map.of("task_id", "t-1"));
        byte[] bytes = SnapshotCodec.encode(snap);
        var back = SnapshotCodec.decode(bytes);
        assertEquals(300, back.step());
        assertEquals("e-1", back.experimentId());
        assertEquals("t-1", back.metadata().get("task_id"));
        assertArrayEquals(snap.tensors().get("embed.W_E").data(), back.tensors().get("embed.W_E").data());
        assertThrows(UnreadableRecordException.class,
                () -> SnapshotCodec.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3)));
    }

    @Test
    void compactedRecordsDecodeToTheirTypeTombstonesToNothingAndOtherTypesAreUnreadable() {
        var task = EventCodec.toRecord(examples().get(0), "/t");
        var asConsumed = new org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>(Topics.TASKS, 0, 7,
                0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, task.key(), task.value(),
                task.headers(), java.util.Optional.empty());
        assertEquals("t-1", EventCodec.decodeCompacted(TaskDefined.class, asConsumed).orElseThrow().taskId());

        var tombstone = new org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>(Topics.TASKS, 0, 8, "t-1", null);
        assertTrue(EventCodec.decodeCompacted(TaskDefined.class, tombstone).isEmpty());

        var started = EventCodec.toRecord(examples().get(3), "/t");
        var wrongType = new org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>(Topics.TASKS, 0, 9,
                0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, started.key(), started.value(),
                started.headers(), java.util.Optional.empty());
        var e = assertThrows(UnreadableRecordException.class,
                () -> EventCodec.decodeCompacted(TaskDefined.class, wrongType));
        assertEquals("expected a TaskDefined on grokstream.tasks.v1, got TrainingStarted", e.getMessage());
    }
}
