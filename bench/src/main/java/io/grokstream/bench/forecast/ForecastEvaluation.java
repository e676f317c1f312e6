package io.grokstream.bench.forecast;

import io.grokstream.contracts.ForecastVerdict;
import io.grokstream.contracts.GrokForecast;
import io.grokstream.contracts.GrokForecaster;
import io.grokstream.contracts.GrokForecaster.Point;
import io.grokstream.contracts.GrokForecaster.Settings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The grokking forecaster replayed on recorded runs: for each run, the forecast each snapshot made, judged against the
 * run's true grokking step. A forecast is <em>right</em> when the true step lies in its interval (for a run that
 * did not grok within its budget: when it did not say the run would grok within it). The figures:
 * <ul>
 *   <li>per horizon (how many steps before the true grokking step the forecast was made): forecasts, share right,
 *   median relative error of the forecast step;</li>
 *   <li>per run: the <em>stable lead</em>, how many steps before grokking the forecasts became right and stayed right;
 *   the step an opted-in run would have been stopped at, if any.</li>
 * </ul>
 */
public final class ForecastEvaluation {
    /** Horizons, in steps before the true grokking step: [lower, upper). */
    static final long[][] HORIZONS = {{1000, Long.MAX_VALUE}, {500, 1000}, {200, 500}, {0, 200}};

    /** One run's replay. {@code stoppedAt}: the step an opted-in run would have stopped at, or null. */
    public record RunResult(String run, long budget, Long grokStep, int forecasts, int right, Long stableLead,
                            Long stoppedAt) {
    }

    /** One horizon's figures. {@code medianRelativeError}: |forecast - true| / (true - step), median. */
    public record Horizon(long from, long to, int forecasts, int right, double medianRelativeError) {
        public double share() {
            return forecasts == 0 ? Double.NaN : (double) right / forecasts;
        }
    }

    /** The whole evaluation. */
    public record Result(List<RunResult> runs, List<Horizon> horizons) {
        /** Median stable lead over the runs that grokked (0 for a run never stably right). */
        public double medianStableLead() {
            return median(runs.stream().filter(r -> r.grokStep() != null)
                    .mapToDouble(r -> r.stableLead() == null ? 0 : r.stableLead()).toArray());
        }

        /** Runs that grokked within the budget but an opted-in stop would have ended. */
        public long falseStops() {
            return runs.stream().filter(r -> r.grokStep() != null && r.stoppedAt() != null
                    && r.stoppedAt() < r.grokStep()).count();
        }

        /** Runs that did not grok within the budget and were stopped. */
        public long rightStops() {
            return runs.stream().filter(r -> r.grokStep() == null && r.stoppedAt() != null).count();
        }

        public Horizon horizon(long from) {
            return horizons.stream().filter(h -> h.from() == from).findFirst().orElseThrow();
        }
    }

    private ForecastEvaluation() {
    }

    public static Result evaluate(List<RecordedRuns.Run> runs, Settings settings) {
        List<RunResult> results = new ArrayList<>();
        List<List<double[]>> perHorizon = new ArrayList<>();
        for (int i = 0; i < HORIZONS.length; i++) {
            perHorizon.add(new ArrayList<>());
        }
        for (RecordedRuns.Run run : runs) {
            GrokForecaster f = new GrokForecaster(io.grokstream.contracts.GrokCriterion.STANDARD, settings,
                    run.budget());
            List<Point> points = run.snapshots().stream().map(s -> new Point(s.step(), s.scalars())).toList();
            List<GrokForecast> forecasts = f.replay(points);
            results.add(judge(run, forecasts, f, perHorizon));
        }
        List<Horizon> horizons = new ArrayList<>();
        for (int i = 0; i < HORIZONS.length; i++) {
            List<double[]> h = perHorizon.get(i);
            horizons.add(new Horizon(HORIZONS[i][0], HORIZONS[i][1], h.size(),
                    (int) h.stream().filter(v -> v[0] == 1).count(),
                    median(h.stream().mapToDouble(v -> v[1]).toArray())));
        }
        return new Result(results, horizons);
    }

    private static RunResult judge(RecordedRuns.Run run, List<GrokForecast> forecasts, GrokForecaster f,
                                   List<List<double[]>> perHorizon) {
        int made = 0;
        int right = 0;
        Long stableFrom = null;
        Long stoppedAt = null;
        for (int i = 0; i < forecasts.size(); i++) {
            GrokForecast g = forecasts.get(i);
            if (stoppedAt == null && f.stopReason(forecasts.subList(0, i + 1)).isPresent()) {
                stoppedAt = g.step();
            }
            if (g.verdict() == ForecastVerdict.GROKKED || g.verdict() == ForecastVerdict.WAITING) {
                continue;
            }
            made++;
            boolean ok = right(run, g);
            right += ok ? 1 : 0;
            stableFrom = ok ? (stableFrom == null ? g.step() : stableFrom) : null;
            if (run.grokStep() != null && g.grokStep() != null) {
                long ahead = run.grokStep() - g.step();
                for (int h = 0; h < HORIZONS.length; h++) {
                    if (ahead >= HORIZONS[h][0] && ahead < HORIZONS[h][1]) {
                        perHorizon.get(h).add(new double[]{ok ? 1 : 0,
                                Math.abs(g.grokStep() - run.grokStep()) / (double) Math.max(1, ahead)});
                    }
                }
            }
        }
        Long lead = run.grokStep() == null || stableFrom == null ? null : run.grokStep() - stableFrom;
        return new RunResult(run.name(), run.budget(), run.grokStep(), made, right, lead, stoppedAt);
    }

    private static boolean right(RecordedRuns.Run run, GrokForecast g) {
        if (run.grokStep() == null) {
            return !g.withinBudget();
        }
        return g.grokStep() != null && g.low() <= run.grokStep() && run.grokStep() <= g.high();
    }

    /** The ratios true / extrapolated steps left (the factors' raw material), with {@code centre = low = high = 1}. */
    public static double[] ratios(List<RecordedRuns.Run> runs, Settings settings, long minAhead) {
        Settings raw = new Settings(settings.window(), settings.minPoints(), 1, 1, 1, settings.stopAfter(),
                settings.confirmations());
        List<Double> out = new ArrayList<>();
        for (RecordedRuns.Run run : runs) {
            if (run.grokStep() == null) {
                continue;
            }
            GrokForecaster f = new GrokForecaster(io.grokstream.contracts.GrokCriterion.STANDARD, raw, run.budget());
            for (GrokForecast g : f.replay(run.snapshots().stream().map(s -> new Point(s.step(), s.scalars())).toList())) {
                Optional<Long> left = Optional.ofNullable(g.stepsAhead());
                long ahead = run.grokStep() - g.step();
                if (g.verdict() != ForecastVerdict.GROKKED && left.isPresent() && left.get() > 0 && ahead >= minAhead) {
                    out.add((double) ahead / left.get());
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /**
     * The settings whose factors are the quantiles of the true / extrapolated steps left on {@code runs}: low the
     * 10th percentile, centre the median, high the 90th (an 80% interval on the runs it was chosen on).
     */
    public static Settings calibrated(List<RecordedRuns.Run> runs, Settings base) {
        double[] r = ratios(runs, base, 0);
        if (r.length == 0) {
            return base;
        }
        double low = quantile(r, 0.1);
        double centre = Math.max(low, quantile(r, 0.5));
        double high = Math.max(centre, quantile(r, 0.9));
        return new Settings(base.window(), base.minPoints(), round(low), round(centre), round(high), base.stopAfter(),
                base.confirmations());
    }

    private static double round(double v) {
        return Math.max(0.01, Math.round(v * 100) / 100.0);
    }

    /**
     * Leave one run out: each run replayed with the factors calibrated on the other runs ({@link #calibrated}), so
     * that no run judges factors it helped choose. The horizons' median errors are not kept (NaN).
     */
    public static Result leaveOneRunOut(List<RecordedRuns.Run> runs, Settings base) {
        List<RunResult> results = new ArrayList<>();
        long[][] counts = new long[HORIZONS.length][2];
        for (RecordedRuns.Run run : runs) {
            List<RecordedRuns.Run> others = runs.stream().filter(r -> r != run).toList();
            Result one = evaluate(List.of(run), calibrated(others, base));
            results.addAll(one.runs());
            for (int h = 0; h < HORIZONS.length; h++) {
                counts[h][0] += one.horizons().get(h).forecasts();
                counts[h][1] += one.horizons().get(h).right();
            }
        }
        List<Horizon> horizons = new ArrayList<>();
        for (int h = 0; h < HORIZONS.length; h++) {
            horizons.add(new Horizon(HORIZONS[h][0], HORIZONS[h][1], (int) counts[h][0], (int) counts[h][1],
                    Double.NaN));
        }
        return new Result(results, horizons);
    }

    /**
     * The simpler signal the forecast was compared with: for each run, the first snapshot whose {@code measure} is
     * below {@code threshold} (Nanda et al. 2023's circuit formation: the restricted loss falling), as steps before
     * the run grokked (negative: after); null where it never was. Runs in recording order.
     */
    public static List<Long> leadsOfFirstBelow(List<RecordedRuns.Run> runs, io.grokstream.contracts.Measure measure,
                                               double threshold) {
        List<Long> out = new ArrayList<>();
        for (RecordedRuns.Run run : runs) {
            Long first = run.snapshots().stream()
                    .filter(s -> s.scalars().getOrDefault(measure.wire(), Double.NaN) < threshold)
                    .map(RecordedRuns.Snapshot::step).findFirst().orElse(null);
            out.add(first == null || run.grokStep() == null ? null : run.grokStep() - first);
        }
        return out;
    }

    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The table {@code ./grokstream bench forecast} prints. */
    public static String table(Result r) {
        StringBuilder b = new StringBuilder();
        b.append("| run | budget | grokked at | forecasts | right | stable lead (steps) | opt-in stop at |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult run : r.runs()) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %s | %s |%n", run.run(), run.budget(),
                    run.grokStep() == null ? "not within budget" : run.grokStep(), run.forecasts(), run.right(),
                    run.stableLead() == null ? "-" : run.stableLead(), run.stoppedAt() == null ? "-" : run.stoppedAt()));
        }
        b.append("\n| steps ahead of grokking | forecasts | true step inside the interval | median relative error |\n");
        b.append("|---|---:|---:|---:|\n");
        for (Horizon h : r.horizons()) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.0f%% | %.2f |%n",
                    h.to() == Long.MAX_VALUE ? ">= " + h.from() : h.from() + "-" + h.to(), h.forecasts(),
                    100 * h.share(), h.medianRelativeError()));
        }
        b.append(String.format(Locale.ROOT, "%nmedian stable lead %.0f steps; opt-in stops: %d of %d runs that did "
                        + "not grok within their budget, %d runs that grokked stopped before grokking%n",
                r.medianStableLead(), r.rightStops(), r.runs().stream().filter(x -> x.grokStep() == null).count(),
                r.falseStops()));
        return b.toString();
    }
}
