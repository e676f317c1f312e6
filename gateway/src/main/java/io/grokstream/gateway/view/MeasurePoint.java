package io.grokstream.gateway.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.grokstream.contracts.ProgressMeasured;

import java.util.List;
import java.util.Map;

/**
 * The history entry of one analysed snapshot: scalars and key frequencies, and the spectra when asked for
 * (the grids are kept only for the latest step, see {@code /measures/latest}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeasurePoint(String experimentId, long step, String analysisVersion, Map<String, Double> scalars,
                           List<Integer> keyFrequencies, Map<String, double[]> spectra) {

    public static MeasurePoint of(ProgressMeasured m) {
        return new MeasurePoint(m.experimentId(), m.step(), m.analysisVersion(),
                m.scalars() == null ? Map.of() : m.scalars(),
                m.keyFrequencies() == null ? List.of() : m.keyFrequencies(),
                m.spectra() == null ? Map.of() : m.spectra());
    }

    /** Each scalar that any of {@code points} has, as a series for {@link Downsample#extremes} (NaN where absent). */
    public static List<java.util.function.ToDoubleFunction<MeasurePoint>> series(List<MeasurePoint> points) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        points.forEach(p -> names.addAll(p.scalars().keySet()));
        return names.stream().<java.util.function.ToDoubleFunction<MeasurePoint>>map(name -> p -> {
            Double v = p.scalars().get(name);
            return v == null ? Double.NaN : v;
        }).toList();
    }

    /** Without spectra (the default history and SSE shape). */
    public MeasurePoint withoutSpectra() {
        return new MeasurePoint(experimentId, step, analysisVersion, scalars, keyFrequencies, null);
    }

    /** Only the named spectra. */
    public MeasurePoint withSpectra(List<String> names) {
        Map<String, double[]> kept = new java.util.LinkedHashMap<>();
        for (String n : names) {
            if (spectra != null && spectra.containsKey(n)) {
                kept.put(n, spectra.get(n));
            }
        }
        return new MeasurePoint(experimentId, step, analysisVersion, scalars, keyFrequencies, kept);
    }
}
