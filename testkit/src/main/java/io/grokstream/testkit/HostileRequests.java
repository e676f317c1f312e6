package io.grokstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Generates malformed and hostile requests for every endpoint the gateway documents in its OpenAPI document, so
 * an endpoint added later is attacked too (Reliability, scenario 5). Each probe says what it tries.
 */
public final class HostileRequests {

    /** One request: method, path with query, body (or null), content type, and what it tries. */
    public record Probe(String method, String path, byte[] body, String contentType, String what) {
        @Override
        public String toString() {
            return method + " " + (path.length() > 120 ? path.substring(0, 120) + "..." : path) + " [" + what + "]";
        }
    }

    /** An operation of the OpenAPI document. */
    public record Endpoint(String method, String template, boolean hasBody, boolean streams) {
    }

    /** Hostile values for path segments: traversal, injection, junk, oversize. */
    public static final List<String> HOSTILE_IDS = List.of(
            "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "....%2F%2F", "%00", "exp-%00", "%27%20OR%20%271%27%3D%271",
            "1%3B%20DROP%20TABLE%20experiments", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%E2%80%AE%F0%9F%92%A9%EF%BF%BF",
            "%C0%AF", "-1", "99999999999999999999999", "1e309", "NaN", "x".repeat(5000), "%20", "null", "%7Bid%7D");

    /** Hostile query parameters. */
    public static final List<String> HOSTILE_QUERIES = List.of(
            "maxPoints=-1", "maxPoints=99999999999999999999", "maxPoints=abc", "maxPoints=1e309", "maxPoints=",
            "ids=" + "a,".repeat(2000), "ids=%27%20OR%201%3D1--", "metric=%3Cscript%3E", "metric=../../x",
            "team=%00", "key=");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(10)).build();

    /** An answer: status and body; the body of an event stream is not read (it never ends). */
    public record Answer(int status, byte[] body) {
    }

    /**
     * Sends one request. Event streams are closed right after their headers; a connection the server closes on
     * an oversized body counts as its refusal (HTTP 413).
     */
    public static Answer send(java.net.URL base, String method, String path, byte[] body, String contentType, String key) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base.toString().replaceAll("/$", "") + path)).timeout(java.time.Duration.ofSeconds(30));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            var response = HTTP.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            try (var in = response.body()) {
                boolean stream = response.headers().firstValue("Content-Type").orElse("").contains("event-stream");
                return new Answer(response.statusCode(), stream ? new byte[0] : in.readAllBytes());
            }
        } catch (java.io.IOException e) {
            if (body != null && body.length > 2 * 1024 * 1024) {
                return new Answer(413, new byte[0]);
            }
            throw new AssertionError("connection failed for " + method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HostileRequests() {
    }

    /** The documented operations under /api. */
    public static List<Endpoint> endpoints(JsonNode openapi) {
        List<Endpoint> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                boolean streams = path.getKey().endsWith("/stream")
                        || op.getValue().path("responses").toString().contains("text/event-stream");
                out.add(new Endpoint(method, path.getKey(), op.getValue().has("requestBody"), streams));
            }
        }
        return out;
    }

    /**
     * The corpus: hostile ids in every path parameter, hostile query strings, and for endpoints with a body:
     * wrong types, huge and negative numbers, deep nesting, oversized bodies, junk encodings and injection strings
     * in otherwise invalid requests. {@code validId} fills the path parameters the probe is not about.
     */
    public static List<Probe> corpus(List<Endpoint> endpoints, String validId) {
        List<Probe> probes = new ArrayList<>();
        for (Endpoint e : endpoints) {
            boolean hasParams = e.template().contains("{");
            if (hasParams) {
                for (String id : HOSTILE_IDS) {
                    probes.add(new Probe(e.method(), fill(e.template(), id), e.hasBody() ? "{}".getBytes() : null,
                            "application/json", "hostile path parameter " + abbreviate(id)));
                }
            }
            if (!e.streams() || hasParams) {
                String base = hasParams ? fill(e.template(), "exp-doesnotexist") : e.template();
                for (String q : HOSTILE_QUERIES) {
                    // with a body, an invalid one: the probe is about the query, and must not create anything
                    probes.add(new Probe(e.method(), base + "?" + q, e.hasBody() ? "{\"seed\": \"abc\"}".getBytes() : null,
                            "application/json", "hostile query " + abbreviate(q)));
                }
            }
            if (e.hasBody()) {
                String path = hasParams ? fill(e.template(), validId) : e.template();
                for (Map.Entry<String, byte[]> body : bodies().entrySet()) {
                    if (hasParams && body.getValue().length <= 4 && !body.getKey().equals("JSON array")) {
                        continue; // an empty or null body on an action (cancel, clone as it is) is a valid request
                    }
                    probes.add(new Probe(e.method(), path, body.getValue(), "application/json", body.getKey()));
                }
                probes.add(new Probe(e.method(), path, "x=1&y=2".getBytes(), "application/x-www-form-urlencoded",
                        "form body where JSON is expected"));
                probes.add(new Probe(e.method(), path, "<xml/>".getBytes(), "application/xml", "XML body"));
            }
        }
        return probes;
    }

    /** Bodies every JSON endpoint must refuse, by what they try. */
    public static Map<String, byte[]> bodies() {
        Map<String, byte[]> b = new java.util.LinkedHashMap<>();
        b.put("empty body", new byte[0]);
        b.put("not JSON", "{not json".getBytes());
        b.put("JSON null", "null".getBytes());
        b.put("JSON array", "[1,2,3]".getBytes());
        b.put("JSON string", "\"hello\"".getBytes());
        b.put("truncated JSON", "{\"taskId\": \"modular".getBytes());
        b.put("deep JSON (5000 levels)", ("{\"a\":".repeat(5000) + "1" + "}".repeat(5000)).getBytes());
        b.put("deep array (20000 levels)", ("[".repeat(20000) + "]".repeat(20000)).getBytes());
        b.put("10 MB body", ("{\"name\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}").getBytes());
        b.put("invalid UTF-8", new byte[]{'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        b.put("wrong type: seed as string", "{\"taskId\": \"nope-task\", \"seed\": \"abc\"}".getBytes());
        b.put("wrong type: model as array", "{\"model\": [1, 2]}".getBytes());
        b.put("wrong type: budget as number", "{\"budget\": 5}".getBytes());
        b.put("huge number: dModel 1e12", "{\"model\": {\"dModel\": 1000000000000}}".getBytes());
        b.put("huge number: maxSteps 1e30", "{\"budget\": {\"maxSteps\": 1e30}}".getBytes());
        b.put("huge integer literal", "{\"seed\": 123456789012345678901234567890123456789}".getBytes());
        b.put("negative size: dMlp -5", "{\"model\": {\"dMlp\": -5}}".getBytes());
        b.put("negative size: nHeads 0", "{\"model\": {\"nHeads\": 0}}".getBytes());
        b.put("negative lr", "{\"optimizer\": {\"lr\": -1}}".getBytes());
        b.put("NaN literal", "{\"optimizer\": {\"lr\": NaN}}".getBytes());
        b.put("infinite weight decay", "{\"optimizer\": {\"weightDecay\": 1e400}}".getBytes());
        b.put("unknown grokfast kind", "{\"grokfast\": {\"kind\": \"turbo\"}}".getBytes());
        b.put("unknown task id", "{\"taskId\": \"no-such-task\"}".getBytes());
        b.put("path traversal task id", "{\"taskId\": \"../../etc/passwd\"}".getBytes());
        b.put("SQL injection task id", "{\"taskId\": \"' OR 1=1; DROP TABLE tasks; --\"}".getBytes());
        b.put("JS injection in name, unknown task", "{\"name\": \"<script>alert(1)</script>\", \"taskId\": \"x<img src=x onerror=alert(1)>\"}".getBytes());
        b.put("unicode junk name, unknown task", "{\"name\": \"\\u202e\\uD83D\\uDCA9\\uFFFF\\u0000\", \"taskId\": \"\\u0000\"}".getBytes(StandardCharsets.UTF_8));
        b.put("10k-char name, unknown task", ("{\"name\": \"" + "n".repeat(10_000) + "\", \"taskId\": \"missing\"}").getBytes());
        b.put("tokens out of vocabulary", "{\"tokens\": [[999999, -1, 3]]}".getBytes());
        b.put("tokens wrong type", "{\"tokens\": \"0 1 2\"}".getBytes());
        b.put("tokens ragged", "{\"tokens\": [[0, 1, 7], [0]]}".getBytes());
        b.put("inputs with huge x", "{\"inputs\": [{\"x\": 1e20, \"y\": 1}]}".getBytes());
        b.put("sweep grid too large", ("{\"base\": {}, \"grid\": {\"optimizer.weightDecay\": " + range(1000) + "}}").getBytes());
        b.put("sweep grid on unknown parameter", "{\"base\": {}, \"grid\": {\"model.__proto__\": [1, 2]}}".getBytes());
        b.put("prototype pollution keys", "{\"__proto__\": {\"admin\": true}, \"constructor\": {\"prototype\": 1}}".getBytes());
        b.put("duplicate keys", "{\"seed\": 1, \"seed\": \"two\"}".getBytes());
        return b;
    }

    /** The body text of a JSON error (null when the body is not JSON with a non-blank "error"). */
    public static String errorOf(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            String error = node == null ? null : node.path("error").asText(null);
            return error == null || error.isBlank() ? null : error;
        } catch (Exception e) {
            return null;
        }
    }

    private static String fill(String template, String value) {
        return template.replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(value));
    }

    private static String range(int n) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append(i * 0.001);
        }
        return s.append(']').toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
