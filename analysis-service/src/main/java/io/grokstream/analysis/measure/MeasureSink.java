package io.grokstream.analysis.measure;

import io.grokstream.contracts.Measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one snapshot's analysis collects, by kind, in the order it was found: scalars, spectra, and grids with their
 * shapes. The analysis helpers write here instead of threading four maps through every call; every name is a
 * {@link Measure} of the right shape.
 */
final class MeasureSink {
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private final Map<String, double[]> spectra = new LinkedHashMap<>();
    private final Map<String, double[]> grids = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();

    void scalar(Measure measure, double value) {
        scalars.put(single(measure, Measure.Shape.SCALAR), value);
    }

    /** A member of a family of scalars ({@code weight_sq.<parameter>}, {@code test_accuracy.<target>}, ...). */
    void scalar(Measure family, Object member, double value) {
        scalars.put(member(family, member, Measure.Shape.SCALAR), value);
    }

    void spectrum(Measure measure, double[] values) {
        spectra.put(single(measure, Measure.Shape.SPECTRUM), values);
    }

    void spectrum(Measure family, Object member, double[] values) {
        spectra.put(member(family, member, Measure.Shape.SPECTRUM), values);
    }

    /** A grid, row-major, and its shape ({@code rows, cols}). */
    void grid(Measure measure, double[] values, int... shape) {
        grid(single(measure, Measure.Shape.GRID), values, shape);
    }

    void grid(Measure family, Object member, double[] values, int... shape) {
        grid(member(family, member, Measure.Shape.GRID), values, shape);
    }

    private void grid(String name, double[] values, int[] shape) {
        grids.put(name, values);
        shapes.put(name, shape);
    }

    /** The wire name of a single measure of the given shape; a mistake here is the analysis's own bug. */
    private static String single(Measure measure, Measure.Shape shape) {
        if (measure.family() || measure.shape() != shape) {
            throw new IllegalArgumentException(measure + " is not a single " + shape);
        }
        return measure.wire();
    }

    private static String member(Measure family, Object member, Measure.Shape shape) {
        if (family.shape() != shape) {
            throw new IllegalArgumentException(family + " is not a family of " + shape);
        }
        return family.member(member);
    }

    /** Adds everything {@code part} collected, in its order (a part of the suite computed on another thread). */
    void addAll(MeasureSink part) {
        scalars.putAll(part.scalars);
        spectra.putAll(part.spectra);
        grids.putAll(part.grids);
        shapes.putAll(part.shapes);
    }

    boolean hasGrids() {
        return !grids.isEmpty();
    }

    Measures measures(List<Integer> keyFrequencies) {
        return new Measures(scalars, spectra, keyFrequencies, grids, shapes);
    }
}
