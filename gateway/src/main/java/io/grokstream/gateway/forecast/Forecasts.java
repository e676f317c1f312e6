package io.grokstream.gateway.forecast;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.gateway.view.EventFolder;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The gateway's {@link ForecastWatch}, fed by the view fold and publishing its stops as the gateway. */
@Startup
@ApplicationScoped
public class Forecasts {
    private final ForecastWatch watch;

    public Forecasts(EventFolder folder, EventPublisher publisher) {
        // not awaited: the fold goes on (the producer retries a failed send itself)
        this.watch = new ForecastWatch(folder.state(), publisher::publish);
        folder.afterFold(watch::after);
    }

    public Optional<ForecastView> view(String experimentId) {
        return watch.view(experimentId);
    }
}
