package io.grokstream.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.ExperimentStatus;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The gateway's REST API (gateway/API.md) as a team's tool sees it: every call with the team's key, JSON in and out,
 * the gateway's {@code error} (and {@code field}) in the exception of a 4xx. The CLI's commands and the
 * reproductions use it; they depend on nothing but the public API.
 */
public final class GatewayClient {
    /** An HTTP error from the gateway, with its JSON {@code error} text; status 0 when it could not be reached. */
    public static final class GatewayException extends RuntimeException {
        private final int status;

        public GatewayException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** The gateway did not answer at all (not running, wrong URL). */
        public boolean unreachable() {
            return status == 0;
        }
    }

    /** What a stream listener says after each event. */
    public enum Next {
        MORE,
        STOP
    }

    /** Receives a server-sent event's name and its JSON data. */
    @FunctionalInterface
    public interface StreamListener {
        Next event(String name, JsonNode data);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a retrospective request may take: longer than the gateway's own wait for the analysis service. */
    private static final Duration RETROSPECTIVE_TIMEOUT = Duration.ofMinutes(16);
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

    /** The experiments the key may read; {@code team} (an admin key only) narrows them to one team. */
    public JsonNode experiments(String team) {
        return team == null ? experiments() : get("api/experiments?team=" + encode(team));
    }

    public JsonNode tasks() {
        return get("api/tasks");
    }

    /** {@code POST /api/sweeps}: one linked experiment per combination of the grid. */
    public JsonNode sweep(ObjectNode body) {
        return post("api/sweeps", body);
    }

    /** {@code POST /api/experiments/{id}/cancel}, with a reason or none. */
    public JsonNode cancel(String id, String reason) {
        ObjectNode body = JSON.createObjectNode();
        if (reason != null) {
            body.put("reason", reason);
        }
        return post("api/experiments/" + encode(id) + "/cancel", body);
    }

    /** {@code POST /api/experiments/{id}/clone}: a new experiment, the original with {@code overrides} merged in. */
    public JsonNode cloneExperiment(String id, ObjectNode overrides) {
        return post("api/experiments/" + encode(id) + "/clone", overrides);
    }

    /** One metric (or a progress-measure scalar) of several experiments, {@code maxPoints} each at most. */
    public JsonNode compare(List<String> ids, String metric, int maxPoints) {
        return get("api/compare?ids=" + encode(String.join(",", ids)) + "&metric=" + encode(metric)
                + "&maxPoints=" + maxPoints);
    }

    /**
     * {@code GET /api/compare/mechanisms}: per experiment its setup, phase steps, final key frequencies (with the steps
     * they were found) and accuracies, per target too; and the key frequencies all share and each alone has.
     */
    public JsonNode mechanisms(List<String> ids) {
        return get("api/compare/mechanisms?ids=" + encode(String.join(",", ids)));
    }

    /** The stored checkpoint steps of an experiment, ascending: {@code [{"step", "bytes"}]}. */
    public JsonNode checkpoints(String id) {
        return get("api/experiments/" + encode(id) + "/checkpoints");
    }

    /**
     * Downloads the weights at {@code step} as {@code format} ({@code onnx} or {@code safetensors}) to {@code file},
     * through a temporary file beside it, so a failed download leaves nothing behind. Returns the bytes written.
     */
    public long download(String id, long step, String format, Path file) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/experiments/" + encode(id) + "/checkpoints/"
                + step + "." + format)).timeout(Duration.ofMinutes(5)).header("X-API-Key", key).GET().build();
        Path dir = file.toAbsolutePath().getParent();
        Path part = null;
        try {
            // created like any new file here (the umask's permissions, not a temporary file's private ones)
            part = Files.createFile(dir.resolve(file.getFileName() + "." + UUID.randomUUID() + ".part"));
            HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(part));
            if (response.statusCode() >= 400) {
                throw refused(request, response.statusCode(), Files.readString(part));
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            part = null;
            return Files.size(file);
        } catch (ConnectException e) {
            throw unreachable(request);
        } catch (IOException e) {
            throw new GatewayException(0, request.uri() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(0, "interrupted");
        } finally {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // best effort: the download failed already
                }
            }
        }
    }

    /** {@code POST /api/experiments/{id}/checkpoints/{step}/infer} with {@code tokens} or {@code inputs}. */
    public JsonNode infer(String id, long step, ObjectNode body) {
        return post("api/experiments/" + encode(id) + "/checkpoints/" + step + "/infer", body);
    }

    /** {@code POST /api/experiments/{id}/checkpoints/{step}/interventions}: an ablation or a patch, scored. */
    public JsonNode intervene(String id, long step, ObjectNode body) {
        return post("api/experiments/" + encode(id) + "/checkpoints/" + step + "/interventions", body);
    }

    /** The progress measures of every measured snapshot, {@code maxPoints} at most (null: all). */
    public JsonNode measures(String id, Integer maxPoints) {
        return maxPoints == null ? measures(id) : get("api/experiments/" + encode(id) + "/measures?maxPoints=" + maxPoints);
    }

    /**
     * Follows {@code GET /api/experiments/{id}/stream} (server-sent events) until the listener says stop (true) or
     * the stream ends (false).
     */
    public boolean stream(String id, StreamListener listener) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/experiments/" + encode(id) + "/stream"))
                .header("X-API-Key", key).header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() >= 400) {
                throw refused(request, response.statusCode(), String.join("\n", response.body().toList()));
            }
            try (Stream<String> lines = response.body()) {
                return ServerSentEvents.read(lines.iterator(), (name, data) -> {
                    try {
                        return listener.event(name, JSON.readTree(data));
                    } catch (IOException e) {
                        return Next.MORE; // not JSON: a comment or keep-alive the gateway never sends
                    }
                });
            }
        } catch (ConnectException e) {
            throw unreachable(request);
        } catch (IOException e) {
            return false; // the stream dropped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public JsonNode experiment(String id) {
        return get("api/experiments/" + encode(id));
    }

    public JsonNode submit(ObjectNode body) {
        return post("api/experiments", body);
    }

    /** The grokking forecast: {@code latest}, {@code summary}, {@code stopReason} and one per snapshot in {@code history}. */
    public JsonNode forecast(String id) {
        return get("api/experiments/" + encode(id) + "/forecast");
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
     * {@code GET /api/experiments/{id}/retrospective}: restricted and excluded loss of every stored snapshot with the
     * given key frequencies, measured by the analysis service behind the gateway. Waits up to 16 minutes: the gateway
     * gives the analysis service 15 (its {@code analysis-timeout-millis}) and answers 503 after that.
     */
    public JsonNode retrospective(String id, List<Integer> frequencies) {
        String query = String.join(",", frequencies.stream().map(String::valueOf).toList());
        return send(request("api/experiments/" + encode(id) + "/retrospective?frequencies=" + encode(query))
                .timeout(RETROSPECTIVE_TIMEOUT).GET().build());
    }

    public JsonNode task(String taskId) {
        return get("api/tasks/" + encode(taskId));
    }

    /** The named create bodies with every field written out ({@code nanda}: what an empty body trains). */
    public JsonNode presets() {
        return get("api/presets");
    }

    /** An experiment's status (of a summary, a detail or a stream's state event); empty for a word not known here. */
    public static Optional<ExperimentStatus> statusOf(JsonNode experiment) {
        return ExperimentStatus.of(experiment.path("status").asText());
    }

    /** {@code POST /api/webhooks}: a webhook for the team's alerts; the answer holds its secret, shown this once. */
    public JsonNode addWebhook(String url, List<String> events, String experimentId) {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        events.forEach(body.putArray("events")::add);
        if (experimentId != null) {
            body.put("experimentId", experimentId);
        }
        return post("api/webhooks", body);
    }

    /** The team's webhooks, each with its last delivery attempt. */
    public JsonNode webhooks() {
        return get("api/webhooks");
    }

    /** {@code DELETE /api/webhooks/{id}}. */
    public void removeWebhook(String id) {
        send(request("api/webhooks/" + encode(id)).DELETE().build());
    }

    /** A webhook's delivery log, newest attempt first. */
    public JsonNode webhookDeliveries(String id) {
        return get("api/webhooks/" + encode(id) + "/deliveries");
    }

    /** {@code POST /api/webhooks/{id}/test}: a ping delivery now; the answer names its delivery id. */
    public JsonNode testWebhook(String id) {
        return send(request("api/webhooks/" + encode(id) + "/test").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    private JsonNode post(String path, ObjectNode body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json").build());
    }

    /** The gateway answered {@code status} >= 400: its {@code error} (and {@code field}) from {@code body}. */
    private static GatewayException refused(HttpRequest request, int status, String body) {
        return new GatewayException(status, request.method() + " " + request.uri().getPath() + ": HTTP " + status + ": "
                + errorText(body));
    }

    private static GatewayException unreachable(HttpRequest request) {
        return new GatewayException(0, "cannot reach the gateway at " + request.uri().getHost() + ":"
                + request.uri().getPort() + " (is the platform running? ./grokstream up)");
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
                    throw refused(request, response.statusCode(), response.body());
                }
                return JSON.readTree(response.body());
            } catch (ConnectException e) {
                throw unreachable(request);
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
