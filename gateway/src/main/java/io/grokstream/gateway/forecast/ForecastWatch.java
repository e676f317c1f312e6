package io.grokstream.gateway.forecast;

import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokForecast;
import io.grokstream.contracts.GrokForecaster;
import io.grokstream.contracts.GrokForecaster.Point;
import io.grokstream.gateway.view.ExperimentSummary;
import io.grokstream.gateway.view.LiveEvent;
import io.grokstream.gateway.view.MeasurePoint;
import io.grokstream.gateway.view.ViewState;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The gateway's grokking forecasts: computed from the folded measure history with {@link GrokForecaster} (pure, so
 * every gateway computes the same forecast from the same snapshots), served on demand ({@link #view}), and after each
 * folded {@code measures} event streamed as a {@code forecast} event and checked against the opt-in stop
 * ({@code budget.stopIfForecastNotToGrok}): a confirmed forecast not to grok within the budget cancels the run with
 * the forecast as the reason.
 *
 * <p>Why the gateway and not the analysis service: the forecast reads the whole measure history of a run, which the
 * gateway already folds (in step order, gaps filled), and the stop is an {@link ExperimentCancelled}, which only the
 * gateway may write; a forecast event of the analysis service would be a second record per snapshot for the views to
 * fold and the router to copy, saying what any reader can recompute. Two gateways both act on the same snapshot:
 * each publishes the same cancellation (same experiment, same {@code ce_id}, same reason), and folding a second
 * cancellation of a cancelled run changes nothing (see {@code ForecastApiTest}).
 */
public final class ForecastWatch {
    private static final Logger LOG = Logger.getLogger(ForecastWatch.class);
    /** Experiments whose recent snapshots stay in heap between events (the rest are read again from the store). */
    private static final int CACHED = 256;

    private final ViewState views;
    private final Consumer<ExperimentCancelled> cancel;
    private final Map<String, Tracked> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tracked> eldest) {
            return size() > CACHED;
        }
    };
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();

    /** @param cancel publishes a cancellation on the experiments topic */
    public ForecastWatch(ViewState views, Consumer<ExperimentCancelled> cancel) {
        this.views = views;
        this.cancel = cancel;
    }

    /** The experiment's forecasts, replayed over its measure history; empty for an experiment the views lack. */
    public Optional<ForecastView> view(String id) {
        return views.submission(id).map(e -> {
            GrokForecaster f = forecaster(e);
            List<GrokForecast> history = f.replay(points(views.measures(id)));
            return view(e, history.isEmpty() ? null : history.get(history.size() - 1), firstStop(f, history), history);
        });
    }

    /**
     * Called after each fold with the live events it produced: a {@code forecast} event for each experiment that
     * got a {@code measures} event, and the opt-in stop. Called on the fold's thread, in fold order.
     */
    public synchronized List<LiveEvent> after(List<LiveEvent> folded) {
        List<LiveEvent> out = new ArrayList<>();
        for (LiveEvent e : folded) {
            if (!LiveEvent.MEASURES.equals(e.name()) || !(e.data() instanceof MeasurePoint p)) {
                continue;
            }
            Optional<ExperimentSubmitted> submitted = views.submission(e.experimentId());
            if (submitted.isEmpty()) {
                continue;
            }
            GrokForecaster f = forecaster(submitted.get());
            Tracked t = recent.computeIfAbsent(e.experimentId(), id -> Tracked.load(f, points(views.measures(id))));
            t.points.put(p.step(), point(p));
            List<Point> all = List.copyOf(t.points.values());
            List<GrokForecast> last = lastForecasts(f, all);
            if (t.stop == null) {
                t.stop = f.stopReason(last).orElse(null);
            }
            ForecastView v = view(submitted.get(), last.get(last.size() - 1), t.stop, null);
            out.add(new LiveEvent(LiveEvent.FORECAST, e.experimentId(), e.team(), e.publicRead(), v));
            stopIfConfirmed(submitted.get(), v);
        }
        return out;
    }

    /** One experiment's snapshots in heap, and the first confirmed stop among its forecasts. */
    private static final class Tracked {
        final TreeMap<Long, Point> points = new TreeMap<>();
        String stop;

        static Tracked load(GrokForecaster f, List<Point> stored) {
            Tracked t = new Tracked();
            stored.forEach(p -> t.points.put(p.step(), p));
            t.stop = firstStop(f, f.replay(stored));
            return t;
        }
    }

    private void stopIfConfirmed(ExperimentSubmitted e, ForecastView v) {
        if (!e.budget().stopIfForecastNotToGrok() || v.stopReason() == null || stopped.contains(e.experimentId())) {
            return;
        }
        if (views.summary(e.experimentId()).map(ExperimentSummary::terminal).orElse(true)) {
            return;
        }
        stopped.add(e.experimentId());
        LOG.infof("stopping %s (opted in): %s", e.experimentId(), v.stopReason());
        cancel.accept(new ExperimentCancelled(e.experimentId(), e.team(), v.stopReason(), Instant.now()));
    }

    /** The forecasts the stop rule reads (the last {@code confirmations}), each over the snapshots up to it. */
    private static List<GrokForecast> lastForecasts(GrokForecaster f, List<Point> all) {
        int k = Math.min(all.size(), GrokForecaster.STANDARD.confirmations());
        List<GrokForecast> last = new ArrayList<>(k);
        for (int i = all.size() - k + 1; i <= all.size(); i++) {
            last.add(f.forecast(all.subList(0, i)));
        }
        return last;
    }

    /** The stop reason at the first snapshot the rule held, or null. */
    private static String firstStop(GrokForecaster f, List<GrokForecast> history) {
        for (int i = 1; i <= history.size(); i++) {
            Optional<String> reason = f.stopReason(history.subList(0, i));
            if (reason.isPresent()) {
                return reason.get();
            }
        }
        return null;
    }

    private static ForecastView view(ExperimentSubmitted e, GrokForecast latest, String stop,
                                     List<GrokForecast> history) {
        return new ForecastView(e.experimentId(), e.budget().maxSteps(), e.budget().stopIfForecastNotToGrok(), latest,
                latest == null ? "no analysed snapshot yet" : GrokForecaster.describe(latest), stop, history);
    }

    private static GrokForecaster forecaster(ExperimentSubmitted e) {
        return GrokForecaster.standard(Math.max(1, e.budget().maxSteps()));
    }

    private static List<Point> points(List<MeasurePoint> measures) {
        return measures.stream().map(ForecastWatch::point).toList();
    }

    private static Point point(MeasurePoint m) {
        Map<String, Double> kept = new LinkedHashMap<>();
        GrokForecaster.INPUTS.forEach(in -> {
            Double v = m.scalars().get(in.wire());
            if (v != null) {
                kept.put(in.wire(), v);
            }
        });
        return new Point(m.step(), kept);
    }
}
