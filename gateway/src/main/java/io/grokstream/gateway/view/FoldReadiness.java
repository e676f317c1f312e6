package io.grokstream.gateway.view;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the views have folded every record that was on the topics at start-up. */
@Readiness
@ApplicationScoped
public class FoldReadiness implements HealthCheck {
    private final EventFolder folder;

    public FoldReadiness(EventFolder folder) {
        this.folder = folder;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("gateway-views").status(folder.caughtUp())
                .withData("sizes", folder.state().sizes().toString()).build();
    }
}
