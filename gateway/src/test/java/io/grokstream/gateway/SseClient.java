package io.grokstream.gateway;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Server-Sent-Events client over java.net.http for the tests: parses {@code event:} and
 * {@code data:} lines into events stamped with their arrival time.
 */
final class SseClient implements AutoCloseable {
    record Event(String name, String data, long arrivedNanos) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile InputStream body;
    final int status;

    SseClient(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        status = response.statusCode();
        body = response.body();
        reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(name, data.toString(), System.nanoTime()));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        } catch (Exception e) {
            // closed
        }
    }

    Event next(long timeoutMillis) throws InterruptedException {
        Event e = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no SSE event within " + timeoutMillis + " ms");
        }
        return e;
    }

    /** The next event with this name, skipping others. */
    Event next(String name, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new AssertionError("no '" + name + "' event within " + timeoutMillis + " ms");
            }
            Event e = next(left);
            if (e.name().equals(name)) {
                return e;
            }
        }
    }

    @Override
    public void close() throws Exception {
        InputStream b = body;
        if (b != null) {
            b.close();
        }
        reader.interrupt();
    }
}
