package io.grokstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaSettings;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TrainingStarted;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.grokstream.bench.PlatformBench.BOOTSTRAP;
import static io.grokstream.bench.PlatformBench.HTTP;
import static io.grokstream.bench.PlatformBench.JSON;
import static io.grokstream.bench.PlatformBench.KEY;
import static io.grokstream.bench.PlatformBench.URL;
import static io.grokstream.bench.PlatformBench.log;

/**
 * The gateway's read model under a long history (issue 16): synthetic publishers write, as the services' own Kafka
 * users, experiments with a measure record of p = 113 size (two neuron grids: 113 x 113 and 113 x 57 activations,
 * about 365 KB of JSON) and a metrics row every 100 steps; then the REST reads the dashboard makes are timed.
 */
final class BenchViews {
    private static final int P = NandaPreset.P;
    private static final int EVERY = 100;

    private BenchViews() {
    }

    /** Publishes {@code experiments} x {@code measures} records and waits until the gateway's views hold them. */
    static void load(int experiments, int measures) throws Exception {
        Path credentials = Path.of(PlatformBench.env("GROKSTREAM_CREDENTIALS_DIR", ""), "kafka");
        long t0 = System.nanoTime();
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> ids = new ArrayList<>();
        for (int e = 0; e < experiments; e++) {
            ids.add("exp-bench-views-" + run + "-" + e);
        }
        try (var gateway = producer(credentials, KafkaUser.GATEWAY);
             var trainer = producer(credentials, KafkaUser.TRAINER)) {
            for (String id : ids) {
                send(gateway, submitted(id));
                send(trainer, new TrainingStarted(id, "bench", "cpu", 0, Instant.now()));
                for (int i = 1; i <= measures; i++) {
                    send(trainer, metrics(id, (long) i * EVERY));
                }
            }
        }
        byte[] grids = gridsJson(new Random(16));
        try (var analysis = producer(credentials, KafkaUser.ANALYSIS)) {
            for (int i = 1; i <= measures; i++) {
                for (String id : ids) {
                    ProducerRecord<String, byte[]> r = EventCodec.toRecord(measured(id, (long) i * EVERY), "/bench/views");
                    analysis.send(new ProducerRecord<>(r.topic(), null, r.key(), withGrids(r.value(), grids), r.headers()));
                }
            }
        }
        log("published %d experiments x %d measure records (%d KB each) and metrics rows in %.1f s", experiments,
                measures, grids.length / 1024, (System.nanoTime() - t0) / 1e9);
        long expected = (long) experiments * measures;
        while (viewSize("measure_points") < expected || viewSize("metric_points") < expected) {
            Thread.sleep(1_000);
        }
        log("the gateway's views hold them %.1f s after the first record", (System.nanoTime() - t0) / 1e9);
    }

    /** Times {@code rounds} rounds of the dashboard's three reads, one request at a time. */
    static void latency(int rounds) throws Exception {
        List<String> ids = new ArrayList<>();
        JsonNode list = get("/api/experiments");
        list.forEach(n -> ids.add(n.get("experimentId").asText()));
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        Random random = new Random(7);
        for (int r = 0; r < rounds; r++) {
            String id = ids.get(random.nextInt(ids.size()));
            time(millis, "GET /api/experiments", "/api/experiments");
            time(millis, "GET /api/experiments/{id}/measures?maxPoints=400", "/api/experiments/" + id + "/measures?maxPoints=400");
            time(millis, "GET /api/experiments/{id}/metrics?maxPoints=2000", "/api/experiments/" + id + "/metrics?maxPoints=2000");
        }
        System.out.printf("VIEWS latency over %d rounds (%d experiments listed), sequential:%n", rounds, ids.size());
        millis.forEach((what, xs) -> System.out.printf("  %-52s p50 %6.1f ms  p99 %6.1f ms%n", what,
                PlatformBench.Stats.quantile(xs, 0.5), PlatformBench.Stats.quantile(xs, 0.99)));
    }

    private static void time(Map<String, List<Double>> millis, String what, String path) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> response = HTTP.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode());
        }
        millis.computeIfAbsent(what, k -> new ArrayList<>()).add(ms);
    }

    private static JsonNode get(String path) throws Exception {
        return JSON.readTree(HTTP.send(request(path), HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    private static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(URL + path)).header("X-API-Key", KEY).GET().build();
    }

    /** One of the gateway's {@code grokstream_gateway_view_size} gauges (0 until it is exported). */
    private static long viewSize(String view) throws Exception {
        String metrics = new String(HTTP.send(HttpRequest.newBuilder(URI.create(URL + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8);
        return metrics.lines().filter(l -> l.startsWith("grokstream_gateway_view_size{") && l.contains("view=\"" + view + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    private static KafkaProducer<String, byte[]> producer(Path credentials, KafkaUser user) {
        KafkaAccess access = KafkaAccess.scram(BOOTSTRAP, user.username(), credentials.resolve(user.username() + ".password"));
        Map<String, Object> settings = new LinkedHashMap<>(KafkaSettings.producer(access, "bench-views-" + user.username()));
        settings.put("linger.ms", 20);
        settings.put("batch.size", 1 << 20);
        return new KafkaProducer<>(settings);
    }

    private static void send(KafkaProducer<String, byte[]> producer, GrokEvent event) {
        producer.send(EventCodec.toRecord(event, "/bench/views"));
    }

    private static ExperimentSubmitted submitted(String id) {
        return new ExperimentSubmitted(id, "demo", "bench views " + id, "modular-add-p113-bench", "sha-bench",
                NandaPreset.model(), NandaPreset.optimizer(), ExperimentSubmitted.GrokFastConfig.none(),
                new ExperimentSubmitted.TrainingBudget(NandaPreset.STEPS, null), 0, ExperimentSubmitted.Cadence.defaults(),
                false, null, null, Instant.now());
    }

    private static StepMetrics metrics(String id, long step) {
        double loss = 4.7 * Math.exp(-step / 8_000.0) + (step % 7_700 == 0 ? 3.0 : 0.0); // slingshot spikes
        return new StepMetrics(id, step, loss, loss * 1.4, Math.min(1, step / 2_000.0), Math.min(1, step / 30_000.0),
                Map.of(), Map.of(), Map.of("embed.W_E", 1.0), Map.of("embed.W_E", 1.0), 1.5,
                Map.of("embed.W_E", 10.0), 1_000.0 / (1 + step / 10_000.0), 1e-3, 25.0);
    }

    private static ProgressMeasured measured(String id, long step) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (String s : List.of("restricted_loss", "excluded_loss", "gini_embed", "gini_unembed", "frac_explained",
                "weight_norm", "grad_norm", "test_loss", "train_loss", "key_freq_norm")) {
            scalars.put(s, Math.exp(-step / 10_000.0) * (1 + s.length() / 10.0));
        }
        Random r = new Random(step);
        return new ProgressMeasured(id, step, "1", scalars, Map.of("embed_fourier", doubles(r, P / 2 + 1),
                "sv.embed.W_E", doubles(r, P), "sv.unembed.W_U", doubles(r, P)), List.of(14, 35, 41, 42, 52),
                Map.of(), Map.of("neuron.0", new int[]{P, P}, "neuron.1", new int[]{P, P / 2 + 1}), 0, 900);
    }

    /** The grids' JSON, made once: {@code "grids":{"neuron.0":[...],"neuron.1":[...]}}. */
    private static byte[] gridsJson(Random r) throws Exception {
        Map<String, double[]> grids = new LinkedHashMap<>();
        grids.put("neuron.0", doubles(r, P * P));
        grids.put("neuron.1", doubles(r, P * (P / 2 + 1)));
        return ("\"grids\":" + JSON.writeValueAsString(grids)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withGrids(byte[] event, byte[] grids) {
        String json = new String(event, StandardCharsets.UTF_8);
        int at = json.indexOf("\"grids\":{}");
        byte[] head = json.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = json.substring(at + "\"grids\":{}".length()).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + grids.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(grids, 0, out, head.length, grids.length);
        System.arraycopy(tail, 0, out, head.length + grids.length, tail.length);
        return out;
    }

    private static double[] doubles(Random r, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextGaussian();
        }
        return out;
    }
}
