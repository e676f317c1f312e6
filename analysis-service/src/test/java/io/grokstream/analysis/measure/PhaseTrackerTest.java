package io.grokstream.analysis.measure;

import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.Measure;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PhaseTrackerTest {

    /** A grokking run shaped like Nanda et al. Figure 7: memorise by 1000, circuit by 3000, clean up by 8000. */
    private static PhaseTracker nandaLikeRun() {
        PhaseTracker t = new PhaseTracker(GrokCriterion.STANDARD);
        for (long step = 0; step <= 10_000; step += 500) {
            double trainAcc = step >= 1000 ? 1.0 : step / 1000.0 * 0.9;
            double valAcc = step < 7000 ? 0.01 : step < 8000 ? 0.6 : 0.99;
            double valLoss = step < 7000 ? 8 : step < 8000 ? 1 : 0.01;
            double weight = step <= 6500 ? 2000 + step / 10.0 : 2650 - (step - 6500) / 5.0;
            t.observeMetrics(step, trainAcc, valAcc, valLoss, weight);
            double restricted = step < 1500 ? 4.7 : step < 3000 ? 4.0 : 2.0;
            t.observeMeasures(step, Map.of(Measure.RESTRICTED_LOSS.wire(), restricted));
        }
        return t;
    }

    @Test
    void detectsTheThreePhasesAndTheTwoEventsInOrder() {
        List<PhaseTracker.Detection> found = nandaLikeRun().detect(Set.of());
        assertEquals(List.of("memorisation", "memorised", "circuit_formation", "cleanup", "grokked"),
                found.stream().map(PhaseTracker.Detection::phase).toList());
        assertEquals(List.of(0L, 1000L, 3000L, 7000L, 8000L),
                found.stream().map(PhaseTracker.Detection::step).toList());
    }

    @Test
    void reportedPhasesAreNotReportedAgain() {
        List<PhaseTracker.Detection> found = nandaLikeRun().detect(Set.of("memorisation", "memorised", "cleanup"));
        assertEquals(List.of("circuit_formation", "grokked"), found.stream().map(PhaseTracker.Detection::phase).toList());
    }

    @Test
    void runThatNeverGeneralisesOnlyMemorises() {
        PhaseTracker t = new PhaseTracker(GrokCriterion.STANDARD);
        for (long step = 0; step <= 5000; step += 500) {
            t.observeMetrics(step, step >= 2000 ? 1 : 0.5, 0.01, 9, 3000);
            t.observeMeasures(step, Map.of(Measure.RESTRICTED_LOSS.wire(), 4.7));
        }
        assertEquals(List.of("memorisation", "memorised"),
                t.detect(Set.of()).stream().map(PhaseTracker.Detection::phase).toList());
    }

    @Test
    void measuresFillWhatTheTrainerHasNotSaid() {
        PhaseTracker t = new PhaseTracker(GrokCriterion.STANDARD);
        t.observeMeasures(100, Map.of(Measure.TRAIN_ACCURACY.wire(), 1.0, Measure.TEST_ACCURACY.wire(), 0.97,
                Measure.TEST_LOSS.wire(), 0.1, Measure.WEIGHT_SQ_TOTAL.wire(), 10.0));
        assertEquals(List.of("memorisation", "memorised", "grokked"),
                t.detect(Set.of()).stream().map(PhaseTracker.Detection::phase).toList());
    }
}
