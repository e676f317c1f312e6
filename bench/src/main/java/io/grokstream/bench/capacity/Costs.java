package io.grokstream.bench.capacity;

/**
 * What one experiment's records and work cost, measured on this repository's code (deploy/CAPACITY.md lists the
 * command that measured each default): the capacity plan's inputs that do not depend on the load.
 *
 * <p>Bytes are a record as the broker stores it: one zstd-compressed v2 record batch holding the record (its key
 * and CloudEvents headers included), which is what the producers send (KafkaSettings: zstd, 5 ms linger, and an
 * experiment's records are too far apart in time to share a batch) and what a replica and a consumer fetch.
 *
 * @param snapshotBytes        a weight snapshot of Nanda's p = 113 model (grokstream.snapshots.v1)
 * @param checkpointBytes      a checkpoint: weights, AdamW moments, step, RNG (grokstream.checkpoints.v1)
 * @param metricsBytes         a StepMetrics event (grokstream.training.v1)
 * @param measureBytes         a ProgressMeasured event at p = 113 (grokstream.measures.v1)
 * @param submittedBytes       an ExperimentSubmitted event (grokstream.experiments.v1)
 * @param lifecycleBytes       TrainingStarted and TrainingCompleted together (grokstream.training.v1)
 * @param analysisMillis       mean wall milliseconds one analysis instance spends per snapshot when it never
 *                             waits for work (the inverse of the snapshots per second it sustains)
 * @param analysisP99Millis    the 99th percentile of one snapshot's measure time (the spread of the service time)
 * @param cpuStepsPerSecond    Nanda's p = 113 full-batch steps per second of one experiment on a CPU trainer slot
 * @param gpuStepsPerSecond    the same on a GPU trainer slot (an assumption where no GPU measured it)
 */
public record Costs(long snapshotBytes, long checkpointBytes, long metricsBytes, long measureBytes, long submittedBytes,
                    long lifecycleBytes, double analysisMillis, double analysisP99Millis, double cpuStepsPerSecond,
                    double gpuStepsPerSecond) {

    public Costs {
        positive("snapshotBytes", snapshotBytes);
        positive("checkpointBytes", checkpointBytes);
        positive("metricsBytes", metricsBytes);
        positive("measureBytes", measureBytes);
        positive("submittedBytes", submittedBytes);
        positive("lifecycleBytes", lifecycleBytes);
        positive("analysisMillis", analysisMillis);
        positive("cpuStepsPerSecond", cpuStepsPerSecond);
        positive("gpuStepsPerSecond", gpuStepsPerSecond);
        if (!(analysisP99Millis >= analysisMillis)) {
            throw new IllegalArgumentException("analysisP99Millis must be >= analysisMillis (" + analysisMillis
                    + "), got " + analysisP99Millis);
        }
    }

    static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a positive number, got " + value);
        }
    }

    /** Steps per second of one experiment on {@code device}. */
    public double stepsPerSecond(Device device) {
        return device == Device.CPU ? cpuStepsPerSecond : gpuStepsPerSecond;
    }
}
