package io.grokstream.analysis.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one snapshot's analysis collects, by kind, in the order it was found: scalars, spectra, and grids with their
 * shapes. The analysis helpers write here instead of threading four maps through every call.
 */
final class MeasureSink {
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private final Map<String, double[]> spectra = new LinkedHashMap<>();
    private final Map<String, double[]> grids = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();

    void scalar(String name, double value) {
        scalars.put(name, value);
    }

    void spectrum(String name, double[] values) {
        spectra.put(name, values);
    }

    /** A grid, row-major, and its shape ({@code rows, cols}). */
    void grid(String name, double[] values, int... shape) {
        grids.put(name, values);
        shapes.put(name, shape);
    }

    boolean hasGrids() {
        return !grids.isEmpty();
    }

    Measures measures(List<Integer> keyFrequencies) {
        return new Measures(scalars, spectra, keyFrequencies, grids, shapes);
    }
}
