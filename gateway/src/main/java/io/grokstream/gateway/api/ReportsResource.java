package io.grokstream.gateway.api;

import io.grokstream.gateway.GatewayConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the reports {@code ./grokstream reproduce} writes (reports/index.html, reports/&lt;study&gt;/report.html,
 * figures, results.json), so the dashboard can link to them. Reports are published science about the platform's
 * reproductions, not a team's private work: like the dashboard's own files they need no key. Only plain files
 * under the configured directory with safe names and known extensions are served; anything else is a 404.
 */
@Path("/reports")
public class ReportsResource {
    /** One path segment: letters, digits, dot, dash, underscore; never starting with a dot. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json",
            "md", "text/markdown; charset=utf-8");
    /** Report pages are static: no scripts, images and styles from here only. */
    private static final String POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

    private final java.nio.file.Path root;

    public ReportsResource(GatewayConfig config) {
        this.root = java.nio.file.Path.of(config.reportsDirectory()).toAbsolutePath().normalize();
    }

    @GET
    public Response index() {
        return file("index.html");
    }

    @GET
    @Path("{path: .+}")
    public Response file(@PathParam("path") String path) {
        String[] segments = path.split("/", -1);
        if (segments.length > 3) {
            return notFound(path);
        }
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                return notFound(path);
            }
        }
        String name = segments[segments.length - 1];
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        java.nio.file.Path file = root.resolve(path).normalize();
        if (type == null || !file.startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return notFound(path);
        }
        return Response.ok(file.toFile(), type).header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private static Response notFound(String path) {
        return ApiError.response(404, "no report file '" + (path.length() > 200 ? path.substring(0, 200) + "..." : path)
                + "' (run ./grokstream reproduce NAME to write reports)", "path");
    }
}
