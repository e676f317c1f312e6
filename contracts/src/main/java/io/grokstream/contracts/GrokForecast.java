package io.grokstream.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * The grokking forecast made at one snapshot ({@link GrokForecaster}): when the validation accuracy will reach
 * {@link GrokCriterion}'s threshold, with an interval, and whether that is within the experiment's step budget.
 *
 * @param step         the snapshot the forecast was made at
 * @param verdict      what the forecast says ({@link ForecastVerdict#wire()} on the wire)
 * @param grokStep     the forecast grokking step (the step it grokked at for {@link ForecastVerdict#GROKKED}); null
 *                     when the verdict names none
 * @param low          the interval's low end, null with {@code grokStep}
 * @param high         the interval's high end, null with {@code grokStep}
 * @param stepsAhead   {@code grokStep - step}, null with {@code grokStep}
 * @param budget       the experiment's step budget
 * @param withinBudget whether the run is forecast to grok (or grokked) within the budget
 * @param basis        what the forecast rests on, in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrokForecast(long step, ForecastVerdict verdict, Long grokStep, Long low, Long high, Long stepsAhead,
                           long budget, boolean withinBudget, String basis) {

    /** @throws IllegalArgumentException when the interval does not hold the forecast step, or a field is missing */
    public GrokForecast {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(basis, "basis");
        boolean named = verdict == ForecastVerdict.ON_COURSE || verdict == ForecastVerdict.BEYOND_BUDGET
                || verdict == ForecastVerdict.GROKKED;
        if (named != (grokStep != null)) {
            throw new IllegalArgumentException("a " + verdict.wire() + " forecast " + (named ? "needs" : "has no")
                    + " grokStep");
        }
        if (grokStep != null && (low == null || high == null || low > grokStep || high < grokStep)) {
            throw new IllegalArgumentException("interval [" + low + ", " + high + "] must hold grokStep " + grokStep);
        }
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be >= 1, got " + budget);
        }
    }

    /** A forecast that names no step. */
    static GrokForecast without(long step, ForecastVerdict verdict, long budget, String basis) {
        return new GrokForecast(step, verdict, null, null, null, null, budget, false, basis);
    }

    /** A forecast naming {@code grokStep} in {@code [low, high]}; its verdict follows from the budget. */
    static GrokForecast at(long step, long grokStep, long low, long high, long budget, String basis) {
        boolean within = grokStep <= budget;
        return new GrokForecast(step, within ? ForecastVerdict.ON_COURSE : ForecastVerdict.BEYOND_BUDGET, grokStep,
                low, high, grokStep - step, budget, within, basis);
    }

    /** The run grokked at {@code grokStep}. */
    static GrokForecast grokked(long step, long grokStep, long budget) {
        return new GrokForecast(step, ForecastVerdict.GROKKED, grokStep, grokStep, grokStep, grokStep - step, budget,
                grokStep <= budget, "validation accuracy reached the grok criterion at step " + grokStep);
    }
}
