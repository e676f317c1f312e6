package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's REST API (gateway/API.md) as the reproduce command uses it. Studies run through the platform like
 * any team's experiments: submitted with the team's key, trained by the trainer workers, measured by the analysis
 * service, read back from the gateway's views.
 */
public final class GatewayClient {
    /** An HTTP error from the gateway, with its JSON {@code error} text. */
    public static final class GatewayException extends RuntimeException {
        private final int status;

        GatewayException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public GatewayClient(String baseUrl, String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("an API key is needed (GROKSTREAM_KEY or --key)");
        }
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.key = key;
    }

    public String baseUrl() {
        return base.toString();
    }

    /**
     * Whether the gateway is ready: its readiness check passes only once its views have folded every record that was
     * on the topics at start-up. Before that an experiment that exists answers 404, so a client that submitted or
     * reused runs on a restarting gateway would submit duplicates.
     */
    public boolean ready() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public JsonNode experiments() {
        return get("api/experiments");
    }

    public JsonNode experiment(String id) {
        return get("api/experiments/" + encode(id));
    }

    public JsonNode submit(ObjectNode body) {
        return send(request("api/experiments").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json").build());
    }

    public JsonNode metrics(String id) {
        return get("api/experiments/" + encode(id) + "/metrics");
    }

    public JsonNode measures(String id) {
        return get("api/experiments/" + encode(id) + "/measures");
    }

    /** The latest ProgressMeasured, or null before the first one. */
    public JsonNode latestMeasures(String id) {
        try {
            return get("api/experiments/" + encode(id) + "/measures/latest");
        } catch (GatewayException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The analysis service's retrospective measures ({@code GET /admin/retrospective/{id}}): restricted and excluded
     * loss of every stored snapshot with the given key frequencies. {@code analysisUrl} is the analysis service.
     */
    public JsonNode retrospective(String analysisUrl, String id, List<Integer> frequencies) {
        String query = String.join(",", frequencies.stream().map(String::valueOf).toList());
        URI uri = URI.create((analysisUrl.endsWith("/") ? analysisUrl : analysisUrl + "/") + "admin/retrospective/"
                + encode(id) + "?frequencies=" + encode(query));
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(15)).header("Accept", "application/json").GET().build());
    }

    public JsonNode task(String taskId) {
        return get("api/tasks/" + encode(taskId));
    }

    private JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("X-API-Key", key).header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 429 && attempt < 20) {
                    Thread.sleep(1000);   // the gateway's per-key rate limit: wait for the bucket to refill
                    continue;
                }
                if (response.statusCode() >= 400) {
                    throw new GatewayException(response.statusCode(), request.method() + " " + request.uri().getPath()
                            + ": HTTP " + response.statusCode() + ": " + errorText(response.body()));
                }
                return JSON.readTree(response.body());
            } catch (ConnectException e) {
                throw new GatewayException(0, "cannot reach " + request.uri().getHost() + ":" + request.uri().getPort()
                        + " (is the platform running? ./grokstream up)");
            } catch (IOException e) {
                if (attempt >= 3) {
                    throw new GatewayException(0, request.uri() + ": " + e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(0, "interrupted");
            }
        }
    }

    private static String errorText(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            String field = node.path("field").asText(null);
            return node.path("error").asText(body) + (field != null && !"null".equals(field) ? " (field: " + field + ")" : "");
        } catch (IOException e) {
            return body.length() > 300 ? body.substring(0, 300) : body;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
