package io.grokstream.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Forecasts the grokking step (the validation accuracy reaching {@link GrokCriterion}'s threshold) from the progress
 * measures of each snapshot, one {@link GrokForecast} per snapshot. Pure: the same snapshots give the same forecasts,
 * so every gateway that folds a run says the same, and a replay of a recorded run says what was said live.
 *
 * <p>The method, chosen on the recorded runs ({@code bench/src/main/resources/forecast/recorded-runs.csv}, evaluated
 * by {@code ./grokstream bench forecast}): once the run has memorised (training accuracy at the criterion's
 * threshold), a least-squares line through the log of the validation error {@code 1 - test_accuracy} over the last
 * {@link Settings#window()} snapshots, extrapolated to the log of {@code 1 - threshold}. The error falls faster and
 * faster during clean-up (Nanda et al. 2023, Section 5.2: the test loss falls once weight decay removes the
 * memorising weights), so a straight line overestimates the steps left; the forecast and its interval are the
 * extrapolated steps left scaled by {@link Settings#centre()}, {@link Settings#low()} and {@link Settings#high()},
 * quantiles of the ratio of true to extrapolated steps left on the recorded runs. The restricted and excluded loss,
 * the Gini coefficient and the weight norm are reported in the basis, not used in the arithmetic: on the recorded
 * runs the restricted loss fell below 1 nat a median 175 steps before grokking (after it in one run, and in three runs
 * that did not grok within their budget), where the forecasts became right for good a median 550 steps before; the
 * excluded loss was above 1 nat from the first snapshots in half the runs, and the embedding's Gini never passed 0.5.
 */
public final class GrokForecaster {

    /**
     * @param window        snapshots the trend is fitted over, at least 2
     * @param minPoints     snapshots since memorisation before a forecast is made, in [2, window]
     * @param low           the interval's low end, as a share of the extrapolated steps left, in (0, centre]
     * @param centre        the forecast, as a share of the extrapolated steps left
     * @param high          the interval's high end, as a share of the extrapolated steps left, at least centre
     * @param stopAfter     the share of the budget before which no run is stopped, in [0, 1]
     * @param confirmations consecutive snapshots that must forecast no grokking within the budget before a stop
     */
    public record Settings(int window, int minPoints, double low, double centre, double high, double stopAfter,
                           int confirmations) {
        public Settings {
            if (window < 2 || minPoints < 2 || minPoints > window) {
                throw new IllegalArgumentException("window must be >= 2 and minPoints in [2, window], got " + window
                        + ", " + minPoints);
            }
            if (!(low > 0 && low <= centre && centre <= high)) {
                throw new IllegalArgumentException("need 0 < low <= centre <= high, got " + low + ", " + centre
                        + ", " + high);
            }
            if (!(stopAfter >= 0 && stopAfter <= 1) || confirmations < 1) {
                throw new IllegalArgumentException("stopAfter must be in [0, 1] and confirmations >= 1");
            }
        }
    }

    /**
     * The settings the evaluation on the 12 recorded runs chose ({@code ./grokstream bench forecast} prints the
     * figures; BENCHMARKS.md section 9): a window of 6 snapshots (6 gave the longest stable lead of 3 to 6, with the
     * same interval coverage); the factors are the 10th percentile, median and 90th percentile of true / extrapolated
     * steps left over the 86 forecasts made before grokking (the extrapolation overestimates the steps left about
     * sixfold at the median: the error's fall accelerates); 4 confirming snapshots (3 stopped a run that grokked 50
     * steps later, after a loss spike flattened the trend for three snapshots).
     */
    public static final Settings STANDARD = new Settings(6, 4, 0.03, 0.17, 1.23, 0.5, 4);

    /** The measures a forecast reads: the accuracies in the arithmetic, the circuit's measures in the basis. */
    public static final List<Measure> INPUTS = List.of(Measure.TRAIN_ACCURACY, Measure.TEST_ACCURACY,
            Measure.RESTRICTED_LOSS, Measure.EXCLUDED_LOSS, Measure.GINI_EMBED, Measure.WEIGHT_SQ_TOTAL);

    /** One snapshot's scalar progress measures, by {@link Measure#wire()} name. */
    public record Point(long step, Map<String, Double> scalars) {
        public Point {
            scalars = Map.copyOf(Objects.requireNonNull(scalars, "scalars"));
        }

        Optional<Double> get(Measure m) {
            Double v = scalars.get(m.wire());
            return v == null || !Double.isFinite(v) ? Optional.empty() : Optional.of(v);
        }
    }

    /** The floor of the validation error, so that a perfect snapshot has a finite log. */
    private static final double MIN_ERROR = 1e-4;
    private final GrokCriterion criterion;
    private final Settings settings;
    private final long budget;

    public GrokForecaster(GrokCriterion criterion, Settings settings, long budget) {
        this.criterion = Objects.requireNonNull(criterion, "criterion");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be >= 1, got " + budget);
        }
        this.budget = budget;
    }

    /** The platform's forecaster for a run of {@code budget} steps. */
    public static GrokForecaster standard(long budget) {
        return new GrokForecaster(GrokCriterion.STANDARD, STANDARD, budget);
    }

    /** The forecast at each snapshot of {@code history}, in step order (each one sees only the snapshots up to it). */
    public List<GrokForecast> replay(List<Point> history) {
        List<Point> sorted = history.stream().sorted(java.util.Comparator.comparingLong(Point::step)).toList();
        List<GrokForecast> out = new ArrayList<>(sorted.size());
        for (int i = 1; i <= sorted.size(); i++) {
            out.add(forecast(sorted.subList(0, i)));
        }
        return out;
    }

    /** The forecast at the last snapshot of {@code history} (in step order). */
    public GrokForecast forecast(List<Point> history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a forecast needs at least one snapshot");
        }
        long now = history.get(history.size() - 1).step();
        int memorised = -1;
        for (int i = 0; i < history.size(); i++) {
            Point p = history.get(i);
            if (p.get(Measure.TEST_ACCURACY).map(criterion::grokked).orElse(false)) {
                return GrokForecast.grokked(now, p.step(), budget);
            }
            if (memorised < 0 && p.get(Measure.TRAIN_ACCURACY).map(criterion::memorised).orElse(false)) {
                memorised = i;
            }
        }
        if (memorised < 0) {
            return GrokForecast.without(now, ForecastVerdict.WAITING, budget, "not memorised yet");
        }
        List<Point> since = history.subList(Math.max(memorised, history.size() - settings.window()), history.size())
                .stream().filter(p -> p.get(Measure.TEST_ACCURACY).isPresent()).toList();
        if (since.size() < settings.minPoints()) {
            return GrokForecast.without(now, ForecastVerdict.WAITING, budget, String.format(Locale.ROOT,
                    "memorised at step %d; %d of %d snapshots since", history.get(memorised).step(), since.size(),
                    settings.minPoints()));
        }
        return extrapolate(now, since);
    }

    private GrokForecast extrapolate(long now, List<Point> window) {
        int n = window.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = window.get(i).step();
            y[i] = logError(window.get(i).get(Measure.TEST_ACCURACY).orElseThrow());
        }
        double[] line = LeastSquares.line(x, y);
        double slope = line[1];
        String trend = trend(window, slope);
        if (!(slope < 0)) {
            return GrokForecast.without(now, ForecastVerdict.NO_TREND, budget, trend + "; not falling");
        }
        double left = Math.max(0, (logError(criterion.grokkedValidationAccuracy()) - (line[0] + slope * now)) / slope);
        // a far extrapolation is capped (100 budgets) so the steps stay exact longs
        left = Math.min(left, 100.0 * budget);
        long centre = now + Math.round(settings.centre() * left);
        long low = now + Math.round(settings.low() * left);
        long high = now + Math.round(settings.high() * left);
        return GrokForecast.at(now, centre, low, high, budget, trend + circuit(window.get(n - 1)));
    }

    /**
     * Whether a run opted in should stop now: at or after {@link Settings#stopAfter()} of the budget, the last
     * {@link Settings#confirmations()} forecasts all said it will not grok within the budget (no falling trend, or an
     * interval that starts after the budget). The reason names the forecast.
     */
    public Optional<String> stopReason(List<GrokForecast> forecasts) {
        int k = settings.confirmations();
        if (forecasts.size() < k) {
            return Optional.empty();
        }
        List<GrokForecast> last = forecasts.subList(forecasts.size() - k, forecasts.size());
        GrokForecast latest = last.get(k - 1);
        if (latest.step() < settings.stopAfter() * budget || !last.stream().allMatch(this::notWithinBudget)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "forecast not to grok within the budget of %d steps "
                + "(%d snapshots in a row, steps %d-%d): %s", budget, k, last.get(0).step(), latest.step(),
                describe(latest) + (latest.grokStep() == null ? "" : "; " + latest.basis())));
    }

    private boolean notWithinBudget(GrokForecast f) {
        return f.verdict() == ForecastVerdict.NO_TREND
                || f.verdict() == ForecastVerdict.BEYOND_BUDGET && f.low() != null && f.low() > budget;
    }

    /**
     * The forecast in one line: "groks near step N (interval a–b), k steps ahead" (and ", beyond the budget of B
     * steps"), "grokked at step N", or the verdict and its basis.
     */
    public static String describe(GrokForecast f) {
        return switch (f.verdict()) {
            case ON_COURSE, BEYOND_BUDGET -> String.format(Locale.ROOT,
                    "groks near step %d (interval %d\u2013%d), %d steps ahead%s", f.grokStep(), f.low(), f.high(),
                    f.stepsAhead(), f.withinBudget() ? "" : ", beyond the budget of " + f.budget() + " steps");
            case GROKKED -> "grokked at step " + f.grokStep();
            default -> f.verdict().wire() + ": " + f.basis();
        };
    }

    private double logError(double accuracy) {
        return Math.log(Math.max(MIN_ERROR, 1 - accuracy));
    }

    private static String trend(List<Point> window, double slope) {
        Point first = window.get(0);
        Point last = window.get(window.size() - 1);
        return String.format(Locale.ROOT, "validation error %.3f at step %d, %.3f at step %d (x%.2f per 1,000 steps)",
                1 - first.get(Measure.TEST_ACCURACY).orElseThrow(), first.step(),
                1 - last.get(Measure.TEST_ACCURACY).orElseThrow(), last.step(), Math.exp(slope * 1000));
    }

    /** The circuit's measures at the snapshot, where the analysis had them. */
    private static String circuit(Point p) {
        StringBuilder b = new StringBuilder();
        for (Measure m : INPUTS.subList(2, INPUTS.size())) {
            p.get(m).ifPresent(v -> b.append(b.isEmpty() ? "; " : ", ").append(m.wire()).append(' ')
                    .append(String.format(Locale.ROOT, "%.3g", v)));
        }
        return b.toString();
    }

    /** Ordinary least squares of a line. */
    static final class LeastSquares {
        private LeastSquares() {
        }

        /** {intercept, slope} of the least-squares line through (x, y); slope 0 when every x is the same. */
        static double[] line(double[] x, double[] y) {
            int n = x.length;
            double mx = 0;
            double my = 0;
            for (int i = 0; i < n; i++) {
                mx += x[i] / n;
                my += y[i] / n;
            }
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < n; i++) {
                sxy += (x[i] - mx) * (y[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
            }
            double slope = sxx == 0 ? 0 : sxy / sxx;
            return new double[]{my - slope * mx, slope};
        }
    }
}
