package io.grokstream.contracts;

import io.grokstream.contracts.GrokForecaster.Point;
import io.grokstream.contracts.GrokForecaster.Settings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrokForecasterTest {
    /** The plain extrapolation, without the calibrated factors. */
    private static final Settings PLAIN = new Settings(5, 4, 1, 1, 1, 0.5, 3);

    /** Snapshots every 100 steps up to {@code to}, memorised throughout, with the given validation accuracy. */
    private static List<Point> run(long to, LongToDoubleFunction testAccuracy) {
        List<Point> points = new ArrayList<>();
        for (long s = 100; s <= to; s += 100) {
            points.add(new Point(s, Map.of(Measure.TRAIN_ACCURACY.wire(), 1.0,
                    Measure.TEST_ACCURACY.wire(), testAccuracy.applyAsDouble(s))));
        }
        return points;
    }

    /** Validation error 0.5 at step 1,000, falling by e every 1,000 steps: it reaches 0.05 at 1,000 + 1,000 ln 10. */
    private static double exponential(long step) {
        return 1 - 0.5 * Math.exp(-(step - 1000) / 1000.0);
    }

    @Test
    void anExponentiallyFallingErrorIsExtrapolatedToTheStepItReachesTheCriterion() {
        GrokForecast f = new GrokForecaster(GrokCriterion.STANDARD, PLAIN, 10_000).forecast(run(2000,
                GrokForecasterTest::exponential));
        long expected = Math.round(1000 + 1000 * Math.log(10));   // 3,303
        assertEquals(ForecastVerdict.ON_COURSE, f.verdict());
        assertEquals(expected, f.grokStep());
        assertEquals(expected - 2000, f.stepsAhead());
        assertTrue(f.withinBudget());
        assertTrue(f.basis().contains("validation error"), f.basis());
    }

    @Test
    void theStandardIntervalScalesTheExtrapolatedStepsLeftByItsFactors() {
        double left = 1000 * Math.log(10) - 1000;
        GrokForecast f = GrokForecaster.standard(10_000).forecast(run(2000, GrokForecasterTest::exponential));
        Settings s = GrokForecaster.STANDARD;
        assertEquals(2000 + Math.round(s.centre() * left), f.grokStep());
        assertEquals(2000 + Math.round(s.low() * left), f.low());
        assertEquals(2000 + Math.round(s.high() * left), f.high());
        assertTrue(f.low() <= f.grokStep() && f.grokStep() <= f.high());
    }

    @Test
    void aForecastBeyondTheBudgetSaysSo() {
        GrokForecast f = new GrokForecaster(GrokCriterion.STANDARD, PLAIN, 3000).forecast(run(2000,
                GrokForecasterTest::exponential));
        assertEquals(ForecastVerdict.BEYOND_BUDGET, f.verdict());
        assertFalse(f.withinBudget());
        assertTrue(GrokForecaster.describe(f).contains("beyond the budget of 3000"), GrokForecaster.describe(f));
    }

    @Test
    void aRunThatReachedTheCriterionHasGrokkedAtItsFirstSnapshotThere() {
        GrokForecast f = GrokForecaster.standard(10_000).forecast(run(3000, s -> s >= 2500 ? 0.97 : 0.5));
        assertEquals(ForecastVerdict.GROKKED, f.verdict());
        assertEquals(2500, f.grokStep());
        assertEquals("grokked at step 2500", GrokForecaster.describe(f));
    }

    @Test
    void beforeMemorisationAndTooSoonAfterItTheForecasterWaits() {
        GrokForecaster g = GrokForecaster.standard(10_000);
        List<Point> notMemorised = List.of(new Point(100, Map.of(Measure.TRAIN_ACCURACY.wire(), 0.5,
                Measure.TEST_ACCURACY.wire(), 0.1)));
        assertEquals(ForecastVerdict.WAITING, g.forecast(notMemorised).verdict());
        assertEquals(ForecastVerdict.WAITING, g.forecast(run(300, s -> 0.5)).verdict()); // 3 of 4 snapshots
    }

    @Test
    void aFlatErrorHasNoTrendAndStopsAnOptedInRunOnlyAfterHalfTheBudgetAndFourSnapshotsInARow() {
        GrokForecaster g = GrokForecaster.standard(4000);
        List<GrokForecast> forecasts = g.replay(run(2200, s -> 0.4));
        assertEquals(ForecastVerdict.NO_TREND, forecasts.get(forecasts.size() - 1).verdict());
        assertTrue(g.stopReason(forecasts.subList(0, 19)).isEmpty(), "step 1,900 is before half the budget");
        String reason = g.stopReason(forecasts.subList(0, 20)).orElseThrow(); // step 2,000: half the budget
        assertTrue(reason.contains("4 snapshots in a row, steps 1700-2000") && reason.contains("no_trend"), reason);
    }

    @Test
    void aConfirmedForecastBeyondTheBudgetNamesItselfInTheStopReason() {
        GrokForecaster g = new GrokForecaster(GrokCriterion.STANDARD, PLAIN, 2500);
        List<GrokForecast> forecasts = g.replay(run(2000, GrokForecasterTest::exponential));
        String reason = g.stopReason(forecasts).orElseThrow();
        assertTrue(reason.startsWith("forecast not to grok within the budget of 2500 steps"), reason);
        assertTrue(reason.contains("groks near step 3303"), reason);
    }

    @Test
    void aRunForecastWithinItsBudgetIsNeverStopped() {
        GrokForecaster g = GrokForecaster.standard(10_000);
        List<GrokForecast> forecasts = g.replay(run(6000, GrokForecasterTest::exponential));
        for (int i = 1; i <= forecasts.size(); i++) {
            assertTrue(g.stopReason(forecasts.subList(0, i)).isEmpty(), "at " + forecasts.get(i - 1).step());
        }
    }

    @Test
    void aForecastWhoseIntervalMissesItsStepIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GrokForecast(100, ForecastVerdict.ON_COURSE, 500L,
                600L, 700L, 400L, 1000, true, "x"));
        assertThrows(IllegalArgumentException.class, () -> new GrokForecast(100, ForecastVerdict.WAITING, 500L,
                500L, 500L, 400L, 1000, true, "x"));
        assertThrows(IllegalArgumentException.class, () -> new Settings(5, 4, 0.8, 0.6, 1.5, 0.5, 3));
    }

    @Test
    void theVerdictTravelsAsItsWireWord() throws Exception {
        GrokForecast f = GrokForecaster.standard(10_000).forecast(run(2000, GrokForecasterTest::exponential));
        String json = EventCodec.JSON.writeValueAsString(f);
        assertTrue(json.contains("\"verdict\":\"on_course\""), json);
        assertEquals(f, EventCodec.JSON.readValue(json, GrokForecast.class));
    }
}
