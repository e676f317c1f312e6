package io.grokstream.analysis.measure;

import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.Phase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Nanda et al.'s phases of grokking over one experiment's stream (2023, Section 5.2, Figure 7), from the trainer's
 * {@code StepMetrics} and this service's own measures merged by step. The rules (grokstream's reading of the
 * paper, which marks the phases by eye):
 * <ul>
 *   <li>{@code memorisation} begins at the first observed step;</li>
 *   <li>{@code memorised}: the first step the {@link GrokCriterion} calls memorised (training accuracy);</li>
 *   <li>{@code circuit_formation}: the first step, once memorised, where the restricted loss has fallen to at most
 *       {@value #RESTRICTED_DROP} of its highest value so far while the validation accuracy is still below
 *       1/2 (the test loss stays high);</li>
 *   <li>{@code cleanup}: the first step, once memorised, where the validation accuracy has reached 1/2 (the test
 *       loss collapses) and the total squared weight is below its highest value so far (weight decay prunes the
 *       memorising weights);</li>
 *   <li>{@code grokked}: the first step, once memorised, the {@link GrokCriterion} calls grokked (validation
 *       accuracy).</li>
 * </ul>
 * Each phase is reported once; not thread-safe (the caller holds the experiment's lock).
 */
public final class PhaseTracker {
    static final double RESTRICTED_DROP = 0.8;

    /** A phase found at a step, with the evidence in words. */
    public record Detection(String phase, long step, String evidence) {
    }

    private static final class Point {
        double trainAcc = Double.NaN;
        double valAcc = Double.NaN;
        double valLoss = Double.NaN;
        double weightSq = Double.NaN;
        double restricted = Double.NaN;
    }

    private final GrokCriterion criterion;
    private final TreeMap<Long, Point> timeline = new TreeMap<>();

    /** A tracker judging memorised and grokked by {@code criterion} ({@link GrokCriterion#STANDARD} in the service). */
    public PhaseTracker(GrokCriterion criterion) {
        this.criterion = criterion;
    }

    /** Training metrics at a step (trainer values win over the analysis' own). */
    public void observeMetrics(long step, double trainAcc, double valAcc, double valLoss, double weightSq) {
        Point p = timeline.computeIfAbsent(step, s -> new Point());
        p.trainAcc = trainAcc;
        p.valAcc = valAcc;
        p.valLoss = valLoss;
        p.weightSq = weightSq;
    }

    /** The analysis' scalars at a step: fill what the trainer has not said, and the restricted loss. */
    public void observeMeasures(long step, Map<String, Double> scalars) {
        Point p = timeline.computeIfAbsent(step, s -> new Point());
        p.trainAcc = orElse(p.trainAcc, scalars.get(Measure.TRAIN_ACCURACY.wire()));
        p.valAcc = orElse(p.valAcc, scalars.get(Measure.TEST_ACCURACY.wire()));
        p.valLoss = orElse(p.valLoss, scalars.get(Measure.TEST_LOSS.wire()));
        p.weightSq = orElse(p.weightSq, scalars.get(Measure.WEIGHT_SQ_TOTAL.wire()));
        Double r = scalars.get(Measure.RESTRICTED_LOSS.wire());
        if (r != null) {
            p.restricted = r;
        }
    }

    private static double orElse(double current, Double candidate) {
        return Double.isNaN(current) && candidate != null ? candidate : current;
    }

    /** The phases found so far that are not in {@code reported}, in the order they happened. */
    public List<Detection> detect(Set<String> reported) {
        List<Detection> out = new ArrayList<>();
        if (timeline.isEmpty()) {
            return out;
        }
        long first = timeline.firstKey();
        addIfNew(out, reported, new Detection(Phase.MEMORISATION.wire(), first, "training observed from step " + first));
        Long memorised = null;
        double maxRestricted = Double.NEGATIVE_INFINITY;
        double maxWeight = Double.NEGATIVE_INFINITY;
        boolean circuit = false;
        boolean cleanup = false;
        boolean grokked = false;
        for (Map.Entry<Long, Point> e : timeline.entrySet()) {
            long step = e.getKey();
            Point p = e.getValue();
            if (memorised == null && criterion.memorised(p.trainAcc)) {
                memorised = step;
                addIfNew(out, reported, new Detection(Phase.MEMORISED.wire(), step, String.format(
                        "training accuracy %.4f >= %.2f, validation accuracy %.4f", p.trainAcc, criterion.memorisedTrainAccuracy(), p.valAcc)));
            }
            if (memorised != null && !circuit && !Double.isNaN(p.restricted) && maxRestricted > 0
                    && p.restricted <= RESTRICTED_DROP * maxRestricted && p.valAcc < 0.5) {
                circuit = true;
                addIfNew(out, reported, new Detection(Phase.CIRCUIT_FORMATION.wire(), step, String.format(
                        "restricted loss %.4f fell to <= %.0f%% of its high %.4f while validation accuracy is %.4f",
                        p.restricted, RESTRICTED_DROP * 100, maxRestricted, p.valAcc)));
            }
            if (memorised != null && !cleanup && p.valAcc >= 0.5 && !Double.isNaN(p.weightSq) && p.weightSq < maxWeight) {
                cleanup = true;
                addIfNew(out, reported, new Detection(Phase.CLEANUP.wire(), step, String.format(
                        "validation accuracy %.4f >= 0.5 with total squared weight %.2f below its high %.2f",
                        p.valAcc, p.weightSq, maxWeight)));
            }
            if (memorised != null && !grokked && criterion.grokked(p.valAcc)) {
                grokked = true;
                addIfNew(out, reported, new Detection(Phase.GROKKED.wire(), step, String.format(
                        "validation accuracy %.4f >= %.2f, %d steps after memorising", p.valAcc, criterion.grokkedValidationAccuracy(),
                        step - memorised)));
            }
            if (!Double.isNaN(p.restricted)) {
                maxRestricted = Math.max(maxRestricted, p.restricted);
            }
            if (!Double.isNaN(p.weightSq)) {
                maxWeight = Math.max(maxWeight, p.weightSq);
            }
        }
        return out;
    }

    private static void addIfNew(List<Detection> out, Set<String> reported, Detection d) {
        if (!reported.contains(d.phase())) {
            out.add(d);
        }
    }
}
