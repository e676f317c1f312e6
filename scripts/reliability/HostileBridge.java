package io.grokstream.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URL;
import java.util.List;

/**
 * Opens the gateway test's {@link HostileRequests} generator (package-private there) to the reliability driver, so
 * the live gateway is attacked with exactly the corpus the CI test uses.
 */
public final class HostileBridge {
    /** One documented operation. */
    public record Endpoint(String method, String template, boolean hasBody, boolean streams) {
    }

    /** One probe of the corpus. */
    public record Probe(String method, String path, byte[] body, String contentType, String what) {
    }

    /** An answer: status and body (empty for an event stream). */
    public record Answer(int status, byte[] body) {
    }

    private HostileBridge() {
    }

    public static List<Endpoint> endpoints(JsonNode openapi) {
        return HostileRequests.endpoints(openapi).stream()
                .map(e -> new Endpoint(e.method(), e.template(), e.hasBody(), e.streams())).toList();
    }

    public static List<Probe> corpus(JsonNode openapi, String validId) {
        return HostileRequests.corpus(HostileRequests.endpoints(openapi), validId).stream()
                .map(p -> new Probe(p.method(), p.path(), p.body(), p.contentType(), p.what())).toList();
    }

    public static Answer send(URL base, String method, String path, byte[] body, String contentType, String key) {
        HostileRequests.Answer a = HostileRequests.send(base, method, path, body, contentType, key);
        return new Answer(a.status(), a.body());
    }

    /** The JSON {@code error} of a body, or null. */
    public static String errorOf(byte[] body) {
        return HostileRequests.errorOf(body);
    }
}
