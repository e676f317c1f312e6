package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grokstream.client.GatewayClient;
import io.grokstream.contracts.ServiceCredential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner against a gateway that restarts: until its views have folded the topics it is not ready and answers
 * 404 for experiments that exist (an HTTP server speaking the gateway's protocol; the platform itself is exercised by
 * the reproduction runs).
 */
class StudyRunnerTest {
    @TempDir
    Path state;

    private HttpServer server;
    private final AtomicInteger readinessCalls = new AtomicInteger();
    private final AtomicInteger submissions = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void waitsForARestartingGatewaysViewsAndReusesTheRunInsteadOfSubmittingADuplicate() throws Exception {
        StudyRun run = Fixtures.run("a");
        ObjectNode detail = Fixtures.detail("exp-1", "completed", 100, Map.of()).put("name", run.name());
        detail.set("config", run.request());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/health/ready", x -> reply(x, readinessCalls.incrementAndGet() <= 2 ? 503 : 200, "{}"));
        server.createContext("/api/experiments", x -> {
            boolean ready = readinessCalls.get() > 2;
            String path = x.getRequestURI().getPath();
            if ("POST".equals(x.getRequestMethod())) {
                submissions.incrementAndGet();
                reply(x, 202, "{\"experimentId\":\"exp-duplicate\"}");
            } else if (path.equals("/api/experiments")) {
                reply(x, 200, ready ? "[{\"experimentId\":\"exp-1\",\"name\":\"" + run.name() + "\",\"status\":\"completed\"}]" : "[]");
            } else if (ready && path.equals("/api/experiments/exp-1")) {
                reply(x, 200, detail.toString());
            } else {
                reply(x, 404, "{\"error\":\"no experiment\",\"field\":\"experimentId\"}");
            }
        });
        server.start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        GatewayClient gateway = new GatewayClient("http://127.0.0.1:" + server.getAddress().getPort(), "demo-key");
        StudyRunner runner = new StudyRunner(gateway, state, new PrintStream(log, true), 10);

        Map<String, String> ids = runner.start(study(), Scale.REDUCED, List.of(run), false);

        assertEquals(Map.of("a", "exp-1"), ids);
        assertEquals(0, submissions.get(), "no duplicate submitted while the views were rebuilding");
        assertTrue(log.toString().contains("waiting for the gateway to be ready"), log.toString());
    }

    @Test
    void asksTheGatewayWithTheTeamKeyOnlyForStudiesThatReadRetrospectiveMeasures() throws Exception {
        StudyRun run = Fixtures.run("a");
        AtomicInteger retrospectives = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/experiments/exp-1", x -> {
            String path = x.getRequestURI().getPath();
            if (path.endsWith("/retrospective")) {
                if (!"demo-key".equals(x.getRequestHeaders().getFirst("X-API-Key"))
                        || x.getRequestHeaders().containsKey(ServiceCredential.HEADER)
                        || !"frequencies=3,7".equals(x.getRequestURI().getQuery())) {
                    reply(x, 400, "{\"error\":\"not the team key alone, or not the final key frequencies\"}");
                    return;
                }
                retrospectives.incrementAndGet();
                reply(x, 200, "{\"frequencies\":[3,7],\"points\":[]}");
            } else if (path.endsWith("/measures/latest")) {
                reply(x, 200, "{\"step\":100,\"scalars\":{\"restricted_loss\":0.1},\"keyFrequencies\":[3,7]}");
            } else if (path.endsWith("/metrics") || path.endsWith("/measures")) {
                reply(x, 200, "[]");
            } else {
                reply(x, 200, Fixtures.detail("exp-1", "completed", 100, Map.of()).toString());
            }
        });
        server.createContext("/api/tasks/task-1", x -> reply(x, 200, "{}"));
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        StudyRunner runner = new StudyRunner(new GatewayClient(url, "demo-key"), state,
                new PrintStream(new ByteArrayOutputStream(), true), 10);

        runner.collect(List.of(run), Map.of("a", "exp-1"), false);
        assertEquals(0, retrospectives.get(), "a study that does not read them costs the analysis service nothing");
        Map<String, RunData> data = runner.collect(List.of(run), Map.of("a", "exp-1"), true);
        assertEquals(1, retrospectives.get());
        assertEquals(List.of(3, 7), data.get("a").retrospectiveFrequencies());
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private static Study study() {
        return new Study() {
            public String name() {
                return "restart";
            }

            public String title() {
                return "restart";
            }

            public String summary() {
                return "";
            }

            public String scaleNote(Scale scale) {
                return "";
            }

            public List<StudyRun> runs(Scale scale) {
                return List.of(Fixtures.run("a"));
            }

            public void analyse(Map<String, RunData> runs, Scale scale, Report report) {
            }
        };
    }
}
