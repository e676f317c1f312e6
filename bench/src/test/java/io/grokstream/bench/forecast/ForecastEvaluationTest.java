package io.grokstream.bench.forecast;

import io.grokstream.bench.forecast.ForecastEvaluation.Result;
import io.grokstream.contracts.GrokForecaster;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.GrokForecaster.Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grokking forecaster replayed on the committed recording of 12 real runs (bench forecast-record: the trainer's
 * engine, the analysis suite), held to the figures BENCHMARKS.md section 9 reports.
 */
class ForecastEvaluationTest {
    private static List<RecordedRuns.Run> runs;

    @BeforeAll
    static void load() throws Exception {
        runs = RecordedRuns.load();
    }

    @Test
    void theRecordingHoldsTwelveRunsHalfOfThemGrokkingWithinTheirBudget() {
        assertEquals(12, runs.size());
        assertEquals(6, runs.stream().filter(r -> r.grokStep() != null).count());
        assertEquals(420, runs.stream().mapToInt(r -> r.snapshots().size()).sum());
    }

    @Test
    void thePlatformsFactorsAreTheQuantilesTheRecordingGives() {
        Settings fitted = ForecastEvaluation.calibrated(runs, GrokForecaster.STANDARD);
        assertEquals(GrokForecaster.STANDARD, fitted);
    }

    @Test
    void theIntervalHoldsTheGrokkingStepAsOftenAsDocumented() {
        Result r = ForecastEvaluation.evaluate(runs, GrokForecaster.STANDARD);
        assertShares(r, 0.70, 0.80, 0.75, 1.0);
        assertEquals(550, r.medianStableLead(), 1e-9);
    }

    @Test
    void leftOutRunsAreForecastAlmostAsWellWithTheOtherRunsFactors() {
        assertShares(ForecastEvaluation.leaveOneRunOut(runs, GrokForecaster.STANDARD), 0.6, 0.7, 0.75, 1.0);
    }

    @Test
    void theOptInStopEndsFourOfTheSixRunsThatDidNotGrokAndNoneThatDid() {
        Result r = ForecastEvaluation.evaluate(runs, GrokForecaster.STANDARD);
        assertEquals(0, r.falseStops());
        assertEquals(4, r.rightStops());
        // each stop came at or after half the budget
        r.runs().stream().filter(x -> x.stoppedAt() != null)
                .forEach(x -> assertTrue(x.stoppedAt() >= x.budget() / 2, x.toString()));
    }

    @Test
    void theRestrictedLossFellBelowOneNatLessFarAheadThanTheForecastWasRight() {
        List<Long> leads = ForecastEvaluation.leadsOfFirstBelow(runs, Measure.RESTRICTED_LOSS, 1.0).stream()
                .filter(java.util.Objects::nonNull).toList();
        assertEquals(List.of(550L, 130L, -150L, 200L, 200L, 150L), leads);
        double median = ForecastEvaluation.median(leads.stream().mapToDouble(Long::doubleValue).toArray());
        assertTrue(median < ForecastEvaluation.evaluate(runs, GrokForecaster.STANDARD).medianStableLead());
    }

    @Test
    void theCommandPrintsTheTable() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ForecastBench());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("--help"));
        assertTrue(out.toString().contains("--runs"), out.toString());
        String table = ForecastEvaluation.table(ForecastEvaluation.evaluate(runs, GrokForecaster.STANDARD));
        assertTrue(table.contains("| p41-f0.60-wd1-none-s5 | 2000 | 950 | 14 | 14 | 700 | - |"), table);
    }

    private static void assertShares(Result r, double... atLeast) {
        for (int i = 0; i < atLeast.length; i++) {
            ForecastEvaluation.Horizon h = r.horizons().get(i);
            assertTrue(h.forecasts() > 10 && h.share() >= atLeast[i], h + " share " + h.share());
        }
    }
}
