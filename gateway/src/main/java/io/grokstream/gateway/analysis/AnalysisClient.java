package io.grokstream.gateway.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.gateway.GatewayConfig;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.gateway.internal.InternalService;
import io.grokstream.service.ServiceKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Forwards a retrospective request to the analysis service's {@code GET /admin/retrospective/{id}?frequencies=...},
 * with the service key, and returns its JSON answer. The caller has already been checked against the experiment
 * (the analysis service checks only the key). The analysis service's 4xx comes back with the same status, error and
 * field; an unreachable service, one that refuses the gateway's service key (401, 403: the deployment's keys
 * differ) or one that fails is a 503.
 */
@ApplicationScoped
public class AnalysisClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final InternalService analysis;

    public AnalysisClient(GatewayConfig config, ServiceKey serviceKey) {
        this.analysis = new InternalService("analysis service", config.analysisUrl(),
                Duration.ofMillis(config.analysisTimeoutMillis()), CONNECT_TIMEOUT, serviceKey, null);
    }

    /** Restricted and excluded loss of every stored snapshot of {@code experimentId} with these key frequencies. */
    public JsonNode retrospective(String experimentId, List<Integer> frequencies) {
        String query = frequencies.stream().map(String::valueOf).collect(Collectors.joining(","));
        InternalService.Answer answer = analysis.send(analysis.request("/admin/retrospective/"
                + URLEncoder.encode(experimentId, StandardCharsets.UTF_8) + "?frequencies="
                + URLEncoder.encode(query, StandardCharsets.UTF_8)).GET().build(), "/admin/retrospective");
        if (answer.clientError()) {
            throw new ApiException(answer.status(), "analysis service: " + answer.error(), answer.field());
        }
        if (answer.body() == null || !answer.body().isObject()) {
            throw new ApiException(502, "analysis service answered without a JSON object", null);
        }
        return answer.body();
    }
}
