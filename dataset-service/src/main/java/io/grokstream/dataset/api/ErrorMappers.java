package io.grokstream.dataset.api;

import io.grokstream.dataset.generate.InvalidRequestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns refusals into JSON errors {@code {"error", "field"}}: a broken rule into its status (400, 404, 413), a
 * failed publish into 503 (nothing was acknowledged, so the task does not exist yet and the caller may retry).
 */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(e.getMessage(), e.field())).build();
    }

    @ServerExceptionMapper
    public Response publishFailed(IllegalStateException e) {
        LOG.error("request failed", e);
        return Response.status(503).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody("the task could not be published: " + e.getMessage(), "kafka")).build();
    }
}
