package io.grokstream.reliability;

import io.grokstream.contracts.Topics;
import io.grokstream.testkit.HostileRequests;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 6, team isolation at three doors, with demo's private experiment (a real one, with checkpoints):
 * <ul>
 *   <li>the gateway: every documented endpoint tried with no key, a wrong key and the other team's key: 401 without
 *       a valid key, 404 (as for a missing id) for the rival, the rival's listings, comparisons and team stream never
 *       show it, admin endpoints refuse team keys, nothing published;</li>
 *   <li>Kafka ({@link KafkaIsolation}): demo reads the experiment's events on its team topic; an anonymous client, a
 *       wrong password, the rival team (demo's topic, every internal topic) and a service writing a topic it does not
 *       own are refused;</li>
 *   <li>the internal services' ports ({@link InternalPorts}): 401 without the service key, 403 with a wrong one,
 *       the health checks open.</li>
 * </ul>
 */
final class Isolation {
    /** What the scenario covers, for its section of the report. */
    static final String COVERS = "Covers three doors with demo's private experiment: the gateway (every documented "
            + "endpoint with no key, a wrong key and the rival's key), the Kafka client listener (SASL/SCRAM and ACLs: "
            + "demo reads the experiment's events on its team topic; an anonymous client, a wrong password, the rival "
            + "team on demo's topic and on every internal topic, and the gateway writing the training topic are "
            + "refused), and the internal services' ports (dataset, trainer, analysis, router: 401 without the service "
            + "key, 403 with a wrong one, /q/health open).";

    static void run(Reliability.Context ctx, Outcome out) throws Exception {
        out.note(COVERS);
        String secret = ctx.recalled("s1");
        gateway(ctx, secret, out);
        KafkaIsolation.run(ctx.platform(), secret, out);
        InternalPorts.run(ctx, out);
    }

    /** The gateway's door: every documented endpoint with no key, a wrong key and the rival's key. */
    private static void gateway(Reliability.Context ctx, String secret, Outcome out) throws Exception {
        URL base = new URL(ctx.api().base + "/");
        long step = ctx.api().read("/api/experiments/" + secret + "/checkpoints", Api.DEMO).get(0).path("step").asLong();
        List<HostileRequests.Endpoint> endpoints = HostileRequests.endpoints(ctx.api().read("/q/openapi?format=json", null));
        long experimentsBefore = ctx.platform().endOffsets(Topics.EXPERIMENTS);
        List<String> leaks = new ArrayList<>();
        int tried = 0;
        for (HostileRequests.Endpoint e : endpoints) {
            if (e.template().startsWith("/api/admin") || (e.streams() && !e.template().contains("{"))) {
                continue;
            }
            String path = e.template().replaceAll("\\{[^}]*(step)[^}]*}", Long.toString(step)).replaceAll("\\{[^}]+}", secret);
            if (e.template().contains("compare")) {
                path += "?ids=" + secret + "&metric=validationAccuracy";
            }
            String body = !e.hasBody() ? null : e.template().endsWith("/infer") ? "{\"tokens\": [[1, 2, 23]]}"
                    : e.template().contains("sweeps") ? "{\"base\": {\"taskId\": \"" + ctx.api().read("/api/experiments/" + secret, Api.DEMO).path("taskId").asText()
                    + "\"}, \"grid\": {\"seed\": [1, 2]}}" : "{}";
            boolean creates = e.method().equals("POST") && !e.template().contains("{");
            boolean listing = !e.template().contains("{") && !e.template().contains("compare");
            for (String key : new String[]{null, "wrong-key", Api.RIVAL}) {
                if (creates && Api.RIVAL.equals(key)) {
                    continue;
                }
                tried++;
                HostileRequests.Answer r = send(base, e.method(), path, body, key);
                String text = new String(r.body(), StandardCharsets.UTF_8);
                int expected = key == null || key.equals("wrong-key") ? 401 : 404;
                if (listing && Api.RIVAL.equals(key)) {
                    if (text.contains(secret) || (r.status() >= 300 && r.status() != 400 && r.status() != 404)) {
                        leaks.add(e.method() + " " + path + " as rival: " + r.status());
                    }
                } else if (r.status() != expected) {
                    leaks.add(e.method() + " " + path + " with " + (key == null ? "no key" : key) + ": " + r.status()
                            + " (expected " + expected + ") " + HostileCorpus.abbreviate(text));
                }
                Api.sleep(40);
            }
        }
        for (HostileRequests.Endpoint e : endpoints) {
            if (e.template().startsWith("/api/admin")) {
                for (String key : new String[]{Api.DEMO, Api.RIVAL}) {
                    tried++;
                    int status = send(base, e.method(), e.template(), e.hasBody() ? "{}" : null, key).status();
                    if (status != 403 && status != 404) {
                        leaks.add(e.method() + " " + e.template() + " as a team: " + status);
                    }
                }
            }
        }
        tried++;
        String teamStream = firstEvent(ctx, "/api/stream?key=" + Api.RIVAL);
        if (teamStream.contains(secret) || !teamStream.startsWith("[")) {
            leaks.add("the rival's team stream shows demo's experiment or no state: " + HostileCorpus.abbreviate(teamStream));
        }
        out.figure("endpoints", endpoints.size());
        out.figure("requests", tried);
        out.check("no endpoint reads, changes, exports or infers another team's experiment", leaks.isEmpty());
        if (!leaks.isEmpty()) {
            out.note("leaks: " + leaks);
        }
        out.check("nothing published", ctx.platform().endOffsets(Topics.EXPERIMENTS) == experimentsBefore);
    }

    private static HostileRequests.Answer send(URL base, String method, String path, String body, String key) {
        for (int i = 0; ; i++) {
            HostileRequests.Answer a = HostileRequests.send(base, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                    "application/json", key);
            if (a.status() != 429 || i > 30) {
                return a;
            }
            Api.sleep(1000);
        }
    }

    /** The data of a stream's first event ({@code state}). */
    static String firstEvent(Reliability.Context ctx, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(ctx.api().base + path)).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<java.io.InputStream> r = ctx.api().http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data:")) {
                    return line.substring(5).trim();
                }
            }
        }
        return "";
    }
}
