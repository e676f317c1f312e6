package io.grokstream.gateway.submit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.EventCodec;
import io.grokstream.gateway.GatewayConfig;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.gateway.internal.InternalService;
import io.grokstream.service.ServiceKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * Forwards an inline task request ({@code {"kind": ..., "parameters": {...}}}) to the dataset service's
 * {@code POST /tasks}, with the service key, and returns the task id it answers with. The dataset service's 4xx
 * comes back as the gateway's 400 (field prefixed with {@code task.}); an unreachable service, or one that refuses
 * the gateway's service key (401, 403: the deployment's keys differ), is a 503.
 */
@ApplicationScoped
public class DatasetClient {
    private final InternalService dataset;

    public DatasetClient(GatewayConfig config, ServiceKey serviceKey) {
        Duration timeout = Duration.ofMillis(config.datasetTimeoutMillis());
        this.dataset = new InternalService("dataset service", config.datasetUrl(), timeout, timeout, serviceKey, "task");
    }

    public String defineTask(ObjectNode task) {
        String json;
        try {
            json = EventCodec.JSON.writeValueAsString(task);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "task does not encode as JSON: " + e.getOriginalMessage(), "task");
        }
        InternalService.Answer answer = dataset.send(dataset.request("/tasks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), "/tasks");
        if (answer.clientError()) {
            throw new ApiException(answer.status() == 413 ? 413 : 400, "dataset service refused the task: "
                    + answer.error(), answer.field() == null ? "task" : "task." + answer.field());
        }
        JsonNode body = answer.body();
        String id = body == null ? null : body.hasNonNull("taskId") ? body.get("taskId").asText()
                : body.hasNonNull("id") ? body.get("id").asText() : null;
        if (id == null) {
            throw new ApiException(502, "dataset service answered without a task id", "task");
        }
        return id;
    }
}
