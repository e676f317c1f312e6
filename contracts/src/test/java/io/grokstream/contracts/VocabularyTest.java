package io.grokstream.contracts;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
