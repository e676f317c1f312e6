package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One experiment a study needs: a key the study's analysis refers to ("baseline", "ema", "a7-b7-p113"), the
 * experiment's name on the platform, and the create body sent to {@code POST /api/experiments}. The name is how an
 * interrupted study finds its runs again: a run of the same name, team and settings is reused, not trained twice.
 */
public record StudyRun(String key, String name, ObjectNode request) {
    public StudyRun {
        if (!key.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("run key must match [a-z0-9-]+, got '" + key + "'");
        }
        if (!name.equals(request.path("name").asText())) {
            throw new IllegalArgumentException("run " + key + ": the request's name must be '" + name + "'");
        }
    }

    /**
     * Whether an experiment on the platform (its detail from the gateway) was submitted with this run's settings:
     * same seed, budget, optimizer, GrokFast filter and model width; the task either by id or by kind and parameters.
     */
    public boolean matches(JsonNode detail) {
        JsonNode config = detail.path("config");
        if (!name.equals(detail.path("name").asText())) {
            return false;
        }
        if (request.path("seed").asLong(0) != config.path("seed").asLong(0)) {
            return false;
        }
        JsonNode budget = request.path("budget");
        if (budget.has("maxSteps") && budget.path("maxSteps").asLong() != config.path("budget").path("maxSteps").asLong()) {
            return false;
        }
        if (budget.has("stopAtValidationAccuracy") && budget.path("stopAtValidationAccuracy").asDouble()
                != config.path("budget").path("stopAtValidationAccuracy").asDouble()) {
            return false;
        }
        if (!sameFields(request.path("optimizer"), config.path("optimizer"))
                || !sameFields(request.path("grokfast"), config.path("grokfast"))
                || !sameFields(request.path("model"), config.path("model"))) {
            return false;
        }
        if (request.has("taskId")) {
            return request.path("taskId").asText().equals(detail.path("taskId").asText());
        }
        return true;
    }

    /** Every field given in {@code wanted} has the same value in {@code actual} (numbers compared as numbers). */
    private static boolean sameFields(JsonNode wanted, JsonNode actual) {
        var it = wanted.fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode a = actual.path(e.getKey());
            boolean same = e.getValue().isNumber() ? a.isNumber() && a.asDouble() == e.getValue().asDouble()
                    : e.getValue().equals(a);
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
