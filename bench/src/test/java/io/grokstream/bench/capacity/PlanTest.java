package io.grokstream.bench.capacity;

import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.Topics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capacity model's arithmetic against answers computed by hand (the comments show the sums). */
class PlanTest {
    /** 1 MB snapshots, 2 MB checkpoints, 1 KB metrics, 100 KB measures, 0.5 s per snapshot, 10 steps/s on CPU. */
    static final Costs COSTS = new Costs(1_000_000, 2_000_000, 1_000, 100_000, 1_000, 1_000, 500, 1_000, 10, 100);
    /** A snapshot every 100 steps from the start, metrics every 10, a checkpoint every 500. */
    static final Cadence EVERY_100 = new Cadence(10, 100, 100, 0, 500);
    static final Load LOAD = new Load(2, 10, 1_000, EVERY_100, 1, 0, Device.CPU);
    static final Cluster CLUSTER = new Cluster(3, 3, 1, 0.5, 2, 2, 4, 1L << 30, 7);

    @Test
    void nandasRunAtTheDefaultCadencePublishes440SnapshotsAnd4000MetricsAnd80Checkpoints() {
        Load nanda = new Load(1, 1, NandaPreset.STEPS, Cadence.defaults(), 1, 0, Device.CPU);
        // every 20 steps up to 1,000 (50), then every 100 up to 40,000 (400 - 10)
        assertEquals(440, nanda.snapshotsPerRun());
        assertEquals(4_000, nanda.metricsPerRun());
        assertEquals(80, nanda.checkpointsPerRun());
    }

    @Test
    void anAdaptiveRunIsBoundedByItsSnapshotBudget() {
        var adaptive = Cadence.defaults().withSnapshots(
                io.grokstream.contracts.ExperimentSubmitted.SnapshotPolicy.adaptive(200));
        assertEquals(200, new Load(1, 1, NandaPreset.STEPS, adaptive, 1, 0, Device.CPU).snapshotsPerRun());
        assertEquals(50, new Load(1, 1, 50, adaptive, 1, 0, Device.CPU).snapshotsPerRun(), "one per step at most");
    }

    @Test
    void aLastStepOffTheCadenceGetsItsOwnSnapshotMetricsAndCheckpoint() {
        Load odd = new Load(1, 1, 1_050, Cadence.defaults(), 1, 0, Device.CPU);
        // 50 early snapshots, none due in (1000, 1050], plus the last step's
        assertEquals(51, odd.snapshotsPerRun());
        assertEquals(105, odd.metricsPerRun());
        assertEquals(3, odd.checkpointsPerRun());   // 500, 1000, and 1050
        assertEquals(101, new Load(1, 1, 1_005, Cadence.defaults(), 1, 0, Device.CPU).metricsPerRun());
    }

    @Test
    void runsAndSnapshotRatesFollowFromStepsPerSecond() {
        Plan p = Plan.of(COSTS, LOAD, CLUSTER);
        assertEquals(100, p.runSeconds(), 1e-9);                 // 1,000 steps / 10 steps/s
        assertEquals(8_640, p.runsPerDay(), 1e-6);               // 10 experiments / 100 s × 86,400
        assertEquals(1.0, p.snapshotsPerSecond(), 1e-12);        // 10 snapshots per run × 0.1 runs/s
        assertEquals(5, p.trainers());                           // 10 experiments / 2 slots
    }

    @Test
    void analysisInstancesAreLittlesLawOverThePlannedUtilisation() {
        Plan p = Plan.of(COSTS, LOAD, CLUSTER);
        assertEquals(0.5, p.analysisBusy(), 1e-12);              // 1 snapshot/s × 0.5 s
        assertEquals(1, p.analysisNeeded());                     // 0.5 / 0.5
        assertEquals(1, p.analysisInstances());
        Plan busier = Plan.of(COSTS, new Load(2, 25, 1_000, EVERY_100, 1, 0, Device.CPU), CLUSTER);
        assertEquals(1.25, busier.analysisBusy(), 1e-12);        // 2.5 snapshots/s × 0.5 s
        assertEquals(3, busier.analysisNeeded());                // 1.25 / 0.5 = 2.5, rounded up
        assertEquals(6, busier.partitions());                    // 3 × 2 growth, a multiple of 3 brokers
        assertEquals(3, busier.analysisInstances());             // 2 partitions each
    }

    @Test
    void instancesAreRaisedUntilNoneHoldsMorePartitionsThanItsShare() {
        // 50 experiments, a snapshot every 10 s each, 0.62 s to measure one
        Costs c = new Costs(1, 1, 1, 1, 1, 1, 620, 620, 10, 100);
        Plan p = Plan.of(c, new Load(10, 50, 1_000, EVERY_100, 1, 0, Device.CPU), CLUSTER);
        assertEquals(5 * 0.62, p.analysisBusy(), 1e-9);         // 5 snapshots/s × 0.62 s = 3.1
        assertEquals(7, p.analysisNeeded());                     // 3.1 / 0.5 = 6.2
        assertEquals(15, p.partitions());                        // 14, a multiple of 3
        assertEquals(8, p.analysisInstances());                  // 2 partitions each: 7 hold 2, one holds 1
    }

    @Test
    void partitionsAreAtLeastTheBrokerCountAndAMultipleOfIt() {
        Plan p = Plan.of(COSTS, LOAD, CLUSTER);
        assertEquals(3, p.partitions());                         // 1 instance × 2 = 2, raised to 3 brokers
        // (4 topics × 3 + tasks, experiments, dead letters + 2 teams + public) × 3 replicas / 3 brokers
        assertEquals(18, p.partitionReplicasPerBroker());
    }

    @Test
    void aLoadNeedingMoreInstancesThanTheRegistryAllowsIsCappedAndSaysSo() {
        Load huge = new Load(100, 10_000, 1_000, EVERY_100, 1, 0, Device.GPU);
        Plan p = Plan.of(COSTS, huge, CLUSTER);
        // GPU: 100 steps/s, 10 s a run; 10,000 × 10 / 10 = 10,000 snapshots/s × 0.5 s = 5,000 busy, / 0.5
        assertEquals(10_000, p.analysisNeeded());
        assertTrue(p.partitionsCapped());
        assertEquals(Topics.MAX_PARTITIONS / 3 * 3, p.partitions());
        assertEquals(999, p.analysisInstances());               // one a partition, no more
        assertFalse(Plan.of(COSTS, LOAD, CLUSTER).partitionsCapped());
    }

    @Test
    void eachTopicsThroughputIsItsBytesPerRunTimesRunsPerSecondAndItsReaders() {
        Plan p = Plan.of(COSTS, LOAD, CLUSTER);
        // snapshots: 10 × 1 MB × 0.1 runs/s; read by the analysis group and 1 gateway
        assertEquals(1_000_000, p.topic(Topics.SNAPSHOTS).produced(), 1e-6);
        assertEquals(2_000_000, p.topic(Topics.SNAPSHOTS).fetched(), 1e-6);
        // measures: 10 × 100 KB × 0.1; read by 1 analysis instance, 1 gateway, the router
        assertEquals(100_000, p.topic(Topics.MEASURES).produced(), 1e-6);
        assertEquals(300_000, p.topic(Topics.MEASURES).fetched(), 1e-6);
        // training: (100 metrics × 1 KB + 1 KB lifecycle) × 0.1
        assertEquals(10_100, p.topic(Topics.TRAINING).produced(), 1e-6);
        assertEquals(30_300, p.topic(Topics.TRAINING).fetched(), 1e-6);
        // experiments: 1 KB × 0.1; read by 5 trainers' cancellations, the share group, 1 gateway, the router
        assertEquals(100, p.topic(Topics.EXPERIMENTS).produced(), 1e-9);
        assertEquals(800, p.topic(Topics.EXPERIMENTS).fetched(), 1e-9);
        // checkpoints: 2 × 2 MB × 0.1
        assertEquals(400_000, p.topic(Topics.CHECKPOINTS).produced(), 1e-6);
        // everything, team topics included: (1 KB + 101 KB + 1 MB) × 0.1 = 110,200
        assertEquals(1_620_400, p.produced(), 1e-6);
        assertEquals(1_620_400, p.inPerBroker(), 1e-6);          // × 3 replicas / 3 brokers
    }

    @Test
    void keptTopicsStoreEveryRunOfTheHorizonTimesTheReplication() {
        Plan p = Plan.of(COSTS, LOAD, CLUSTER);
        // 8,640 runs in one day × 10 MB of snapshots × 3 replicas
        assertEquals(2.592e11, p.topic(Topics.SNAPSHOTS).stored(), 1);
        assertEquals(2.592e11 / 3, p.diskPerBroker() - rest(p) / 3, 1);
    }

    private static double rest(Plan p) {
        return p.stored() - p.topic(Topics.SNAPSHOTS).stored();
    }

    @Test
    void compactedCheckpointsKeepTwiceTheLatestPerExperimentPlusTheActiveSegments() {
        Plan p = Plan.of(COSTS, LOAD, CLUSTER);
        // live: 8,640 experiments × 2 MB; active: 3 partitions × min(1 GiB, 133 KB/s × 7 days) = 3 GiB
        double expected = (2 * 8_640 * 2e6 + 3.0 * (1L << 30)) * 3;
        assertEquals(expected, p.topic(Topics.CHECKPOINTS).stored(), 1);
    }

    @Test
    void aBadInputIsRefusedNamingItsField() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Costs(0, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        assertTrue(e.getMessage().startsWith("snapshotBytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Costs(1, 1, 1, 1, 1, 1, 500, 400, 1, 1));
        assertTrue(e.getMessage().startsWith("analysisP99Millis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Load(1, 0, 1, EVERY_100, 1, 0, Device.CPU));
        assertTrue(e.getMessage().startsWith("experiments"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Cluster(3, 4, 1, 0.5, 2, 1, 1, 1, 1));
        assertTrue(e.getMessage().startsWith("replication"), e.getMessage());
    }
}
