package io.grokstream.bench.capacity;

/**
 * The deployment's choices, apart from the load: the broker cluster and how the services are laid out.
 *
 * @param brokers             Kafka brokers (the Strimzi cluster: 3)
 * @param replication         replicas of every partition (3, min ISR 2)
 * @param gateways            gateway replicas; each folds every experiment-keyed topic (its views and snapshot store)
 * @param analysisUtilisation the busy share an analysis instance is planned at (below 1: headroom for the denser
 *                            early snapshots, gap filling and a lost instance's partitions)
 * @param partitionGrowth     partitions per planned analysis instance: room to add instances later without a new
 *                            topic (the code never changes an existing topic's partition count)
 * @param cpuSlotsPerTrainer  experiments one CPU trainer pod trains at once
 * @param gpuSlotsPerTrainer  experiments one GPU trainer pod trains at once
 * @param segmentBytes        the brokers' log.segment.bytes (Kafka's default 1 GiB: the topics set none)
 * @param segmentDays         the brokers' log.roll.hours in days (Kafka's default 7)
 */
public record Cluster(int brokers, int replication, int gateways, double analysisUtilisation, double partitionGrowth,
                      int cpuSlotsPerTrainer, int gpuSlotsPerTrainer, long segmentBytes, double segmentDays) {

    public Cluster {
        if (brokers < 1) {
            throw new IllegalArgumentException("brokers must be >= 1, got " + brokers);
        }
        if (replication < 1 || replication > brokers) {
            throw new IllegalArgumentException("replication must be in [1, brokers=" + brokers + "], got " + replication);
        }
        if (gateways < 0) {
            throw new IllegalArgumentException("gateways must be >= 0, got " + gateways);
        }
        if (!(analysisUtilisation > 0 && analysisUtilisation <= 1)) {
            throw new IllegalArgumentException("analysisUtilisation must be in (0, 1], got " + analysisUtilisation);
        }
        if (!(partitionGrowth >= 1) || Double.isInfinite(partitionGrowth)) {
            throw new IllegalArgumentException("partitionGrowth must be >= 1, got " + partitionGrowth);
        }
        if (cpuSlotsPerTrainer < 1 || gpuSlotsPerTrainer < 1) {
            throw new IllegalArgumentException("slots per trainer must be >= 1, got cpu " + cpuSlotsPerTrainer
                    + ", gpu " + gpuSlotsPerTrainer);
        }
        Costs.positive("segmentBytes", segmentBytes);
        Costs.positive("segmentDays", segmentDays);
    }

    /** Experiments one trainer pod of {@code device} trains at once. */
    public int slotsPerTrainer(Device device) {
        return device == Device.CPU ? cpuSlotsPerTrainer : gpuSlotsPerTrainer;
    }
}
