package io.grokstream.gateway.api;

import io.grokstream.gateway.auth.RequestCaller;
import io.grokstream.gateway.forecast.ForecastView;
import io.grokstream.gateway.forecast.Forecasts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The grokking forecast of an experiment (issue 19): the latest forecast and one per analysed snapshot, each from the
 * snapshots up to it ({@code contracts/GrokForecaster}). Live on the experiment's stream as {@code forecast} events.
 */
@Path("/api/experiments/{id}/forecast")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "forecast")
public class ForecastResource {
    private final Forecasts forecasts;
    private final RequestCaller requestCaller;
    private final Access access;

    public ForecastResource(Forecasts forecasts, RequestCaller requestCaller, Access access) {
        this.forecasts = forecasts;
        this.requestCaller = requestCaller;
        this.access = access;
    }

    @GET
    @Operation(summary = "The grokking forecast: the latest (step, interval, steps ahead, within the budget, basis), "
            + "one per analysed snapshot, and the opt-in stop's reason once the forecast confirmed no grokking "
            + "within the budget")
    public ForecastView forecast(@PathParam("id") String id) {
        access.readable(id, requestCaller.get());
        return forecasts.view(id).orElseThrow(() -> ApiException.notFound("id", "no experiment " + id));
    }
}
