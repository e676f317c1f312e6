package io.grokstream.gateway.forecast;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.grokstream.contracts.GrokForecast;

import java.util.List;

/**
 * An experiment's grokking forecast as {@code GET /api/experiments/{id}/forecast} serves it, and (without the
 * history) as the {@code forecast} event of its SSE stream.
 *
 * @param latest     the forecast at the latest analysed snapshot, null before the first
 * @param summary    the latest forecast in one line ("groks near step N (interval a-b), k steps ahead; ...")
 * @param stopReason present once the forecast has confirmed that the run will not grok within its budget: the
 *                   reason an opted-in run ({@code budget.stopIfForecastNotToGrok}) is cancelled with
 * @param history    the forecast at each analysed snapshot, in step order (absent on the stream)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ForecastView(String experimentId, long budget, boolean stopIfForecastNotToGrok, GrokForecast latest,
                           String summary, String stopReason, List<GrokForecast> history) {

    /** Without the history: the stream's shape. */
    public ForecastView latestOnly() {
        return new ForecastView(experimentId, budget, stopIfForecastNotToGrok, latest, summary, stopReason, null);
    }
}
