package io.grokstream.gateway.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error shape of the API: what went wrong and which field (null when no single field is at fault). */
public record ApiError(String error, String field) {

    public static Response response(int status, String error, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(error, field)).build();
    }
}
