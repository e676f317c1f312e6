package io.grokstream.analysis.api;

import jakarta.ws.rs.core.Response;

import java.util.Map;

/** The admin endpoints' error body, as the gateway's API writes it: {@code {"error": what was wrong, "field": where}}. */
final class AdminError {
    private AdminError() {
    }

    static Response of(int status, String message, String field) {
        return Response.status(status).entity(Map.of("error", message, "field", field)).build();
    }
}
