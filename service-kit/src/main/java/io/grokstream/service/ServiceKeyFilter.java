package io.grokstream.service;

import io.grokstream.contracts.ServiceCredential;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Closes every HTTP route of an internal service, {@code /q/*} included, to requests without the service key in the
 * {@value ServiceCredential#HEADER} header: 401 when it is missing, 403 when it is wrong, in the platform's error
 * shape {@code {"error", "field"}}. Only the health checks ({@value #HEALTH} and below) stay open, for the process
 * supervisors. The key may also come as {@code Authorization: Bearer <key>}, which is what a metrics scraper
 * (Prometheus, a ServiceMonitor's bearer token) can send. A Vert.x filter, so it runs before any route, REST resource or not. Off where
 * {@value #ENABLED} is false: the gateway, whose {@code /api} has its own team keys.
 */
@Singleton
class ServiceKeyFilter {
    static final String ENABLED = "grokstream.service-auth.enabled";
    static final String HEALTH = "/q/health";
    private static final String BEARER = "Bearer ";
    /** Ahead of every other filter. */
    static final int PRIORITY = 100_000;
    private static final Logger LOG = Logger.getLogger(ServiceKeyFilter.class);

    void register(@Observes Filters filters, @ConfigProperty(name = ENABLED, defaultValue = "true") boolean enabled,
                  ServiceKey key) {
        if (enabled) {
            filters.register(request -> check(request, key), PRIORITY);
        } else {
            LOG.infof("%s=false: no service key required on this service's routes", ENABLED);
        }
    }

    private static void check(RoutingContext request, ServiceKey key) {
        String path = request.normalizedPath();
        if (path.equals(HEALTH) || path.startsWith(HEALTH + "/")) {
            request.next();
            return;
        }
        String presented = presented(request);
        if (presented == null) {
            refuse(request, 401, "this internal endpoint needs the service key in the " + ServiceCredential.HEADER
                    + " header (or as a bearer token)");
        } else if (!key.matches(presented)) {
            refuse(request, 403, "the " + ServiceCredential.HEADER + " header does not hold this deployment's service key");
        } else {
            request.next();
        }
    }

    /** The key in {@value ServiceCredential#HEADER}, else a bearer token, else null. */
    private static String presented(RoutingContext request) {
        String key = request.request().getHeader(ServiceCredential.HEADER);
        String authorization = request.request().getHeader("Authorization");
        if (key == null && authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        return key;
    }

    private static void refuse(RoutingContext request, int status, String error) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", error).put("field", ServiceCredential.HEADER).encode());
    }
}
