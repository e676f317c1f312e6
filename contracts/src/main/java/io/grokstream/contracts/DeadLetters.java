package io.grokstream.contracts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead-letter record for a record a consumer could not read: the original key, value and headers,
 * plus the error and where the record came from.
 */
public final class DeadLetters {
    public static final String REASON = "dlq-reason";
    public static final String ORIGINAL_TOPIC = "dlq-original-topic";
    public static final String ORIGINAL_PARTITION = "dlq-original-partition";
    public static final String ORIGINAL_OFFSET = "dlq-original-offset";
    public static final String CONSUMER = "dlq-consumer";

    private DeadLetters() {
    }

    public static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> record, String consumer,
                                                    Throwable error) {
        Headers h = new RecordHeaders();
        for (Header header : record.headers()) {
            h.add(header);
        }
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        CloudEvents.put(h, REASON, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
        CloudEvents.put(h, ORIGINAL_TOPIC, record.topic());
        CloudEvents.put(h, ORIGINAL_PARTITION, Integer.toString(record.partition()));
        CloudEvents.put(h, ORIGINAL_OFFSET, Long.toString(record.offset()));
        CloudEvents.put(h, CONSUMER, consumer);
        return new ProducerRecord<>(Topics.DEADLETTER, null, record.key(), record.value(), h);
    }
}
