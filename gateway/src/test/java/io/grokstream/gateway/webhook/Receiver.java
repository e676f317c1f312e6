package io.grokstream.gateway.webhook;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local webhook receiver on the JDK's HTTP server: keeps every request it is sent (headers, body, arrival time) and
 * answers with the statuses it is told, in order, then 200.
 */
public final class Receiver implements AutoCloseable {
    /** One request as received. */
    public record Request(Map<String, List<String>> headers, byte[] body, long receivedAtNanos) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final HttpServer server;

    public Receiver(Integer... statuses) {
        answers.addAll(List.of(statuses));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(Map.copyOf(exchange.getRequestHeaders()), body, System.nanoTime()));
            int status;
            synchronized (answers) {
                status = answers.isEmpty() ? 200 : answers.removeFirst();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL webhooks are registered with. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
