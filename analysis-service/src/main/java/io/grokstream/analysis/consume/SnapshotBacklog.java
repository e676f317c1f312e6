package io.grokstream.analysis.consume;

import io.grokstream.contracts.WorkMetric;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The snapshots this instance holds and has not measured: the live consumer's lag on its partitions plus the open
 * gaps. Exported as {@link WorkMetric#ANALYSIS_SNAPSHOTS_WAITING}, which a cluster scales the analysis instances on.
 * The lag is taken by the consumer's own thread after each poll (a consumer is not thread-safe) and read by the
 * metrics scrape.
 */
@ApplicationScoped
public class SnapshotBacklog {

    private final AtomicLong lag = new AtomicLong();
    private final OpenGaps gaps;

    public SnapshotBacklog(OpenGaps gaps, MeterRegistry registry) {
        this.gaps = gaps;
        Gauge.builder(WorkMetric.ANALYSIS_SNAPSHOTS_WAITING.meterName(), this, SnapshotBacklog::waiting)
                .description("snapshots on this instance's partitions not measured yet (lag plus open gaps)")
                .register(registry);
    }

    /** Called on the consumer's thread after a poll: the records past its position on every assigned partition. */
    void observe(Consumer<?, ?> consumer) {
        lag.set(consumer.assignment().stream().mapToLong(tp -> consumer.currentLag(tp).orElse(0)).sum());
    }

    /** Lag plus open gaps. */
    public long waiting() {
        return lag.get() + gaps.size();
    }
}
