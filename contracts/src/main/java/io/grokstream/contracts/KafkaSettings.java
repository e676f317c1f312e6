package io.grokstream.contracts;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;

/**
 * Client settings every grokstream producer and consumer shares, starting from its {@link KafkaAccess} (where and as
 * whom it connects): idempotent producers with {@code acks=all}
 * and zstd, records up to {@link Topics#MAX_MESSAGE_BYTES}; consumers that commit by hand. Keys are strings,
 * values bytes, decoded by {@link EventCodec} so an unreadable record can be dead-lettered instead of
 * blocking the poll loop.
 */
public final class KafkaSettings {
    /** How long a producer keeps retrying a record before it gives up: one hour. */
    public static final int DELIVERY_TIMEOUT_MS = 3_600_000;

    private KafkaSettings() {
    }

    public static Map<String, Object> producer(KafkaAccess access, String clientId) {
        Map<String, Object> p = access.clientProperties();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        // max.request.size is checked on the uncompressed record; the topic limit on the compressed batch.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A record waits up to an hour for the broker: an outage of many minutes drops nothing (the trainer stops
        // stepping at its next checkpoint until the broker is back; KafkaTrainingListener).
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        return p;
    }

    public static Map<String, Object> consumer(KafkaAccess access, String groupId, String clientId) {
        Map<String, Object> c = access.clientProperties();
        if (groupId != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return c;
    }

    /**
     * A member of share group {@code groupId} that takes one record at a time and acknowledges each explicitly
     * ({@link ShareGroups}): {@code share.acquire.mode=record_limit} with {@code max.poll.records=1}, so a record's
     * acquisition lock starts only when the member asks for work and nothing is prefetched for a busy member.
     */
    public static Map<String, Object> shareConsumer(KafkaAccess access, String groupId, String clientId) {
        Map<String, Object> c = access.clientProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        c.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        return c;
    }

    /** An admin client's settings, with a minute for each call. */
    public static Map<String, Object> admin(KafkaAccess access) {
        Map<String, Object> a = access.clientProperties();
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return a;
    }
}
