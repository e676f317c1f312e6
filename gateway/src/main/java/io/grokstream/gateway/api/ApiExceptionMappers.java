package io.grokstream.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Turns every failure into the API's JSON error shape, so no client ever has to parse an HTML page. */
public class ApiExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return ApiError.response(e.status(), e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = null;
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        return ApiError.response(400, "malformed JSON body: " + e.getOriginalMessage(), field);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException json) {
                return json(json);
            }
        }
        if (e.getResponse() != null && e.getResponse().getStatus() == 400 && e.getCause() == null) {
            return ApiError.response(400, "malformed request: the body must be valid JSON and parameters well-formed",
                    null);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String message = e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase() : e.getMessage();
        return ApiError.response(status, message, null);
    }

    @ServerExceptionMapper
    public Response illegal(IllegalArgumentException e) {
        return ApiError.response(400, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return ApiError.response(500, "internal error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), null);
    }
}
