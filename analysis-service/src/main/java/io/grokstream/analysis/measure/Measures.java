package io.grokstream.analysis.measure;

import java.util.List;
import java.util.Map;

/**
 * The progress measures of one snapshot, before they become a {@link io.grokstream.contracts.ProgressMeasured}
 * event (which adds experiment, step, version, shedding count and timing).
 */
public record Measures(Map<String, Double> scalars, Map<String, double[]> spectra, List<Integer> keyFrequencies,
                       Map<String, double[]> grids, Map<String, int[]> gridShapes) {
    public Measures {
        scalars = Map.copyOf(scalars);
        spectra = Map.copyOf(spectra);
        keyFrequencies = List.copyOf(keyFrequencies);
        grids = Map.copyOf(grids);
        gridShapes = Map.copyOf(gridShapes);
    }
}
