package io.grokstream.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a {@link GrokForecast} says of a run, in the platform's words (the dashboard reads them from
 * {@code GET /api/vocabulary}): the {@code verdict} of {@code GET /api/experiments/{id}/forecast}, lower case.
 */
public enum ForecastVerdict {
    /** Too early: the run has not memorised, or too few snapshots since it did. */
    WAITING,
    /** The validation error is not falling: no grokking step can be extrapolated. */
    NO_TREND,
    /** Forecast to grok within the step budget. */
    ON_COURSE,
    /** Forecast to grok, but after the step budget. */
    BEYOND_BUDGET,
    /** The validation accuracy reached the criterion's threshold. */
    GROKKED;

    /** The word on the wire: {@code waiting}, {@code no_trend}, {@code on_course}, ... */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The verdict a wire word names, or empty. */
    public static Optional<ForecastVerdict> of(String wire) {
        return Arrays.stream(values()).filter(v -> v.wire().equals(wire)).findFirst();
    }

    /** Reads a wire word (a forecast read back as JSON). */
    @JsonCreator
    static ForecastVerdict fromWire(String wire) {
        return of(wire).orElseThrow(() -> new IllegalArgumentException("no forecast verdict " + wire));
    }
}
