package io.grokstream.gateway.view;

import io.grokstream.contracts.StepMetrics;

/** One row of an experiment's metric history: the scalar part of a {@link StepMetrics}. */
public record MetricPoint(long step, double trainLoss, double validationLoss, double trainAccuracy,
                          double validationAccuracy, double gradNormTotal, double weightSquaredTotal, double lr,
                          double stepMillis) {

    public static MetricPoint of(StepMetrics m) {
        return new MetricPoint(m.step(), m.trainLoss(), m.validationLoss(), m.trainAccuracy(), m.validationAccuracy(),
                m.gradNormTotal(), m.weightSquaredTotal(), m.lr(), m.stepMillis());
    }

    /** The named metric, or null if there is no such metric. */
    public Double value(String metric) {
        return switch (metric) {
            case "trainLoss" -> trainLoss;
            case "validationLoss" -> validationLoss;
            case "trainAccuracy" -> trainAccuracy;
            case "validationAccuracy" -> validationAccuracy;
            case "gradNormTotal" -> gradNormTotal;
            case "weightSquaredTotal" -> weightSquaredTotal;
            case "lr" -> lr;
            case "stepMillis" -> stepMillis;
            default -> null;
        };
    }

    public static final java.util.List<String> METRICS = java.util.List.of("trainLoss", "validationLoss",
            "trainAccuracy", "validationAccuracy", "gradNormTotal", "weightSquaredTotal", "lr", "stepMillis");

    /** Every metric as a series, for {@link Downsample#extremes}: a spike of any of them survives downsampling. */
    public static final java.util.List<java.util.function.ToDoubleFunction<MetricPoint>> SERIES = METRICS.stream()
            .<java.util.function.ToDoubleFunction<MetricPoint>>map(name -> p -> p.value(name)).toList();
}
