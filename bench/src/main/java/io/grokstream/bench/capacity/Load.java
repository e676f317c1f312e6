package io.grokstream.bench.capacity;

import io.grokstream.contracts.ExperimentSubmitted.Cadence;

/**
 * The load a cluster is sized for: {@code experiments} train at every moment (a finished run's slot takes the next
 * waiting experiment at once, so the queue never runs dry), all with the same budget and publishing cadence.
 *
 * @param teams          teams, each with its own topic grokstream.team.&lt;team&gt;.v1 (one partition)
 * @param experiments    experiments training at once
 * @param steps          steps of each run (Nanda's run: 40,000)
 * @param cadence        how often a run publishes metrics, snapshots and checkpoints (the platform's default:
 *                       {@link Cadence#defaults()})
 * @param retentionDays  the horizon storage is sized for: the event topics keep their records forever
 *                       (retention.ms -1 in the topic registry), so the stored bytes grow with it
 * @param publicShare    the share of experiments made public (the router copies their events to grokstream.public.v1
 *                       too)
 * @param device         where the experiments train
 */
public record Load(int teams, int experiments, long steps, Cadence cadence, double retentionDays, double publicShare,
                   Device device) {

    public Load {
        if (teams < 1) {
            throw new IllegalArgumentException("teams must be >= 1, got " + teams);
        }
        if (experiments < 1) {
            throw new IllegalArgumentException("experiments must be >= 1, got " + experiments);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (cadence == null || cadence.metricsEvery() < 1 || cadence.snapshotEvery() < 1
                || cadence.snapshotEveryEarly() < 1 || cadence.checkpointEvery() < 1 || cadence.earlySteps() < 0) {
            throw new IllegalArgumentException("cadence must have every interval >= 1 and earlySteps >= 0, got "
                    + cadence);
        }
        Costs.positive("retentionDays", retentionDays);
        if (!(publicShare >= 0 && publicShare <= 1)) {
            throw new IllegalArgumentException("publicShare must be in [0, 1], got " + publicShare);
        }
        if (device == null) {
            throw new IllegalArgumentException("device is required");
        }
    }

    /** The same load on another device. */
    public Load on(Device other) {
        return new Load(teams, experiments, steps, cadence, retentionDays, publicShare, other);
    }

    /**
     * Snapshots one run publishes, as the trainer's engine does (DjlTrainingJob): one after every step the cadence
     * names (every snapshotEveryEarly steps up to earlySteps, every snapshotEvery after), and one after the last
     * step when that step is not one of them. An adaptive cadence publishes at most its budget (the trainer's
     * SnapshotPlanner never exceeds it), which is the bound counted here.
     */
    public long snapshotsPerRun() {
        if (cadence.snapshots().adaptive()) {
            return Math.min(cadence.snapshots().budget(), steps);
        }
        long early = Math.min(steps, cadence.earlySteps());
        long due = early / cadence.snapshotEveryEarly();
        if (steps > early) {
            due += steps / cadence.snapshotEvery() - early / cadence.snapshotEvery();
        }
        return due + (cadence.snapshotDue(steps) ? 0 : 1);
    }

    /** StepMetrics events of one run: every metricsEvery steps, and one after the last step when it is not one. */
    public long metricsPerRun() {
        return everyAndLast(cadence.metricsEvery());
    }

    /** Checkpoints of one run: every checkpointEvery steps, and one after the last step when it is not one. */
    public long checkpointsPerRun() {
        return everyAndLast(cadence.checkpointEvery());
    }

    private long everyAndLast(long every) {
        return steps / every + (steps % every == 0 ? 0 : 1);
    }
}
