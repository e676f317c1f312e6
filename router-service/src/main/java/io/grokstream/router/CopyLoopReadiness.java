package io.grokstream.router;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the copy loop copies and the owners' fold still follows the experiments topic: a router that reaches
 * the broker (service-kit's KafkaReadiness) but no longer copies, or no longer learns new experiments, is of no use
 * to the teams. Down while the fold catches up at start.
 */
@Readiness
@ApplicationScoped
public class CopyLoopReadiness implements HealthCheck {
    private final CopyLoop loop;
    private final Owners owners;

    public CopyLoopReadiness(CopyLoop loop, Owners owners) {
        this.loop = loop;
        this.owners = owners;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("router-copy")
                .status(loop.state() == CopyLoop.State.COPYING && owners.alive())
                .withData("state", loop.state().name())
                .withData("ownersFolding", owners.alive())
                .withData("experiments", owners.size())
                .withData("copied", loop.copied())
                .withData("skipped", loop.skipped());
        String error = loop.error();
        return error == null ? b.build() : b.withData("error", error).build();
    }
}
