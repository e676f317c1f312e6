package io.grokstream.reliability;

import io.grokstream.contracts.ServiceCredential;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 6 at the internal services' ports: the dataset, trainer, analysis and router services answer only
 * requests that carry the service key in the {@value ServiceCredential#HEADER} header, their health checks
 * excepted (README, "Internal services and the service key"). One {@link ServiceDoor} line per service.
 */
final class InternalPorts {
    /**
     * A route of each service behind the key. The trainer and the router serve nothing but their health checks, so
     * any other path is behind the key there: with it, they answer 404.
     */
    static final Map<String, String> ROUTES = routes();
    static final String WRONG_KEY = "not-the-service-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private InternalPorts() {
    }

    static void run(Reliability.Context ctx, Outcome out) {
        String key = ServiceCredential.fromEnvironment(System.getenv()).orElseThrow(
                () -> new IllegalStateException("no service key (" + ServiceCredential.sources() + ")"));
        for (Map.Entry<String, String> e : ROUTES.entrySet()) {
            String base = ctx.urlOf(e.getKey());
            ServiceDoor door = new ServiceDoor(e.getKey() + " (:" + URI.create(base).getPort() + ")",
                    "GET " + e.getValue(), status(base + e.getValue(), null), status(base + e.getValue(), WRONG_KEY),
                    status(base + e.getValue(), key), status(base + ServiceDoor.HEALTH, null));
            out.check(door.line(), door.held());
        }
        out.figure("internalPortRequests", 4 * ROUTES.size());
    }

    /** The status of a GET with {@code serviceKey} in the header (none when null); -1 when no HTTP answer came. */
    private static int status(String url, String serviceKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (serviceKey != null) {
            b.header(ServiceCredential.HEADER, serviceKey);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            Reliability.log("  GET %s: %s", url, e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> routes() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("dataset", "/tasks");
        r.put("trainer", "/");
        r.put("analysis", "/admin/gaps");
        r.put("router", "/");
        return Collections.unmodifiableMap(r);
    }
}
