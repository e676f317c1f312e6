package io.grokstream.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import java.io.IOException;
import java.util.Optional;

/**
 * JSON encoding of events, and the one place that turns an event into a Kafka record with its CloudEvents
 * headers. Readers ignore unknown fields, so a newer writer never breaks an older reader.
 */
public final class EventCodec {

    /** The mapper every grokstream component uses for events: unknown fields ignored, ISO-8601 times. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private EventCodec() {
    }

    public static byte[] encode(GrokEvent event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.getClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** A record for the event's topic, keyed by its subject, with CloudEvents headers from {@code source}. */
    public static ProducerRecord<String, byte[]> toRecord(GrokEvent event, String source) {
        EventType type = EventType.of(event);
        Headers headers = CloudEvents.headers(type.ceType(), source, event.subject(), event.dedupeKey(),
                CloudEvents.JSON);
        return new ProducerRecord<>(type.topic(), null, event.subject(), encode(event), headers);
    }

    /**
     * Decodes a record by its {@code ce_type} header.
     *
     * @throws UnreadableRecordException when the type is missing or unknown, or the JSON does not parse
     */
    public static GrokEvent decode(Headers headers, byte[] value) {
        String ceType = CloudEvents.type(headers)
                .orElseThrow(() -> new UnreadableRecordException("record has no ce_type header"));
        EventType type = EventType.ofCeType(ceType)
                .orElseThrow(() -> new UnreadableRecordException("unknown ce_type " + ceType));
        return decode(type.recordClass(), value);
    }

    /**
     * Decodes a record of a compacted topic that holds one event type (the task catalog): empty for a tombstone,
     * which deletes its key.
     *
     * @throws UnreadableRecordException when the record is not a readable {@code type}
     */
    public static <T extends GrokEvent> Optional<T> decodeCompacted(Class<T> type, ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return Optional.empty();
        }
        GrokEvent event = decode(record.headers(), record.value());
        if (!type.isInstance(event)) {
            throw new UnreadableRecordException("expected a " + type.getSimpleName() + " on " + record.topic()
                    + ", got " + event.getClass().getSimpleName());
        }
        return Optional.of(type.cast(event));
    }

    public static <T extends GrokEvent> T decode(Class<T> type, byte[] value) {
        if (value == null) {
            throw new UnreadableRecordException("record has no value");
        }
        try {
            T event = JSON.readValue(value, type);
            if (event == null || event.subject() == null) {
                throw new UnreadableRecordException(type.getSimpleName() + " has no subject id");
            }
            return event;
        } catch (IOException e) {
            throw new UnreadableRecordException("malformed " + type.getSimpleName() + " JSON: " + e.getMessage(), e);
        }
    }
}
