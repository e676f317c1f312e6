package io.grokstream.gateway.api;

/**
 * A request the gateway refuses, with the HTTP status, what is wrong and the offending field (or {@code null}).
 * Mapped to {@code {"error": "...", "field": "..."}} by {@link ApiExceptionMappers}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String error, String field) {
        super(error);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String error) {
        return new ApiException(400, error, field);
    }

    public static ApiException notFound(String field, String error) {
        return new ApiException(404, error, field);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
