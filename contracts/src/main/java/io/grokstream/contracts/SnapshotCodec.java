package io.grokstream.contracts;

import io.grokstream.model.Safetensors;
import io.grokstream.model.Tensor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The binary serde of the snapshot and checkpoint topics: the value is a safetensors file, experiment, step,
 * task and config in its {@code __metadata__}, so a snapshot loads into PyTorch as it is.
 */
public final class SnapshotCodec {
    public static final String META_EXPERIMENT = "experiment";
    public static final String META_STEP = "step";
    public static final String META_TASK = "task_id";
    public static final String META_TASK_SHA = "task_sha256";
    public static final String META_CONFIG = "model_config";
    /** On a snapshot: why it was taken, a {@link SnapshotReason} word (absent on snapshots from before reasons). */
    public static final String META_REASON = "reason";
    /** On a checkpoint that leaves the GrokFast filter state out: why (a resumed run re-warms the filter). */
    public static final String META_GROKFAST_STATE = "grokfast_state";

    private SnapshotCodec() {
    }

    /** A snapshot: the weights of an experiment after {@code step} steps. */
    public record Snapshot(String experimentId, long step, Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Snapshot {
            tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    public static byte[] encode(Snapshot snapshot) {
        Map<String, String> meta = new LinkedHashMap<>(snapshot.metadata());
        meta.put(META_EXPERIMENT, snapshot.experimentId());
        meta.put(META_STEP, Long.toString(snapshot.step()));
        return Safetensors.write(snapshot.tensors(), meta);
    }

    /** @throws UnreadableRecordException for a truncated or corrupt file, or one without experiment and step */
    public static Snapshot decode(byte[] bytes) {
        Safetensors.File file;
        try {
            file = Safetensors.read(bytes);
        } catch (IllegalArgumentException e) {
            throw new UnreadableRecordException(e.getMessage(), e);
        }
        String experiment = file.metadata().get(META_EXPERIMENT);
        String step = file.metadata().get(META_STEP);
        if (experiment == null || step == null) {
            throw new UnreadableRecordException("snapshot metadata lacks experiment or step");
        }
        try {
            return new Snapshot(experiment, Long.parseLong(step), file.tensors(), file.metadata());
        } catch (NumberFormatException e) {
            throw new UnreadableRecordException("snapshot step is not a number: " + step);
        }
    }

    /** A snapshot record ({@link EventType#SNAPSHOT_TAKEN}) keyed by experiment, id deterministic per step. */
    public static ProducerRecord<String, byte[]> toRecord(String topic, String ceType, Snapshot snapshot, String source) {
        Headers headers = CloudEvents.headers(ceType, source, snapshot.experimentId(),
                Long.toString(snapshot.step()), CloudEvents.SAFETENSORS);
        return new ProducerRecord<>(topic, null, snapshot.experimentId(), encode(snapshot), headers);
    }

    public static Snapshot fromRecord(ConsumerRecord<String, byte[]> record) {
        return decode(record.value());
    }
}
