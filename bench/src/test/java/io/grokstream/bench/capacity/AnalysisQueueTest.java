package io.grokstream.bench.capacity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisQueueTest {
    private static Costs costs(double millis, double p99) {
        return new Costs(1, 1, 1, 1, 1, 1, millis, p99, 10, 100);
    }

    @Test
    void aFixedServiceTimeWithoutQueueingIsTheLagOfEverySnapshot() {
        // one experiment, a snapshot every 10 s (100 steps at 10 steps/s), 0.5 s each: nothing ever waits
        Load one = new Load(1, 1, 1_000, PlanTest.EVERY_100, 1, 0, Device.CPU);
        AnalysisQueue.Result r = AnalysisQueue.simulate(costs(500, 500), one, 1, 1, 1_000, 1_000_000, 7);
        assertEquals(100, r.snapshots(), 1);
        assertEquals(500, r.lagP50Millis(), 1e-6);
        assertEquals(500, r.lagP99Millis(), 1e-6);
        assertEquals(500, r.lagMaxMillis(), 1e-6);
        assertEquals(1, r.maxBacklog());
        assertEquals(0.05, r.utilisation(), 0.001);   // 0.5 s of work every 10 s
        assertTrue(r.keepsUp());
    }

    @Test
    void anInstanceOfferedMoreThanItsTimeFallsBehind() {
        // 30 experiments × a snapshot every 10 s = 3 snapshots/s, 0.5 s each on one instance: 1.5 s of work a second
        Load busy = new Load(1, 30, 1_000, PlanTest.EVERY_100, 1, 0, Device.CPU);
        AnalysisQueue.Result r = AnalysisQueue.simulate(costs(500, 500), busy, 1, 1, 600, 1_000_000, 7);
        assertEquals(1.5, r.busiest(), 0.05);
        assertFalse(r.keepsUp());
        assertTrue(r.maxBacklog() > 500, "backlog " + r.maxBacklog());   // about 1 snapshot/s more than it measures
    }

    @Test
    void theLognormalShapeMatchesTheMeanAndThe99thPercentile() {
        assertEquals(0, AnalysisQueue.sigma(300, 300), 1e-12);
        // s = 0.5: p99 / mean = e^(2.3263 × 0.5 - 0.125)
        assertEquals(0.5, AnalysisQueue.sigma(1, Math.exp(2.3263 * 0.5 - 0.125)), 1e-9);
    }

    @Test
    void theSimulatedServiceTimeHasTheMeasuredMean() {
        // far from saturation, the busy share is λ × mean / instances
        Load load = new Load(10, 100, 1_000, PlanTest.EVERY_100, 1, 0, Device.CPU);
        AnalysisQueue.Result r = AnalysisQueue.simulate(costs(200, 600), load, 4, 8, 2_000, 2_000_000, 3);
        // 100 experiments × 0.1 snapshots/s = 10/s × 0.2 s = 2 instances busy of 4
        assertEquals(0.5, r.utilisation(), 0.02);
        assertTrue(r.lagP99Millis() > r.lagP50Millis());
    }

    @Test
    void theDueStepsAreTheCadencesAndTheLastStep() {
        Load load = new Load(1, 1, 1_050, new io.grokstream.contracts.ExperimentSubmitted.Cadence(10, 100, 20, 100,
                500), 1, 0, Device.CPU);
        long[] due = AnalysisQueue.dueSteps(load);
        assertEquals(load.snapshotsPerRun(), due.length);
        assertEquals(20, due[0]);
        assertEquals(200, due[5]);     // 20, 40, 60, 80, 100, then every 100
        assertEquals(1_050, due[due.length - 1]);
    }
}
