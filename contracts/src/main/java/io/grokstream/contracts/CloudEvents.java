package io.grokstream.contracts;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: the attributes travel as {@code ce_*} headers
 * and the value is the event data alone. Every grokstream record carries them.
 */
public final class CloudEvents {
    public static final String SPECVERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    public static final String JSON = "application/json";
    public static final String SAFETENSORS = "application/vnd.safetensors";

    private CloudEvents() {
    }

    /**
     * Headers for one record. A non-null {@code dedupeKey} makes the id deterministic
     * ({@code type/subject/key}), so a re-published step carries the same {@code ce_id}.
     */
    public static Headers headers(String type, String source, String subject, String dedupeKey, String contentType) {
        String id = dedupeKey == null ? UUID.randomUUID().toString() : type + "/" + subject + "/" + dedupeKey;
        RecordHeaders h = new RecordHeaders();
        put(h, SPECVERSION, "1.0");
        put(h, ID, id);
        put(h, TYPE, type);
        put(h, SOURCE, source);
        put(h, SUBJECT, subject);
        put(h, TIME, Instant.now().toString());
        put(h, CONTENT_TYPE, contentType);
        return h;
    }

    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The last value of a header, if present. */
    public static Optional<String> get(Headers headers, String name) {
        if (headers == null) {
            return Optional.empty();
        }
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? Optional.empty()
                : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    public static Optional<String> type(Headers headers) {
        return get(headers, TYPE);
    }

    public static Optional<String> id(Headers headers) {
        return get(headers, ID);
    }
}
