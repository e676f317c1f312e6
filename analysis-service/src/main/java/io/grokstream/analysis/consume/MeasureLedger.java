package io.grokstream.analysis.consume;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this service has already published, folded from {@code grokstream.measures.v1} at start-up and kept up to
 * date as it publishes: the measures are idempotent by (experiment, step, analysis version), so a restart or a
 * replay skips what is there. Earlier measures of the current version also feed the phase trackers.
 */
@ApplicationScoped
public class MeasureLedger {
    private final Set<String> measured = ConcurrentHashMap.newKeySet();
    private final PhaseBook phases;

    public MeasureLedger(PhaseBook phases) {
        this.phases = phases;
    }

    /** @throws RuntimeException when the record is unreadable (the follower skips it) */
    void accept(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        GrokEvent event = EventCodec.decode(record.headers(), record.value());
        if (event instanceof ProgressMeasured m) {
            record(m);
        } else if (event instanceof PhaseDetected d) {
            phases.recordReported(d);
        }
    }

    /** Notes a published (or found) measure; feeds its scalars to the phase tracker when of the current version. */
    public void record(ProgressMeasured m) {
        measured.add(key(m.experimentId(), m.step(), m.analysisVersion()));
        phases.observeMeasures(m);
    }

    public boolean isMeasured(String experimentId, long step, String version) {
        return measured.contains(key(experimentId, step, version));
    }

    public int size() {
        return measured.size();
    }

    private static String key(String experimentId, long step, String version) {
        return experimentId + '\u0000' + version + '\u0000' + step;
    }
}
