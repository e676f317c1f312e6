package io.grokstream.contracts;

import java.util.List;
import java.util.Map;

/**
 * The progress measures of one snapshot (Nanda et al. 2023, Section 5), published by the analysis service.
 * Consumers keep the newest {@code analysisVersion} per (experiment, step).
 *
 * @param scalars        named scalar measures (restricted_loss, excluded_loss, gini_embed, ...)
 * @param spectra        named vectors (embedding Fourier norms, singular values, ...)
 * @param keyFrequencies key frequencies found from the neurons, ascending
 * @param grids          named row-major 2-D arrays for heatmaps, with their shapes in {@code gridShapes}
 * @param skippedSnapshots snapshots of this experiment dropped in a burst before this one (backlog shedding)
 */
public record ProgressMeasured(
        String experimentId,
        long step,
        String analysisVersion,
        Map<String, Double> scalars,
        Map<String, double[]> spectra,
        List<Integer> keyFrequencies,
        Map<String, double[]> grids,
        Map<String, int[]> gridShapes,
        int skippedSnapshots,
        double analysisMillis) implements GrokEvent {

    @Override
    public String subject() {
        return experimentId;
    }

    @Override
    public String dedupeKey() {
        return analysisVersion + "@" + step;
    }
}
