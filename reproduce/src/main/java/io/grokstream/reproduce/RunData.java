package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.client.GatewayClient;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.Measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything the gateway holds about one finished run of a study, in the shapes the claims need: metrics and
 * progress-measure scalars as {@link Series}, key frequencies per snapshot, phases, the latest full measures and
 * the task's definition (with its label statistics).
 */
public final class RunData {
    /** A phase the analysis service detected. */
    public record Phase(String name, long step, String evidence) {
    }

    /** Key frequencies found at one snapshot. */
    public record KeyFrequencies(long step, List<Integer> frequencies) {
    }

    private final StudyRun run;
    private final JsonNode detail;
    private final JsonNode task;
    private final Map<String, Series> metrics;
    private final Map<String, Series> measures;
    private final List<KeyFrequencies> keyFrequencies;
    private final JsonNode latestMeasures;
    private final Map<String, Series> retrospective;
    private final List<Integer> retrospectiveFrequencies;

    public RunData(StudyRun run, JsonNode detail, JsonNode task, JsonNode metricsJson, JsonNode measuresJson,
                   JsonNode latestMeasures) {
        this(run, detail, task, columns(metricsJson, null), columns(measuresJson, "scalars"), keys(measuresJson),
                latestMeasures, Map.of(), List.of());
    }

    private RunData(StudyRun run, JsonNode detail, JsonNode task, Map<String, Series> metrics, Map<String, Series> measures,
                    List<KeyFrequencies> keyFrequencies, JsonNode latestMeasures, Map<String, Series> retrospective,
                    List<Integer> retrospectiveFrequencies) {
        this.run = run;
        this.detail = detail;
        this.task = task;
        this.metrics = metrics;
        this.measures = measures;
        this.keyFrequencies = keyFrequencies;
        this.latestMeasures = latestMeasures;
        this.retrospective = retrospective;
        this.retrospectiveFrequencies = retrospectiveFrequencies;
    }

    /**
     * This run with the analysis service's retrospective answer ({@code {frequencies, points: [{step, ...}]}}), or
     * without any when {@code answer} is null.
     */
    public RunData withRetrospective(JsonNode answer) {
        if (answer == null) {
            return new RunData(run, detail, task, metrics, measures, keyFrequencies, latestMeasures, Map.of(), List.of());
        }
        List<Integer> frequencies = new ArrayList<>();
        answer.path("frequencies").forEach(f -> frequencies.add(f.asInt()));
        return new RunData(run, detail, task, metrics, measures, keyFrequencies, latestMeasures,
                columns(answer.path("points"), null), List.copyOf(frequencies));
    }

    /** restrictedLoss or excludedLoss of every snapshot with the final key frequencies; empty without the answer. */
    public Series retrospective(String field) {
        return retrospective.getOrDefault(field, Series.empty(field));
    }

    /** The key frequencies the retrospective measures used, or empty. */
    public List<Integer> retrospectiveFrequencies() {
        return retrospectiveFrequencies;
    }

    private static List<KeyFrequencies> keys(JsonNode measuresJson) {
        List<KeyFrequencies> keys = new ArrayList<>();
        for (JsonNode point : measuresJson) {
            List<Integer> f = new ArrayList<>();
            point.path("keyFrequencies").forEach(n -> f.add(n.asInt()));
            keys.add(new KeyFrequencies(point.path("step").asLong(), List.copyOf(f)));
        }
        return List.copyOf(keys);
    }

    /** Every numeric field of each point (or of its {@code nested} object) becomes a series over "step". */
    private static Map<String, Series> columns(JsonNode points, String nested) {
        Map<String, List<Long>> stepsByName = new LinkedHashMap<>();
        Map<String, List<Double>> valuesByName = new LinkedHashMap<>();
        long previous = Long.MIN_VALUE;
        for (JsonNode point : points) {
            long step = point.path("step").asLong();
            if (step <= previous) {
                continue;   // the gateway already dedupes by step; guard the ascending invariant all the same
            }
            previous = step;
            JsonNode fields = nested == null ? point : point.path(nested);
            fields.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber() && !"step".equals(e.getKey())) {
                    stepsByName.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(step);
                    valuesByName.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().asDouble());
                }
            });
        }
        Map<String, Series> out = new LinkedHashMap<>();
        stepsByName.forEach((name, steps) -> out.put(name, new Series(name,
                steps.stream().mapToLong(Long::longValue).toArray(),
                valuesByName.get(name).stream().mapToDouble(Double::doubleValue).toArray())));
        return out;
    }

    public StudyRun run() {
        return run;
    }

    public String experimentId() {
        return detail.path("experimentId").asText();
    }

    public JsonNode detail() {
        return detail;
    }

    public JsonNode task() {
        return task;
    }

    public JsonNode latestMeasures() {
        return latestMeasures;
    }

    /** Whether the run has stopped training (completed, failed or cancelled). */
    public boolean ended() {
        return GatewayClient.statusOf(detail).map(ExperimentStatus::ended).orElse(false);
    }

    public String status() {
        return detail.path("status").asText();
    }

    public long finalStep() {
        return detail.path("step").asLong();
    }

    /** A metrics field over steps (trainLoss, validationLoss, trainAccuracy, validationAccuracy, ...); empty if absent. */
    public Series metric(String field) {
        return metrics.getOrDefault(field, Series.empty(field));
    }

    /** A progress-measure scalar over snapshots ({@code restricted_loss}, ...); empty if absent. */
    public Series measure(Measure scalar) {
        return measure(scalar.wire());
    }

    /** One member of a family of scalars over snapshots ({@code test_accuracy.q2}, ...); empty if absent. */
    public Series measure(Measure family, Object member) {
        return measure(family.member(member));
    }

    private Series measure(String name) {
        return measures.getOrDefault(name, Series.empty(name));
    }

    public List<String> measureNames() {
        return List.copyOf(measures.keySet());
    }

    public List<KeyFrequencies> keyFrequencies() {
        return keyFrequencies;
    }

    public List<Phase> phases() {
        List<Phase> out = new ArrayList<>();
        detail.path("phases").forEach(p -> out.add(new Phase(p.path("phase").asText(), p.path("step").asLong(),
                p.path("evidence").asText())));
        return out;
    }

    public OptionalLong phase(String name) {
        return phases().stream().filter(p -> p.name().equals(name)).mapToLong(Phase::step).findFirst();
    }

    /** Wall-clock seconds of training up to {@code step}: the mean step time of each metrics interval, summed. */
    public double trainingSecondsTo(long step) {
        Series millis = metric("stepMillis");
        double seconds = 0;
        long previous = 0;
        for (int i = 0; i < millis.size() && millis.step(i) <= step; i++) {
            seconds += (millis.step(i) - previous) * millis.value(i) / 1000.0;
            previous = millis.step(i);
        }
        return seconds;
    }
}
