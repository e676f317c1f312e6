package io.grokstream.contracts;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {

    @Test
    void statusesTravelAsLowerCaseWordsAndOnlyTheLastThreeEnd() {
        assertEquals(List.of("submitted", "running", "completed", "failed", "cancelled"),
                Arrays.stream(ExperimentStatus.values()).map(ExperimentStatus::wire).toList());
        for (ExperimentStatus s : ExperimentStatus.values()) {
            assertEquals(Optional.of(s), ExperimentStatus.of(s.wire()));
        }
        assertFalse(ExperimentStatus.RUNNING.ended());
        assertTrue(ExperimentStatus.CANCELLED.ended());
        assertEquals(Optional.empty(), ExperimentStatus.of("Running"), "the wire word is exact");
    }

    @Test
    void endReasonsTravelAsTheWordsTheTrainerHasAlwaysWritten() {
        assertEquals(List.of("budget", "early_stop", "cancelled"),
                Arrays.stream(EndReason.values()).map(EndReason::wire).toList());
        assertEquals(Optional.of(EndReason.CANCELLED), EndReason.of("cancelled"));
        assertEquals(Optional.empty(), EndReason.of(null));
        assertEquals(Optional.empty(), EndReason.of("cancelled by a typo"), "no guessing from free text");
    }

    @Test
    void phasesTravelAsTheWordsTheAnalysisServiceHasAlwaysWrittenInTheirOrder() {
        assertEquals(List.of("memorisation", "memorised", "circuit_formation", "cleanup", "grokked"),
                Arrays.stream(Phase.values()).map(Phase::wire).toList());
        assertEquals(Optional.of(Phase.CIRCUIT_FORMATION), Phase.of("circuit_formation"));
        assertEquals(Optional.empty(), Phase.of("grokking"));
    }

    @Test
    void everyMeasureNameIsUniqueAndNoNameIsTakenByTwoMeasures() {
        List<String> names = Arrays.stream(Measure.values()).map(Measure::wire).toList();
        assertEquals(names.size(), new java.util.HashSet<>(names).size());
        for (Measure m : Measure.values()) {
            assertEquals(m.family(), m.wire().endsWith("."), m + ": a family's prefix, and only a family's, ends in a dot");
            String sample = m.family() ? m.member("x1") : m.wire();
            assertEquals(Optional.of(m), Measure.named(sample), sample + " names " + m + " and nothing else");
        }
    }

    @Test
    void aFamilyNamesItsMembersAndASingleMeasureOnlyItself() {
        assertEquals("test_accuracy.q2", Measure.TEST_ACCURACY_OF.member("q2"));
        assertEquals("neuron_activation.17", Measure.NEURON_ACTIVATION_OF.member(17));
        assertEquals(Optional.of(Measure.TEST_ACCURACY), Measure.named("test_accuracy"));
        assertEquals(Optional.of(Measure.SINGULAR_VALUES_OF), Measure.named("sv.W_E"));
        assertEquals(Optional.of(Measure.RESTRICTED_LOSS_OF), Measure.named("restricted_loss.q3"),
                "a target's restricted loss is the per-target family");
        assertEquals(Optional.of(Measure.RESTRICTED_LOSS), Measure.named("restricted_loss"));
        assertEquals(Optional.of(Measure.RESTRICTED_PER_FREQUENCY), Measure.named("restricted_loss_per_key_frequency"));
        assertEquals(Optional.of(Measure.KEY_FREQUENCY_COUNT_OF), Measure.named("key_frequency_count.q3"));
        assertEquals(Optional.empty(), Measure.named("sv."), "a bare prefix is no member");
        assertEquals(Optional.empty(), Measure.named("restricted_loss_v2"));
        assertEquals(Optional.empty(), Measure.named(null));
        assertThrows(IllegalStateException.class, () -> Measure.RESTRICTED_LOSS.member("x"));
        assertThrows(IllegalArgumentException.class, () -> Measure.SINGULAR_VALUES_OF.member(" "));
    }

    @Test
    void nandasPresetIsThePapersRun() {
        assertEquals(128, NandaPreset.model().dModel());
        assertEquals(NandaPreset.P + 1, NandaPreset.model().dVocab());
        assertEquals(1.0, NandaPreset.optimizer().weightDecay());
        assertEquals(0.98, NandaPreset.optimizer().beta2());
        assertEquals(0, NandaPreset.optimizer().batchSize(), "full batch");
    }
}
