package io.grokstream.analysis.consume;

import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads single snapshot records by position (no group): the gaps the live consumer left to fill. */
final class GapReader implements AutoCloseable {
    private static final Duration READ = Duration.ofSeconds(10);
    private final KafkaConsumer<String, byte[]> consumer;

    GapReader(KafkaAccess access) {
        this.consumer = new KafkaConsumer<>(KafkaSettings.consumer(access, null, "analysis-gaps"));
    }

    /** The record at {@code offset} of {@code partition}, or empty when it is gone (retention) or not found in time. */
    Optional<ConsumerRecord<String, byte[]>> read(TopicPartition partition, long offset) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, offset);
        long deadline = System.nanoTime() + READ.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() == offset) {
                    return Optional.of(r);
                }
                if (r.offset() > offset) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
