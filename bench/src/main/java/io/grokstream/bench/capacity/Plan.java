package io.grokstream.bench.capacity;

import io.grokstream.contracts.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * A cluster sized for a load: {@link #of} is the whole model, a pure function of the measured {@link Costs}, the
 * {@link Load} and the {@link Cluster}'s choices. Every figure is a steady state: {@code experiments} train at every
 * moment, each run at the device's steps per second, so runs finish (and new ones start) at
 * {@code experiments / runSeconds} per second.
 *
 * @param runSeconds          one run's training time: steps / steps per second
 * @param runsPerDay          runs finished per day: experiments / runSeconds × 86,400
 * @param snapshotsPerSecond  snapshot arrivals at the analysis: snapshots per run × runs per second
 * @param analysisBusy        analysis instances kept busy: snapshots per second × seconds per snapshot (Little's law)
 * @param analysisNeeded      instances the work needs: busy / planned utilisation, rounded up (at least 1)
 * @param partitions          partitions of the experiment-keyed topics to choose
 * @param analysisInstances   instances to run: enough that none holds more than
 *                            {@code partitions / analysisNeeded} (rounded down) partitions, since a consumer group
 *                            splits partitions, not load (126 partitions over 62 instances would give two of them 3
 *                            partitions, 1.5 times the others' load; 63 instances hold 2 each), at most one per
 *                            partition
 * @param partitionsCapped    whether the analysis needs more partitions than the registry allows
 *                            ({@link Topics#MAX_PARTITIONS}): then {@code partitions} is that cap, fewer instances than
 *                            needed can share the snapshots, and the load needs another plan (fewer snapshots, a
 *                            faster measure suite)
 * @param trainers            trainer pods: experiments / slots per trainer, rounded up
 * @param topics              each topic's flows and storage
 * @param partitionReplicasPerBroker every topic's partitions × replication / brokers
 */
public record Plan(Load load, Cluster cluster, double stepsPerSecond, double runSeconds, double runsPerDay,
                   double snapshotsPerSecond, double analysisBusy, int analysisNeeded, int partitions,
                   int analysisInstances, boolean partitionsCapped, int trainers, List<TopicFlow> topics, int partitionReplicasPerBroker) {

    /** Seconds per day. */
    static final double DAY = 86_400;

    /**
     * One topic (or a family: the team topics) in the plan.
     *
     * @param produced bytes per second written by its producers (once: before replication)
     * @param fetched  bytes per second read by its consumers (replication not included)
     * @param stored   bytes on the brokers' disks at the retention horizon, replicas included
     * @param readers  who fetches it, for the report
     */
    public record TopicFlow(String topic, int partitions, double produced, double fetched, double stored,
                            String readers) {
    }

    public Plan {
        topics = List.copyOf(topics);
    }

    public static Plan of(Costs costs, Load load, Cluster cluster) {
        double steps = costs.stepsPerSecond(load.device());
        double runSeconds = load.steps() / steps;
        // why: with every slot busy, each of the E experiments finishes a run every runSeconds
        double runsPerSecond = load.experiments() / runSeconds;
        double lambda = load.snapshotsPerRun() * runsPerSecond;
        // why: Little's law: the mean number of snapshots in service is arrival rate × service time
        double busy = lambda * costs.analysisMillis() / 1000;
        int instances = Math.max(1, (int) Math.ceil(busy / cluster.analysisUtilisation() - 1e-9));
        int brokers = cluster.brokers();
        // why: at least one partition per instance, times the growth room, a multiple of the broker count so every
        // broker leads the same number of partitions
        int wanted = roundUp(Math.max(brokers, (int) Math.ceil(instances * cluster.partitionGrowth() - 1e-9)), brokers);
        int cap = Topics.MAX_PARTITIONS / brokers * brokers;
        boolean capped = instances > cap;
        int partitions = Math.min(wanted, cap);
        int perInstance = Math.max(1, partitions / instances);
        int running = (partitions + perInstance - 1) / perInstance;
        int slots = cluster.slotsPerTrainer(load.device());
        int trainers = (load.experiments() + slots - 1) / slots;
        List<TopicFlow> flows = flows(costs, load, cluster, runsPerSecond, running, partitions, trainers);
        int fixed = Topics.spec(Topics.TASKS).partitions() + Topics.spec(Topics.EXPERIMENTS).partitions()
                + Topics.spec(Topics.DEADLETTER).partitions();
        // why: four experiment-keyed topics (training, snapshots, checkpoints, measures) of `partitions` each, the
        // one-partition topics, one partition per team topic and the public topic
        long replicas = (4L * partitions + fixed + load.teams() + 1) * cluster.replication();
        return new Plan(load, cluster, steps, runSeconds, runsPerSecond * DAY, lambda, busy, instances, partitions,
                running, capped, trainers, flows, (int) Math.ceil((double) replicas / brokers));
    }

    private static List<TopicFlow> flows(Costs c, Load load, Cluster cl, double runsPerSecond, int instances,
                                         int partitions, int trainers) {
        double horizon = load.retentionDays() * DAY * runsPerSecond;   // runs whose records are kept
        int rf = cl.replication();
        int g = cl.gateways();
        double experiments = c.submittedBytes();
        double training = load.metricsPerRun() * c.metricsBytes() + c.lifecycleBytes();
        double snapshots = load.snapshotsPerRun() * c.snapshotBytes();
        double measures = load.snapshotsPerRun() * c.measureBytes();
        double routed = experiments + training + measures;   // why: the router copies these three topics' records
        double checkpoints = load.checkpointsPerRun() * c.checkpointBytes();
        List<TopicFlow> out = new ArrayList<>();
        // why: readers of each topic (ARCHITECTURE.md's topic table); a TopicFollower folds the whole topic, a
        // consumer group member reads its partitions only, so a group counts once
        out.add(kept(Topics.EXPERIMENTS, 1, experiments * runsPerSecond, trainers + 1 + g + 1, horizon * experiments, rf,
                "trainers (share group + each worker's cancellations), gateways, router"));
        out.add(kept(Topics.TRAINING, partitions, training * runsPerSecond, instances + g + 1, horizon * training, rf,
                "each analysis instance (phase fold), gateways, router"));
        out.add(kept(Topics.SNAPSHOTS, partitions, snapshots * runsPerSecond, 1 + g, horizon * snapshots, rf,
                "analysis (one consumer group), gateways (snapshot store)"));
        out.add(kept(Topics.MEASURES, partitions, measures * runsPerSecond, instances + g + 1, horizon * measures, rf,
                "each analysis instance (measure ledger), gateways, router"));
        out.add(compacted(load, cl, checkpoints * runsPerSecond, horizon * c.checkpointBytes(), partitions));
        out.add(kept(Topics.TEAM_PREFIX + "<team>.v1 (" + load.teams() + ")", load.teams(), routed * runsPerSecond, 1,
                horizon * routed, rf, "each team's own client, once"));
        double pub = routed * load.publicShare();
        out.add(kept(Topics.PUBLIC, 1, pub * runsPerSecond, load.teams(), horizon * pub, rf, "every team's client"));
        return out;
    }

    /** A topic that keeps every record (retention.ms -1): stored = bytes of the runs in the horizon × replication. */
    private static TopicFlow kept(String topic, int partitions, double produced, int readers, double bytes, int rf,
                                  String who) {
        return new TopicFlow(topic, partitions, produced, produced * readers, bytes * rf, who);
    }

    /**
     * The compacted checkpoints: the latest checkpoint of every experiment ever run stays (one key each); the log
     * cleaner starts on a partition once half its log is superseded (min.cleanable.dirty.ratio 0.5), so up to twice
     * that; and the active segment, which is never cleaned, holds up to log.segment.bytes or log.roll.hours of
     * writes per partition. Read only when a run resumes: fetched is left at 0.
     */
    private static TopicFlow compacted(Load load, Cluster cl, double produced, double liveBytes, int partitions) {
        double active = partitions * Math.min(cl.segmentBytes(), produced / partitions * cl.segmentDays() * DAY);
        return new TopicFlow(Topics.CHECKPOINTS, partitions, produced, 0,
                (2 * liveBytes + active) * cl.replication(), "trainers, on resume only");
    }

    static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** Bytes per second all producers write (before replication). */
    public double produced() {
        return topics.stream().mapToDouble(TopicFlow::produced).sum();
    }

    /** Bytes per second all consumers read (before replication). */
    public double fetched() {
        return topics.stream().mapToDouble(TopicFlow::fetched).sum();
    }

    /** Bytes on all brokers' disks at the horizon, replicas included. */
    public double stored() {
        return topics.stream().mapToDouble(TopicFlow::stored).sum();
    }

    /** Bytes stored per day of the load, replicas included (compaction aside: the growth of the kept topics). */
    public double storedPerDay() {
        return stored() / load.retentionDays();
    }

    /** One broker's disk at the horizon: partitions and leaders are spread evenly. */
    public double diskPerBroker() {
        return stored() / cluster.brokers();
    }

    /** Bytes per second into one broker: what producers send its leaders, and what its followers replicate. */
    public double inPerBroker() {
        return produced() * cluster.replication() / cluster.brokers();
    }

    /** Bytes per second out of one broker: consumers' fetches and the followers' replication from its leaders. */
    public double outPerBroker() {
        return (fetched() + produced() * (cluster.replication() - 1)) / cluster.brokers();
    }

    /** The topic named {@code name}. */
    public TopicFlow topic(String name) {
        return topics.stream().filter(t -> t.topic().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no topic " + name + " in the plan"));
    }
}
