package io.grokstream.bench.forecast;

import io.grokstream.contracts.GrokForecaster;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.GrokForecaster.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./grokstream bench forecast}: replays the recorded runs through the platform's forecaster
 * ({@link GrokForecaster#STANDARD}) and prints the evaluation table ({@link ForecastEvaluation#table}), then the
 * quantiles of the ratio of true to extrapolated steps left, from which the settings' interval factors are chosen.
 */
@Command(name = "grokstream bench forecast", mixinStandardHelpOptions = true, version = "grokstream 0.1.0",
        description = {"Replays the recorded runs (bench/src/main/resources/forecast/recorded-runs.csv, or --runs) "
                + "through the grokking forecaster and prints how far ahead and how often it was right, and what "
                + "the opt-in stop would have done."})
public final class ForecastBench implements Callable<Integer> {
    @Option(names = "--runs", paramLabel = "FILE", description = "a recording of `bench forecast-record` "
            + "(default: the committed one)")
    Path runs;
    @Option(names = "--window", paramLabel = "N", description = "try another trend window (default: the platform's)")
    Integer window;
    @Option(names = "--confirmations", paramLabel = "N", description = "try another number of confirming forecasts")
    Integer confirmations;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ForecastBench()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        List<RecordedRuns.Run> recorded;
        if (runs == null) {
            recorded = RecordedRuns.load();
        } else {
            try (InputStream in = Files.newInputStream(runs)) {
                recorded = RecordedRuns.read(in);
            }
        }
        Settings p = GrokForecaster.STANDARD;
        int w = window == null ? p.window() : window;
        Settings s = new Settings(w, Math.min(p.minPoints(), w), p.low(), p.centre(), p.high(), p.stopAfter(),
                confirmations == null ? p.confirmations() : confirmations);
        System.out.printf(Locale.ROOT, "grokking forecast on %d recorded runs (%d snapshots); settings %s%n%n",
                recorded.size(), recorded.stream().mapToInt(r -> r.snapshots().size()).sum(), s);
        System.out.print(ForecastEvaluation.table(ForecastEvaluation.evaluate(recorded, s)));
        double[] ratios = ForecastEvaluation.ratios(recorded, s, 0);
        System.out.printf(Locale.ROOT, "%ntrue / extrapolated steps left over %d forecasts: 10%% %.2f, 25%% %.2f, "
                        + "median %.2f, 75%% %.2f, 90%% %.2f%n", ratios.length,
                ForecastEvaluation.quantile(ratios, 0.1), ForecastEvaluation.quantile(ratios, 0.25),
                ForecastEvaluation.quantile(ratios, 0.5), ForecastEvaluation.quantile(ratios, 0.75),
                ForecastEvaluation.quantile(ratios, 0.9));
        List<Long> leads = ForecastEvaluation.leadsOfFirstBelow(recorded, Measure.RESTRICTED_LOSS, 1.0);
        System.out.printf(Locale.ROOT, "restricted loss first below 1 nat, steps before grokking (runs that grokked): "
                + "%s; median %.0f%n", leads.stream().filter(java.util.Objects::nonNull).toList(),
                ForecastEvaluation.median(leads.stream().filter(java.util.Objects::nonNull)
                        .mapToDouble(Long::doubleValue).toArray()));
        Settings fitted = ForecastEvaluation.calibrated(recorded, s);
        System.out.printf(Locale.ROOT, "factors these runs give (10%%, median, 90%%): low %.2f, centre %.2f, high %.2f"
                + " (the platform's: %.2f, %.2f, %.2f)%n", fitted.low(), fitted.centre(), fitted.high(), s.low(),
                s.centre(), s.high());
        System.out.printf(Locale.ROOT, "%nleave one run out (each run judged with the factors of the others):%n%n");
        System.out.print(ForecastEvaluation.table(ForecastEvaluation.leaveOneRunOut(recorded, s)));
        return 0;
    }
}
