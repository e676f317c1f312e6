package io.grokstream.bench.capacity;

/**
 * The capacity command's default costs, each measured on this repository's code by the command named beside it
 * (deploy/CAPACITY.md tables them with the run's date and load): change a figure here only with a new measurement.
 * Bytes: {@code ./grokstream bench sizes}, 2026-12-07 (a 300-step run of Nanda's p = 113 experiment; the larger of its
 * two measures records). Analysis: {@code ./grokstream bench analysis-rate}, 2026-12-07 (120 snapshots, one per
 * experiment: 2.95 snapshots/s). CPU steps: BENCHMARKS.md section 1 (87.0 ms per step, idle).
 */
final class MeasuredInputs {
    /** Snapshot record on the broker, bytes ({@code ./grokstream bench sizes}). */
    static final long SNAPSHOT_BYTES = 840_832;
    /** Checkpoint record on the broker, bytes ({@code ./grokstream bench sizes}). */
    static final long CHECKPOINT_BYTES = 2_513_689;
    /** StepMetrics record on the broker, bytes ({@code ./grokstream bench sizes}). */
    static final long METRICS_BYTES = 871;
    /** ProgressMeasured record on the broker, bytes ({@code ./grokstream bench sizes}). */
    static final long MEASURE_BYTES = 83_955;
    /** ExperimentSubmitted record on the broker, bytes ({@code ./grokstream bench sizes}). */
    static final long SUBMITTED_BYTES = 836;
    /** TrainingStarted and TrainingCompleted records together, bytes ({@code ./grokstream bench sizes}). */
    static final long LIFECYCLE_BYTES = 816;
    /**
     * Milliseconds per snapshot one analysis instance sustains when it never waits for work: 1,000 / its measured
     * snapshots per second ({@code ./grokstream bench analysis-rate}).
     */
    static final double ANALYSIS_MILLIS = 339;
    /** 99th percentile of one snapshot's measure time, ms ({@code ./grokstream bench analysis-rate}). */
    static final double ANALYSIS_P99_MILLIS = 707;
    /** Steps per second of one p = 113 experiment on a 2-core CPU trainer ({@code ./grokstream bench train}). */
    static final double CPU_STEPS_PER_SECOND = 11.5;
    /**
     * Steps per second of one p = 113 experiment on a GPU trainer slot: an ASSUMPTION, not a measurement (no GPU
     * here); pass {@code --gpu-steps-per-second} with a measured figure.
     */
    static final double GPU_STEPS_PER_SECOND = 250;

    private MeasuredInputs() {
    }
}
