package io.grokstream.gateway.auth;

import io.grokstream.gateway.GatewayConfig;
import io.grokstream.gateway.api.ApiError;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards {@code /api}: every request names a known key (header {@code X-API-Key}, or query parameter
 * {@code key} for EventSource and download links, which cannot set headers), stays under the body limit, and
 * under its key's rate limit. Refusals are the API's JSON errors: 401, 413, 429.
 */
public class AuthFilter {
    public static final String HEADER = "X-API-Key";
    public static final String QUERY = "key";

    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final RequestCaller requestCaller;
    private final long maxBodyBytes;

    public AuthFilter(ApiKeys keys, RateLimiter limiter, RequestCaller requestCaller, GatewayConfig config) {
        this.keys = keys;
        this.limiter = limiter;
        this.requestCaller = requestCaller;
        this.maxBodyBytes = config.maxBodyBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public Response filter(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (!path.startsWith("/api/") && !path.equals("/api")) {
            return null;
        }
        String key = ctx.getHeaderString(HEADER);
        String field = HEADER;
        if (key == null || key.isBlank()) {
            key = ctx.getUriInfo().getQueryParameters().getFirst(QUERY);
            field = QUERY;
        }
        if (key == null || key.isBlank()) {
            return ApiError.response(401, "missing API key: send header X-API-Key or query parameter key", HEADER);
        }
        var caller = keys.resolve(key.trim());
        if (caller.isEmpty()) {
            return ApiError.response(401, "unknown API key", field);
        }
        String length = ctx.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    return ApiError.response(413, "request body of " + length.trim() + " bytes exceeds the limit of "
                            + maxBodyBytes + " bytes", "body");
                }
            } catch (NumberFormatException e) {
                return ApiError.response(400, "Content-Length is not a number", HttpHeaders.CONTENT_LENGTH);
            }
        }
        if (!limiter.tryAcquire(caller.get().keyId())) {
            return Response.fromResponse(ApiError.response(429, "rate limit exceeded for this API key; retry later",
                    field)).header("Retry-After", limiter.retryAfterSeconds()).build();
        }
        requestCaller.set(caller.get());
        return null;
    }
}
