package io.grokstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ServiceCredential;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.service.ServiceKey;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One of the platform's internal services (dataset, analysis) as the gateway calls it: every request with the
 * service key, JSON back. What the gateway's caller cannot fix is a 503 (the service unreachable, failing, or
 * refusing the gateway's key: the deployment's keys differ); a 4xx comes back to the client that called as an
 * {@link Answer} for it to word.
 */
public final class InternalService {

    /** A 2xx or 4xx answer: its status, its JSON body (null when none or not JSON) and the raw text. */
    public record Answer(int status, JsonNode body, String raw) {
        public boolean clientError() {
            return status >= 400 && status < 500;
        }

        /** The service's {@code error} text, else its raw answer. */
        public String error() {
            return body != null && body.hasNonNull("error") ? body.get("error").asText() : raw;
        }

        /** The service's {@code field}, or null. */
        public String field() {
            return body != null && body.hasNonNull("field") ? body.get("field").asText() : null;
        }
    }

    private final String name;
    private final String baseUrl;
    private final Duration timeout;
    private final ServiceKey key;
    private final String field;
    private final HttpClient http;

    /**
     * @param name    how errors name it ({@code dataset service})
     * @param field   the request field a 503 names, or null
     */
    public InternalService(String name, String baseUrl, Duration timeout, Duration connectTimeout, ServiceKey key,
                           String field) {
        this.name = name;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.key = key;
        this.field = field;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    /** {@code path} (with its query) on the service. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout).header("Accept", "application/json")
                .header(ServiceCredential.HEADER, key.value());
    }

    /**
     * Sends a request made by {@link #request}.
     *
     * @param what the path as errors name it
     * @throws ApiException 503 when the service cannot be reached, refuses the key or answers neither 2xx nor 4xx
     */
    public Answer send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable(name + " unavailable at " + baseUrl + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while calling the " + name);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw unavailable("the " + name + " at " + baseUrl + " refused the gateway's service key (HTTP " + status + ")");
        }
        if (status >= 300 && status < 400 || status >= 500) {
            throw unavailable(name + " answered " + status + " at " + baseUrl + what);
        }
        return new Answer(status, parse(response.body()), response.body());
    }

    private ApiException unavailable(String error) {
        return new ApiException(503, error, field);
    }

    private static JsonNode parse(String s) {
        try {
            return s == null || s.isBlank() ? null : EventCodec.JSON.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }
}
