package io.grokstream.analysis.consume;

import io.grokstream.contracts.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a whole topic without a consumer group, from the beginning: the event-sourced folds (tasks, training
 * metrics, measures) rebuild their state this way on every start: the topics are the source of truth.
 */
final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;

    TopicReader(String bootstrap, String topic, String clientId) {
        this.consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, null, clientId));
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads until the end offsets seen now, handing each record to {@code sink}. */
    void readToEnd(Consumer<ConsumerRecord<String, byte[]>> sink) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            consumer.poll(Duration.ofMillis(200)).forEach(sink);
        }
    }

    /** One poll for records that arrived since. */
    void poll(Duration timeout, Consumer<ConsumerRecord<String, byte[]>> sink) {
        consumer.poll(timeout).forEach(sink);
    }

    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
