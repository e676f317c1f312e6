package io.grokstream.bench.capacity;

import io.grokstream.contracts.Topics;

import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

/**
 * A discrete-event simulation of the analysis at a chosen instance count: what Little's law ({@link Plan#of}) does not
 * say, namely how long a snapshot waits and how deep a backlog gets, given that snapshots arrive in each run's
 * cadence (denser early), that experiments hash unevenly onto partitions, and that measure times spread.
 *
 * <p>The model: {@code experiments} slots train back to back; each slot's first run started a uniformly random time
 * before the simulation's start (so the runs' phases are spread as in a steady state); a run publishes a snapshot
 * after each step its cadence names, at step / steps-per-second after its start. A run's experiment id (a random
 * UUID) goes to partition {@link Topics#partitionFor}; partition k belongs to instance k mod instances (an even
 * assignment). An instance measures one snapshot at a time (SnapshotWorker holds one lock), first come first served,
 * each taking a lognormal time whose mean is {@link Costs#analysisMillis} and whose 99th percentile is
 * {@link Costs#analysisP99Millis}. The service measures a backlog newest first and fills gaps later; first come first
 * served gives the same busy time and the worst-case wait of the oldest snapshot. Kafka's own delivery time (tens of
 * milliseconds) is left out.
 */
public final class AnalysisQueue {
    /** The z-score of the 99th percentile of a normal distribution. */
    private static final double Z99 = 2.3263;

    /**
     * What the simulation saw.
     *
     * @param snapshots  snapshots that arrived within the simulated time
     * @param seconds    the simulated time
     * @param utilisation mean busy share of the instances
     * @param busiest    busy share of the busiest instance (offered work / time: at 1 or more it falls behind)
     * @param lagP50Millis snapshot arrival to its measures, median
     * @param lagP99Millis the same, 99th percentile
     * @param lagMaxMillis the same, worst
     * @param maxBacklog most snapshots waiting at one instance (in service included)
     */
    public record Result(long snapshots, double seconds, double utilisation, double busiest, double lagP50Millis,
                         double lagP99Millis, double lagMaxMillis, int maxBacklog) {
        /** Whether every instance keeps up: none is offered more work than it has time. */
        public boolean keepsUp() {
            return busiest < 1;
        }
    }

    private AnalysisQueue() {
    }

    /**
     * Simulates {@code seconds} of {@code load} on {@code instances} analysis instances reading {@code partitions}
     * partitions, at most {@code maxSnapshots} arrivals (the time is shortened to fit), reproducibly from {@code seed}.
     */
    public static Result simulate(Costs costs, Load load, int instances, int partitions, double seconds,
                                  long maxSnapshots, long seed) {
        if (instances < 1 || partitions < instances) {
            throw new IllegalArgumentException("instances must be in [1, partitions=" + partitions + "], got " + instances);
        }
        Costs.positive("seconds", seconds);
        double rate = costs.stepsPerSecond(load.device());
        double runSeconds = load.steps() / rate;
        long[] due = dueSteps(load);
        double expected = load.experiments() * due.length * seconds / runSeconds;
        double horizon = expected > maxSnapshots ? seconds * maxSnapshots / expected : seconds;
        Random random = new Random(seed);
        Arrivals[] byInstance = new Arrivals[instances];
        for (int i = 0; i < instances; i++) {
            byInstance[i] = new Arrivals();
        }
        for (int slot = 0; slot < load.experiments(); slot++) {
            for (double start = -random.nextDouble() * runSeconds; start < horizon; start += runSeconds) {
                String id = new UUID(random.nextLong(), random.nextLong()).toString();
                Arrivals queue = byInstance[Topics.partitionFor(id, partitions) % instances];
                for (long step : due) {
                    double at = start + step / rate;
                    if (at >= 0 && at < horizon) {
                        queue.add(at);
                    }
                }
            }
        }
        return serve(byInstance, horizon, costs, random);
    }

    /** The steps after which a run publishes a snapshot (the cadence's, and the last step), ascending. */
    static long[] dueSteps(Load load) {
        long[] due = new long[(int) load.snapshotsPerRun()];
        int n = 0;
        for (long step = 1; step <= load.steps(); step++) {
            if (load.cadence().snapshotDue(step) || step == load.steps()) {
                due[n++] = step;
            }
        }
        return due;
    }

    private static Result serve(Arrivals[] byInstance, double horizon, Costs costs, Random random) {
        double sigma = sigma(costs.analysisMillis(), costs.analysisP99Millis());
        double mu = Math.log(costs.analysisMillis() / 1000) - sigma * sigma / 2;   // why: lognormal mean = e^(mu+s²/2)
        long total = Arrays.stream(byInstance).mapToLong(a -> a.size).sum();
        double[] lags = new double[(int) total];
        int n = 0;
        int maxBacklog = 0;
        double busySum = 0;
        double busiest = 0;
        for (Arrivals a : byInstance) {
            double[] at = a.sorted();
            double[] done = new double[at.length];
            double free = 0;
            double busy = 0;
            int finished = 0;
            for (int i = 0; i < at.length; i++) {
                double service = Math.exp(mu + sigma * random.nextGaussian());
                // why: Lindley's recursion for one first-come-first-served server
                done[i] = Math.max(at[i], free) + service;
                free = done[i];
                busy += service;
                lags[n++] = (done[i] - at[i]) * 1000;
                while (done[finished] <= at[i]) {
                    finished++;
                }
                maxBacklog = Math.max(maxBacklog, i + 1 - finished);
            }
            busySum += busy / horizon;
            busiest = Math.max(busiest, busy / horizon);
        }
        Arrays.sort(lags);
        return new Result(total, horizon, busySum / byInstance.length, busiest, percentile(lags, 0.5),
                percentile(lags, 0.99), lags.length == 0 ? 0 : lags[lags.length - 1], maxBacklog);
    }

    /**
     * The lognormal shape whose mean is {@code mean} and whose 99th percentile is {@code p99}: with
     * mean = e^(mu + s²/2) and p99 = e^(mu + z s), ln(p99 / mean) = z s − s²/2, the smaller root
     * s = z − sqrt(z² − 2 ln(p99 / mean)) (a ratio beyond e^(z²/2), about 15, takes s = z).
     */
    static double sigma(double mean, double p99) {
        double r = Math.log(p99 / mean);
        return Z99 - Math.sqrt(Math.max(0, Z99 * Z99 - 2 * r));
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** A growable array of arrival times. */
    private static final class Arrivals {
        private double[] times = new double[64];
        private int size;

        void add(double t) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
            }
            times[size++] = t;
        }

        double[] sorted() {
            double[] s = Arrays.copyOf(times, size);
            Arrays.sort(s);
            return s;
        }
    }
}
