package io.grokstream.contracts;

import java.util.Locale;

/**
 * The metrics that say how much work waits, which a cluster scales the workers on (the KEDA triggers in
 * {@code deploy/kubernetes} query them by their Prometheus names). Gauges, exported at {@code /q/metrics}.
 */
public enum WorkMetric {
    /**
     * The gateway's experiments by status (tag {@value #STATUS_TAG}: a {@link ExperimentStatus#wire()} word); the
     * trainers' work is {@code submitted} (waiting on the queue) plus {@code running}. Every gateway exports the
     * same counts, so a query takes their maximum, not their sum.
     */
    EXPERIMENTS("grokstream.experiments"),
    /**
     * Snapshots on the partitions an analysis instance holds that it has not measured yet: its consumer lag plus
     * the older snapshots it shed to fill later ({@code grokstream.analysis.gaps.open}). Instances hold disjoint
     * partitions, so a query sums them.
     */
    ANALYSIS_SNAPSHOTS_WAITING("grokstream.analysis.snapshots.waiting");

    public static final String STATUS_TAG = "status";

    private final String meterName;

    WorkMetric(String meterName) {
        this.meterName = meterName;
    }

    /** The Micrometer name the service registers. */
    public String meterName() {
        return meterName;
    }

    /** The name Prometheus scrapes: Micrometer's dots become underscores (a gauge has no unit suffix). */
    public String prometheusName() {
        return meterName.replace('.', '_').toLowerCase(Locale.ROOT);
    }
}
