package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokstream.contracts.ServiceCredential;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The driver's client for the live gateway: JSON requests with an API key, answers with status, body and latency.
 * A 429 (rate limit) is waited out and retried, so every call gets the gateway's real answer. For an internal
 * service ({@link #internal}) every request carries the service key.
 */
final class Api {
    static final String DEMO = "demo-key";
    static final String RIVAL = "rival-key";
    static final String ADMIN = "admin-key";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer; {@code millis} is the round trip of the last attempt. */
    record Answer(int status, String body, double millis, int rateLimited) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (HTTP " + status + "): " + body, e);
            }
        }
    }

    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String serviceKey;

    Api(String base) {
        this(base, null);
    }

    private Api(String base, String serviceKey) {
        this.base = base.replaceAll("/$", "");
        this.serviceKey = serviceKey;
    }

    /** An internal service (dataset, trainer, analysis), asked with the service key the environment holds. */
    static Api internal(String base) {
        return new Api(base, ServiceCredential.fromEnvironment(System.getenv()).orElseThrow(
                () -> new IllegalStateException("no service key (" + ServiceCredential.sources() + ")")));
    }

    Answer get(String path, String key) {
        return send("GET", path, null, key);
    }

    Answer post(String path, String key, String json) {
        return send("POST", path, json, key);
    }

    Answer send(String method, String path, String json, String key) {
        int limited = 0;
        while (true) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            if (key != null) {
                b.header("X-API-Key", key);
            }
            if (serviceKey != null) {
                b.header(ServiceCredential.HEADER, serviceKey);
            }
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                double ms = (System.nanoTime() - t0) / 1e6;
                if (r.statusCode() == 429 && limited < 100) {
                    limited++;
                    sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
                    continue;
                }
                return new Answer(r.statusCode(), r.body(), ms, limited);
            } catch (IOException e) {
                return new Answer(-1, e.toString(), (System.nanoTime() - t0) / 1e6, limited);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** GET that must answer 200; its JSON. */
    JsonNode read(String path, String key) {
        Answer a = get(path, key);
        if (a.status() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + a.status() + ": " + a.body());
        }
        return a.json();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
