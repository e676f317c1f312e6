package io.grokstream.reliability;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
        Map<String, Object> p = bounded(KafkaSettings.consumer(access, null, CLIENT_ID));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, BOUND);
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey(), BOUND) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    return new Read(new BrokerAnswer(BrokerAnswer.Kind.FAILED, "read " + records.size()
                            + " records but not to the end within " + READ_LIMIT.toSeconds() + " s"), List.of());
                }
                c.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return new Read(BrokerAnswer.letThrough("read " + records.size() + " records"), records);
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

    /**
     * The topic's partitions; its first one when the broker lists none, as it answers a principal that may not
     * describe the topic, so that the read itself is tried and refused.
     */
    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
        List<PartitionInfo> info = c.partitionsFor(topic, BOUND);
        if (info == null || info.isEmpty()) {
            return List.of(new TopicPartition(topic, 0));
        }
        return info.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    /** An admin's or consumer's settings with each call bounded. */
    private static Map<String, Object> bounded(Map<String, Object> settings) {
        settings.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) BOUND.toMillis());
        settings.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        return settings;
    }
}
