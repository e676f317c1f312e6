package io.grokstream.gateway.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ServiceCredential;
import io.grokstream.gateway.GatewayConfig;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.service.ServiceKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final ServiceKey serviceKey;

    public AnalysisClient(GatewayConfig config, ServiceKey serviceKey) {
        this.serviceKey = serviceKey;
        this.baseUrl = config.analysisUrl().replaceAll("/+$", "");
        this.timeout = Duration.ofMillis(config.analysisTimeoutMillis());
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** Restricted and excluded loss of every stored snapshot of {@code experimentId} with these key frequencies. */
    public JsonNode retrospective(String experimentId, List<Integer> frequencies) {
        String query = frequencies.stream().map(String::valueOf).collect(Collectors.joining(","));
        URI uri = URI.create(baseUrl + "/admin/retrospective/" + URLEncoder.encode(experimentId, StandardCharsets.UTF_8)
                + "?frequencies=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                    .header(ServiceCredential.HEADER, serviceKey.value()).GET().build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("analysis service unavailable at " + baseUrl + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while calling the analysis service");
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status == 401 || status == 403) {
            throw unavailable("the analysis service at " + baseUrl + " refused the gateway's service key (HTTP "
                    + status + ")");
        }
        if (status >= 400 && status < 500) {
            String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : response.body();
            String field = body != null && body.hasNonNull("field") ? body.get("field").asText() : null;
            throw new ApiException(status, "analysis service: " + error, field);
        }
        if (status >= 300) {
            throw unavailable("analysis service answered " + status + " at " + baseUrl + "/admin/retrospective");
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(502, "analysis service answered without a JSON object", null);
        }
        return body;
    }

    private static ApiException unavailable(String error) {
        return new ApiException(503, error, null);
    }

    private static JsonNode parse(String s) {
        try {
            return s == null || s.isBlank() ? null : EventCodec.JSON.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }
}
