package io.grokstream.analysis.consume;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Snapshots the live consumer skipped to keep up (it measures a backlog newest-first) and has not measured yet: the
 * gaps. They are filled in the background, oldest first, and until then the live consumer's committed offset on
 * their partition stays at the oldest gap, so an instance that stops (or loses the partition to another) leaves
 * them to whoever reads the partition next: the {@link MeasureLedger} skips what is already measured. Exposed as
 * the gauge {@code grokstream.analysis.gaps.open} and by {@code GET /admin/gaps}.
 */
@ApplicationScoped
public class OpenGaps {

    /** One skipped snapshot: where it is and what it is. */
    public record Gap(TopicPartition partition, long offset, String experimentId, long step) {
    }

    private final Map<TopicPartition, ConcurrentSkipListMap<Long, Gap>> byPartition = new ConcurrentHashMap<>();

    public OpenGaps(MeterRegistry registry) {
        Gauge.builder("grokstream.analysis.gaps.open", this, OpenGaps::size)
                .description("snapshots skipped by the live consumer and not measured yet").register(registry);
    }

    void add(Gap gap) {
        byPartition.computeIfAbsent(gap.partition(), p -> new ConcurrentSkipListMap<>()).put(gap.offset(), gap);
    }

    void filled(Gap gap) {
        Map<Long, Gap> gaps = byPartition.get(gap.partition());
        if (gaps != null) {
            gaps.remove(gap.offset());
        }
    }

    /** The partitions moved to another instance: it reads them from the committed offset, gaps included. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(byPartition::remove);
    }

    /** The oldest open gap of one partition (the first that has any), to fill next. */
    Optional<Gap> next() {
        return byPartition.values().stream().filter(m -> !m.isEmpty()).map(m -> m.firstEntry().getValue())
                .findFirst();
    }

    /** The lowest open gap's offset on {@code partition}: the live consumer commits no further. */
    OptionalLong lowestOffset(TopicPartition partition) {
        ConcurrentSkipListMap<Long, Gap> gaps = byPartition.get(partition);
        return gaps == null || gaps.isEmpty() ? OptionalLong.empty() : OptionalLong.of(gaps.firstKey());
    }

    public int size() {
        return byPartition.values().stream().mapToInt(Map::size).sum();
    }

    /** Open gaps by experiment id. */
    public Map<String, Integer> byExperiment() {
        Map<String, Integer> counts = new TreeMap<>();
        byPartition.values().forEach(m -> m.values().forEach(g -> counts.merge(g.experimentId(), 1, Integer::sum)));
        return counts;
    }
}
