package io.grokstream.gateway.intervene;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.InterventionKind;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.reference.HookNames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One intervention as the gateway accepts it, checked against the checkpoint's model and task: every refusal is a
 * 400 naming the field (gateway/API.md, "Interventions"). Rows are indices into the task's data.
 *
 * @param kind        what is done
 * @param frequencies Fourier frequencies (the Fourier kinds), else empty
 * @param hook        the activation's {@link HookNames} name (Fourier activation, patching), else the kind's own
 * @param position    the sequence position the Fourier activation ablation or the patch acts at (-1: every position)
 * @param channels    the neurons, or the heads' z columns, ablated (neuron and head kinds), else empty
 * @param units       the neurons or heads as given (for the answer)
 * @param sourceRow   the task row patched from (patching), else -1
 * @param inputRows   the task rows whose logits the answer lists
 */
public record InterventionRequest(InterventionKind kind, int[] frequencies, String hook, int position, int[] channels,
                                  int[] units, int sourceRow, int[] inputRows) {

    /** How many inputs' logits one answer may list. */
    public static final int MAX_INPUTS = 64;

    public InterventionRequest {
        frequencies = frequencies.clone();
        channels = channels.clone();
        units = units.clone();
        inputRows = inputRows.clone();
    }

    /**
     * Reads and checks a request body.
     *
     * @param taskRows the task's rows (tokens), for {@code source} and {@code inputs}
     * @param readAt   the first target's position: the default {@code position}
     */
    public static InterventionRequest parse(JsonNode body, ModelConfig model, TaskRows taskRows, int readAt) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "the body must be a JSON object with a kind: one of " + kinds());
        }
        JsonNode k = body.get("kind");
        if (k == null || !k.isTextual()) {
            throw ApiException.badRequest("kind", "kind is required: one of " + kinds());
        }
        InterventionKind kind = InterventionKind.of(k.asText()).orElseThrow(() -> ApiException.badRequest("kind",
                "unknown kind " + k.asText() + "; one of " + kinds()));
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("kind") && !f.equals("inputs") && !kind.fields().contains(f)) {
                throw ApiException.badRequest(f, "unknown field " + f + " for " + kind.wire() + "; it reads "
                        + kind.fields() + " and inputs");
            }
        }
        int[] inputs = inputs(body.get("inputs"), taskRows);
        return switch (kind) {
            case ABLATE_FOURIER_LOGITS -> new InterventionRequest(kind, frequencies(body), "logits", -1, new int[0],
                    new int[0], -1, inputs);
            case ABLATE_FOURIER_ACTIVATION -> new InterventionRequest(kind, frequencies(body), hook(body, model),
                    position(body, model, readAt), new int[0], new int[0], -1, inputs);
            case ZERO_ABLATE_NEURONS, MEAN_ABLATE_NEURONS -> {
                requireField(model.hasMlp(), kind, "neurons", "the model has no MLP");
                int layer = layer(body, model);
                int[] neurons = indices(body, "neurons", model.dMlp());
                yield new InterventionRequest(kind, new int[0], HookNames.mlpPost(layer), -1, neurons, neurons, -1, inputs);
            }
            case ZERO_ABLATE_HEADS, MEAN_ABLATE_HEADS -> {
                requireField(model.hasAttention(), kind, "heads", "the model has no attention");
                int layer = layer(body, model);
                int[] heads = indices(body, "heads", model.nHeads());
                int dh = model.dHead();
                int[] columns = new int[heads.length * dh];
                for (int i = 0; i < heads.length; i++) {
                    for (int e = 0; e < dh; e++) {
                        columns[i * dh + e] = heads[i] * dh + e;
                    }
                }
                yield new InterventionRequest(kind, new int[0], HookNames.z(layer), -1, columns, heads, -1, inputs);
            }
            case PATCH_ACTIVATION -> new InterventionRequest(kind, new int[0], hook(body, model),
                    position(body, model, readAt), new int[0], new int[0], row(body.get("source"), "source", taskRows),
                    inputs);
        };
    }

    private static List<String> kinds() {
        return Arrays.stream(InterventionKind.values()).map(InterventionKind::wire).toList();
    }

    private static void requireField(boolean ok, InterventionKind kind, String field, String why) {
        if (!ok) {
            throw ApiException.badRequest(field, kind.wire() + " needs " + field + ", but " + why);
        }
    }

    private static int[] frequencies(JsonNode body) {
        int[] f = integers(body.get("frequencies"), "frequencies", 1, 10_000, true);
        if (f.length > 64) {
            throw ApiException.badRequest("frequencies", "at most 64 frequencies, got " + f.length);
        }
        return f;
    }

    /** Activations over [batch, seq, width] that can be hooked; the attention pattern has another shape. */
    static List<String> hookable(ModelConfig model) {
        return HookNames.all(model).stream().filter(n -> !n.endsWith("attn.hook_pattern")).toList();
    }

    private static String hook(JsonNode body, ModelConfig model) {
        JsonNode h = body.get("hook");
        List<String> names = hookable(model);
        if (h == null || !h.isTextual() || !names.contains(h.asText())) {
            throw ApiException.badRequest("hook", "hook must name an activation of this model: one of " + names);
        }
        return h.asText();
    }

    private static int position(JsonNode body, ModelConfig model, int readAt) {
        JsonNode p = body.get("position");
        if (p == null || p.isNull()) {
            return readAt;
        }
        return integers(arrayOf(p), "position", 0, model.nCtx() - 1, false)[0];
    }

    private static int layer(JsonNode body, ModelConfig model) {
        JsonNode l = body.get("layer");
        if (l == null || l.isNull()) {
            return 0;
        }
        return integers(arrayOf(l), "layer", 0, model.nLayers() - 1, false)[0];
    }

    private static JsonNode arrayOf(JsonNode v) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(v);
    }

    private static int[] indices(JsonNode body, String field, int size) {
        return integers(body.get(field), field, 0, size - 1, true);
    }

    /** A non-empty list of distinct integers in [min, max]; a single value when {@code list} is false. */
    private static int[] integers(JsonNode v, String field, int min, int max, boolean list) {
        String what = list ? field + " must be a non-empty list of distinct integers in [" + min + ", " + max + "]"
                : field + " must be an integer in [" + min + ", " + max + "]";
        if (v == null || !v.isArray() || v.isEmpty() || v.size() > 10_000) {
            throw ApiException.badRequest(field, what);
        }
        int[] out = new int[v.size()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < min || e.asInt() > max || !seen.add(e.asInt())) {
                throw ApiException.badRequest(field, what + ", got " + (list ? v : e));
            }
            out[i] = e.asInt();
        }
        return out;
    }

    private static int[] inputs(JsonNode v, TaskRows taskRows) {
        if (v == null || v.isNull()) {
            return new int[0];
        }
        if (!v.isArray() || v.size() > MAX_INPUTS) {
            throw ApiException.badRequest("inputs", "inputs must be a list of at most " + MAX_INPUTS
                    + " inputs, each {x, y} or a list of token ids");
        }
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            rows.add(row(v.get(i), "inputs[" + i + "]", taskRows));
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int row(JsonNode v, String field, TaskRows taskRows) {
        if (v == null || v.isNull()) {
            throw ApiException.badRequest(field, field + " is required: {x, y} or a list of token ids");
        }
        return taskRows.rowOf(v, field);
    }
}
