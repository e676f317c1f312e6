package io.grokstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.DeadLetters;
import io.grokstream.contracts.EventType;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scenario 4: poison records published straight onto the topics (malformed JSON, unknown ce_type, a truncated
 * snapshot, a snapshot whose task never comes) go to {@code grokstream.deadletter.v1} with the error, the consumers
 * go on (a fresh run trains and is measured afterwards), and the gateway's operator view lists them.
 */
final class PoisonRecords {

    static void run(Reliability.Context ctx, Outcome out) {
        String nonce = Long.toString(System.currentTimeMillis() % 1_000_000);
        Map<String, ProducerRecord<String, byte[]>> poison = new LinkedHashMap<>();
        String json = "poison-json-" + nonce;
        poison.put(json, new ProducerRecord<>(Topics.TRAINING, null, json, "{\"experimentId\": \"x\", \"step\": ".getBytes(StandardCharsets.UTF_8),
                CloudEvents.headers(EventType.STEP_METRICS.ceType(), "reliability", json, null, CloudEvents.JSON)));
        String jsonExp = "poison-json-exp-" + nonce;
        poison.put(jsonExp, new ProducerRecord<>(Topics.EXPERIMENTS, null, jsonExp, "{not json".getBytes(StandardCharsets.UTF_8),
                CloudEvents.headers(EventType.EXPERIMENT_SUBMITTED.ceType(), "reliability", jsonExp, null, CloudEvents.JSON)));
        String type = "poison-type-" + nonce;
        poison.put(type, new ProducerRecord<>(Topics.EXPERIMENTS, null, type, "{}".getBytes(StandardCharsets.UTF_8),
                CloudEvents.headers("grokstream.experiment.teleported.v9", "reliability", type, null, CloudEvents.JSON)));
        ConsumerRecord<String, byte[]> real = realSnapshot(ctx);
        String truncated = "poison-truncated-" + nonce;
        poison.put(truncated, new ProducerRecord<>(Topics.SNAPSHOTS, null, truncated,
                Arrays.copyOf(real.value(), real.value().length / 2),
                CloudEvents.headers(EventType.SNAPSHOT_TAKEN, "reliability", truncated, "1", CloudEvents.SAFETENSORS)));
        String noTask = "poison-notask-" + nonce;
        SnapshotCodec.Snapshot s = SnapshotCodec.fromRecord(real);
        Map<String, String> meta = new HashMap<>(s.metadata());
        meta.put(SnapshotCodec.META_TASK, "modular-add-p23-doesnotexist");
        poison.put(noTask, SnapshotCodec.toRecord(Topics.SNAPSHOTS, EventType.SNAPSHOT_TAKEN,
                new SnapshotCodec.Snapshot(noTask, s.step(), s.tensors(), meta), "reliability"));
        ctx.platform().publish(new ArrayList<>(poison.values()));
        long published = System.currentTimeMillis();
        Reliability.log("published %d poison records: %s", poison.size(), poison.keySet());

        // dead letters: the topic (by consumer) and the gateway's operator view
        Map<String, Set<String>> consumers = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        Set<String> listed = new TreeSet<>();
        long deadline = System.currentTimeMillis() + 150_000;
        while (System.currentTimeMillis() < deadline) {
            consumers.clear();
            ctx.platform().forEach(Topics.DEADLETTER, r -> {
                if (r.key() != null && poison.containsKey(r.key())) {
                    consumers.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(CloudEvents.get(r.headers(), DeadLetters.CONSUMER).orElse("?"));
                    reasons.put(r.key() + " by " + CloudEvents.get(r.headers(), DeadLetters.CONSUMER).orElse("?"),
                            CloudEvents.get(r.headers(), DeadLetters.REASON).orElse(""));
                }
            });
            listed.clear();
            for (JsonNode d : ctx.api().read("/api/admin/deadletters", Api.ADMIN)) {
                if (poison.containsKey(d.path("key").asText()) && !d.path("reason").asText().isBlank()) {
                    listed.add(d.path("key").asText());
                }
            }
            if (consumers.keySet().containsAll(poison.keySet()) && listed.containsAll(poison.keySet())
                    && consumers.get(type).size() >= 2) {
                break;
            }
            Api.sleep(2000);
        }
        out.figure("poisonRecords", poison.size());
        out.figure("secondsUntilAllDeadLettered", (System.currentTimeMillis() - published) / 1000.0);
        Map<String, Object> by = new LinkedHashMap<>();
        consumers.forEach((k, v) -> by.put(k.replace("-" + nonce, ""), v));
        out.figure("deadLetteredBy", by);
        Map<String, String> why = new LinkedHashMap<>();
        reasons.forEach((k, v) -> why.put(k.replace("-" + nonce, ""), v.length() > 160 ? v.substring(0, 160) + "..." : v));
        out.figure("reasons", why);
        for (String key : poison.keySet()) {
            out.check(key.replace("-" + nonce, "") + " dead-lettered with its error", consumers.containsKey(key)
                    && reasons.entrySet().stream().anyMatch(e -> e.getKey().startsWith(key + " ") && !e.getValue().isBlank()));
        }
        out.check("the unknown ce_type is dead-lettered by the trainer and the gateway", consumers.getOrDefault(type, Set.of()).size() >= 2);
        out.check("every poison record is listed in GET /api/admin/deadletters", listed.containsAll(poison.keySet()));

        Training t = ctx.training();
        String after = t.submit(t.body("s4 after poison", 200, 17, 100, 100, false));
        JsonNode done = t.awaitCompleted(after, 600);
        long measuresDeadline = System.currentTimeMillis() + 120_000;
        int measures = 0;
        while (System.currentTimeMillis() < measuresDeadline && measures < 2) {
            measures = ctx.api().read("/api/experiments/" + after + "/measures", Api.ADMIN).size();
            Api.sleep(1000);
        }
        out.check("consumers go on: a run after the poison trains, completes and is measured",
                Training.status(done) == ExperimentStatus.COMPLETED && measures >= 2);
    }

    private static ConsumerRecord<String, byte[]> realSnapshot(Reliability.Context ctx) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        ctx.platform().forEach(Topics.SNAPSHOTS, r -> {
            if (found.isEmpty() && r.value() != null && r.key() != null && r.key().startsWith("exp-")) {
                found.add(r);
            }
        });
        if (found.isEmpty()) {
            throw new IllegalStateException("no snapshot on the topic yet to build poison from");
        }
        return found.get(0);
    }
}
