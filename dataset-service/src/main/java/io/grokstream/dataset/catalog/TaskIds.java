package io.grokstream.dataset.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.grokstream.dataset.generate.Params;
import io.grokstream.dataset.generate.TaskKind;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Content-derived task ids: {@code <kind label>-<first 12 hex of sha256(canonical request)>}, e.g.
 * {@code modular-add-p113-1a2b3c4d5e6f}. The canonical request is the compact JSON
 * {@code {"kind":"...","parameters":{...}}} of the normalised parameters (defaults filled, keys sorted), UTF-8:
 * leaving a default out or spelling it out gives the same id.
 */
public final class TaskIds {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private TaskIds() {
    }

    public static byte[] canonicalRequest(String kind, Params params) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", kind);
        request.put("parameters", params.asMap());
        try {
            return CANONICAL.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode parameters " + params, e);
        }
    }

    public static String of(TaskKind kind, Params params) {
        byte[] hash = DataHash.sha256Digest().digest(canonicalRequest(kind.name(), params));
        return kind.label(params) + "-" + HexFormat.of().formatHex(hash).substring(0, 12);
    }
}
