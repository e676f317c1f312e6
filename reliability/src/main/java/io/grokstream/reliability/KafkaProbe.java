package io.grokstream.reliability;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.TopicScan;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tries one thing at the live broker as one principal, with the platform's client settings
 * ({@link KafkaSettings}) and every wait bounded, and names how it ended ({@link BrokerAnswer}): list the topics,
 * read a whole topic without a consumer group, write one record.
 */
final class KafkaProbe {
    /** How long one call may wait for the broker. */
    static final Duration BOUND = Duration.ofSeconds(10);
    private static final int REQUEST_TIMEOUT_MS = 5_000;
    private static final Duration READ_LIMIT = Duration.ofSeconds(60);
    private static final String CLIENT_ID = "reliability-isolation";

    /** What reading a topic gave: its records when let through, none otherwise. */
    record Read(BrokerAnswer answer, List<ConsumerRecord<String, byte[]>> records) {
    }

    private KafkaProbe() {
    }

    /** Lists the topics: the first thing any client does is ask the broker for metadata. */
    static BrokerAnswer connect(KafkaAccess access) {
        Map<String, Object> p = bounded(KafkaSettings.admin(access));
        try (Admin admin = Admin.create(p)) {
            int topics = admin.listTopics().names().get(BOUND.toSeconds() + 5, TimeUnit.SECONDS).size();
            return BrokerAnswer.letThrough("listed " + topics + " topics");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            return BrokerAnswer.of(e);
        }
    }

    /** Reads every partition of {@code topic} from its beginning to its current end, as a consumer without a group. */
    static Read read(KafkaAccess access, String topic) {
        try {
            List<ConsumerRecord<String, byte[]>> records = TopicScan.readAll(access, topic, READ_LIMIT);
            return new Read(BrokerAnswer.letThrough("read " + records.size() + " records"), records);
        } catch (IllegalStateException e) {
            return new Read(new BrokerAnswer(BrokerAnswer.Kind.FAILED, e.getMessage()), List.of());
        } catch (RuntimeException e) {
            return new Read(BrokerAnswer.of(e), List.of());
        }
    }

    /** Writes one record keyed {@code key} (an empty JSON object, no event headers) and waits for its acknowledgement. */
    static BrokerAnswer write(KafkaAccess access, String topic, String key) {
        Map<String, Object> p = KafkaSettings.producer(access, CLIENT_ID);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) BOUND.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) BOUND.toMillis() + REQUEST_TIMEOUT_MS);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, key, "{}".getBytes(StandardCharsets.UTF_8)))
                    .get(BOUND.toSeconds() * 3, TimeUnit.SECONDS);
            return BrokerAnswer.letThrough("written at " + m.topic() + "-" + m.partition() + " offset " + m.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            return BrokerAnswer.of(e);
        }
    }

    /** An admin's or consumer's settings with each call bounded. */
    private static Map<String, Object> bounded(Map<String, Object> settings) {
        settings.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) BOUND.toMillis());
        settings.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        return settings;
    }
}
