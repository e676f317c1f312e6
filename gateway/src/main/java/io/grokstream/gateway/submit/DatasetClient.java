package io.grokstream.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ServiceCredential;
import io.grokstream.gateway.GatewayConfig;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.service.ServiceKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Forwards an inline task request ({@code {"kind": ..., "parameters": {...}}}) to the dataset service's
 * {@code POST /tasks}, with the service key, and returns the task id it answers with. The dataset service's 4xx
 * comes back as the gateway's 400 (field prefixed with {@code task.}); an unreachable service, or one that refuses
 * the gateway's service key (401, 403: the deployment's keys differ), is a 503.
 */
@ApplicationScoped
public class DatasetClient {
    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final ServiceKey serviceKey;

    public DatasetClient(GatewayConfig config, ServiceKey serviceKey) {
        this.serviceKey = serviceKey;
        this.baseUrl = config.datasetUrl().replaceAll("/+$", "");
        this.timeout = Duration.ofMillis(config.datasetTimeoutMillis());
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String defineTask(ObjectNode task) {
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/tasks")).timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .header(ServiceCredential.HEADER, serviceKey.value())
                    .POST(HttpRequest.BodyPublishers.ofString(EventCodec.JSON.writeValueAsString(task))).build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException(503, "dataset service unavailable at " + baseUrl + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), "task");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while calling the dataset service", "task");
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new ApiException(503, "the dataset service at " + baseUrl + " refused the gateway's service key (HTTP "
                    + status + ")", "task");
        }
        if (status >= 400 && status < 500) {
            String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : response.body();
            String field = body != null && body.hasNonNull("field") ? "task." + body.get("field").asText() : "task";
            throw new ApiException(status == 413 ? 413 : 400, "dataset service refused the task: " + error, field);
        }
        if (status >= 300) {
            throw new ApiException(503, "dataset service answered " + status + " at " + baseUrl + "/tasks", "task");
        }
        String id = body == null ? null : body.hasNonNull("taskId") ? body.get("taskId").asText()
                : body.hasNonNull("id") ? body.get("id").asText() : null;
        if (id == null) {
            throw new ApiException(502, "dataset service answered without a task id", "task");
        }
        return id;
    }

    private static JsonNode parse(String s) {
        try {
            return s == null || s.isBlank() ? null : EventCodec.JSON.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }
}
