package io.grokstream.contracts;

import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.SnapshotPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotPolicyTest {

    @Test
    void aCadenceWrittenBeforeAdaptiveSnapshotsReadsAsTheFixedCadence() throws Exception {
        String old = "{\"metricsEvery\":10,\"snapshotEvery\":100,\"snapshotEveryEarly\":20,\"earlySteps\":1000,"
                + "\"checkpointEvery\":500}";
        Cadence c = EventCodec.JSON.readValue(old, Cadence.class);
        assertEquals(SnapshotPolicy.FIXED, c.snapshots());
        assertFalse(c.snapshots().adaptive());
        assertTrue(c.snapshotDue(20) && !c.snapshotDue(1010) && c.snapshotDue(1100));
    }

    @Test
    void anAdaptiveCadenceSurvivesTheWire() throws Exception {
        Cadence c = Cadence.defaults().withSnapshots(new SnapshotPolicy(SnapshotMode.ADAPTIVE, 200, 5, 3));
        String json = EventCodec.JSON.writeValueAsString(c);
        assertTrue(json.contains("\"mode\":\"adaptive\""), json);
        assertEquals(c, EventCodec.JSON.readValue(json, Cadence.class));
    }

    @Test
    void anAdaptivePolicyOutOfRangeNamesItsField() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SnapshotPolicy(SnapshotMode.ADAPTIVE, 1, 10, 4)).getMessage().contains("snapshots.budget"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SnapshotPolicy(SnapshotMode.ADAPTIVE, 50, 0, 4)).getMessage().contains("snapshots.minEvery"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SnapshotPolicy(SnapshotMode.ADAPTIVE, 50, 10, 65)).getMessage().contains("snapshots.lookBack"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SnapshotPolicy(SnapshotMode.FIXED, 50, 0, 0)).getMessage().contains("snapshots.budget"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SnapshotMode.of("dense")).getMessage()
                .contains("snapshots.mode"));
    }

    @Test
    void reasonsNamedAfterPhasesUseThePhasesWords() {
        assertEquals(Phase.MEMORISED.wire(), SnapshotReason.MEMORISED.wire());
        assertEquals(Phase.GROKKED.wire(), SnapshotReason.GROKKED.wire());
        assertEquals(TrainingAnomaly.LOSS_SPIKE, SnapshotReason.LOSS_SPIKE.wire());
        assertEquals(SnapshotReason.LOOK_BACK, SnapshotReason.of("look_back").orElseThrow());
        assertFalse(SnapshotReason.LOOK_BACK.transition());
        assertTrue(SnapshotReason.VALIDATION_RISE.transition());
    }
}
