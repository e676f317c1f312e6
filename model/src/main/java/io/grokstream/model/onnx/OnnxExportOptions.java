package io.grokstream.model.onnx;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ONNX export contains beyond the logits.
 *
 * @param activations also output every intermediate activation under its TransformerLens hook name
 *                    ({@link io.grokstream.model.reference.HookNames}); costs memory and time at inference
 * @param metadata    the model's {@code metadata_props}: by convention {@link #EXPERIMENT}, {@link #STEP},
 *                    {@link #TASK_HASH} and {@link #GROKSTREAM_VERSION}; any other string pairs pass through
 * @param positions   empty: the logits at every position ({@code logits}); else the sequence positions the graph
 *                    reads, distinct, in the order of the outputs {@code logits_at} {@code [batch, positions, classes]}
 *                    that replace the full logits. The last block then runs its attention output, MLP and unembed
 *                    on those positions alone (Nanda's model reads 1 of 3: about a third of the arithmetic). Not
 *                    with {@code activations}, which are defined at every position.
 */
public record OnnxExportOptions(boolean activations, Map<String, String> metadata, List<Integer> positions) {

    public static final String EXPERIMENT = "experiment";
    public static final String STEP = "step";
    public static final String TASK_HASH = "task_hash";
    public static final String GROKSTREAM_VERSION = "grokstream_version";
    /** Written by the exporter itself: the {@link io.grokstream.model.ModelConfig} as JSON. */
    public static final String MODEL_CONFIG = "model_config";

    public OnnxExportOptions {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata == null ? Map.of() : metadata));
        positions = List.copyOf(positions == null ? List.of() : positions);
        if (new HashSet<>(positions).size() != positions.size() || positions.stream().anyMatch(p -> p < 0)) {
            throw new IllegalArgumentException("positions must be distinct and >= 0, got " + positions);
        }
        if (activations && !positions.isEmpty()) {
            throw new IllegalArgumentException("activations are defined at every position: export them without positions");
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                throw new IllegalArgumentException("metadata: keys must be non-blank and values non-null, got " + e);
            }
            if (e.getKey().equals(MODEL_CONFIG)) {
                throw new IllegalArgumentException("metadata: " + MODEL_CONFIG + " is written by the exporter");
            }
        }
    }

    /** All positions' logits: {@code positions} empty. */
    public OnnxExportOptions(boolean activations, Map<String, String> metadata) {
        this(activations, metadata, List.of());
    }

    /** The four provenance properties of a snapshot; logits only. */
    public static OnnxExportOptions of(String experiment, long step, String taskHash, String grokstreamVersion) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(EXPERIMENT, experiment);
        m.put(STEP, Long.toString(step));
        m.put(TASK_HASH, taskHash);
        m.put(GROKSTREAM_VERSION, grokstreamVersion);
        return new OnnxExportOptions(false, m);
    }

    /** Logits only, no metadata. */
    public static OnnxExportOptions logitsOnly() {
        return new OnnxExportOptions(false, Map.of());
    }

    public OnnxExportOptions withActivations(boolean activations) {
        return new OnnxExportOptions(activations, metadata, positions);
    }

    /** The same export reading only the logits at {@code positions} (see {@link #positions()}). */
    public OnnxExportOptions atPositions(List<Integer> positions) {
        return new OnnxExportOptions(activations, metadata, positions);
    }
}
