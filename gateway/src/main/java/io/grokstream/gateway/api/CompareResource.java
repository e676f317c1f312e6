package io.grokstream.gateway.api;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.gateway.auth.Caller;
import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.compare.Mechanisms;
import io.grokstream.gateway.view.Downsample;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.MeasurePoint;
import io.grokstream.gateway.view.MetricPoint;
import io.grokstream.gateway.view.ViewState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Several experiments on one metric: a {@link MetricPoint} field, or else a progress-measure scalar
 * (e.g. {@code restricted_loss}); and their mechanisms side by side ({@link Mechanisms}).
 */
@Path("/api/compare")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "experiments")
public class CompareResource {
    static final int MAX_IDS = 20;

    private final ViewState views;
    private final RequestCaller requestCaller;
    private final Access access;

    public CompareResource(EventFolder folder, RequestCaller requestCaller, Access access) {
        this.views = folder.state();
        this.requestCaller = requestCaller;
        this.access = access;
    }

    /** One experiment's series: [[step, value], ...]. */
    public record Series(String experimentId, String name, List<double[]> points) {
    }

    public record Comparison(String metric, List<Series> series) {
    }

    @GET
    @Operation(summary = "Series of one metric for several experiments: ids=a,b&metric=validationAccuracy")
    public Comparison compare(@QueryParam("ids") String ids, @QueryParam("metric") String metric,
                              @QueryParam("maxPoints") String maxPoints) {
        Caller caller = requestCaller.get();
        List<String> list = idsOf(ids);
        String m = metric == null || metric.isBlank() ? "validationAccuracy" : metric.trim();
        Integer max = Access.maxPoints(maxPoints);
        boolean stepMetric = MetricPoint.METRICS.contains(m);
        List<Series> series = new ArrayList<>();
        for (String id : list) {
            ExperimentSubmitted e = access.readable(id, caller);
            List<double[]> points = new ArrayList<>();
            if (stepMetric) {
                for (MetricPoint p : views.metrics(id)) {
                    points.add(new double[]{p.step(), p.value(m)});
                }
            } else {
                for (MeasurePoint p : views.measures(id)) {
                    Double v = p.scalars().get(m);
                    if (v != null) {
                        points.add(new double[]{p.step(), v});
                    }
                }
            }
            series.add(new Series(id, e.name(), Downsample.extremes(points, max, List.of(p -> p[1]))));
        }
        if (!stepMetric && series.stream().allMatch(s -> s.points().isEmpty())) {
            throw ApiException.badRequest("metric", "unknown metric " + m + "; use one of " + MetricPoint.METRICS
                    + " or a progress-measure scalar of these experiments");
        }
        return new Comparison(m, series);
    }

    @GET
    @Path("mechanisms")
    @Operation(summary = "Mechanisms of several experiments side by side: ids=a,b",
            description = "Per experiment: seed, optimizer, GrokFast, the phase steps, the final key frequencies with "
                    + "the steps they were first found and stable since, the final accuracies, and per target for a "
                    + "task with several targets; then the key frequencies every experiment shares and those only "
                    + "one has (overall and per target).")
    public Mechanisms.Comparison mechanisms(@QueryParam("ids") String ids) {
        Caller caller = requestCaller.get();
        List<ExperimentSubmitted> runs = idsOf(ids).stream().map(id -> access.readable(id, caller)).toList();
        return Mechanisms.of(views, runs);
    }

    /** The {@code ids} query parameter: 1 to {@link #MAX_IDS} distinct experiment ids, comma-separated. */
    static List<String> idsOf(String ids) {
        if (ids == null || ids.isBlank()) {
            throw ApiException.badRequest("ids", "ids must list one or more experiment ids, comma-separated");
        }
        List<String> list = List.copyOf(new LinkedHashSet<>(Arrays.stream(ids.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList()));
        if (list.isEmpty() || list.size() > MAX_IDS) {
            throw ApiException.badRequest("ids", "ids must list 1 to " + MAX_IDS + " experiments, got " + list.size());
        }
        return list;
    }
}
