package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the create bodies of a study's runs ({@code POST /api/experiments}, gateway/API.md). */
public final class Requests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Requests() {
    }

    /**
     * Nanda et al. (2023) §3's configuration: one layer, d_model 128, 4 heads of 32, d_mlp 512, no LayerNorm;
     * full-batch AdamW, lr 1e-3, weight decay 1, betas (0.9, 0.98); seed {@code seed}; {@code maxSteps} steps.
     * Without a task the gateway picks the catalog's p = 113 addition task (30% train).
     */
    public static ObjectNode nanda(String name, long seed, long maxSteps) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        body.put("seed", seed);
        ObjectNode model = body.putObject("model");
        model.put("nLayers", 1).put("dModel", 128).put("nHeads", 4).put("dMlp", 512);
        ObjectNode optimizer = body.putObject("optimizer");
        optimizer.put("lr", 1e-3).put("weightDecay", 1.0).put("beta1", 0.9).put("beta2", 0.98).put("batchSize", 0);
        body.putObject("budget").put("maxSteps", maxSteps);
        return body;
    }

    /** The same body stopping once validation accuracy reaches {@code accuracy}. */
    public static ObjectNode stopAt(ObjectNode body, double accuracy) {
        ((ObjectNode) body.get("budget")).put("stopAtValidationAccuracy", accuracy);
        return body;
    }

    /** An inline task definition, forwarded by the gateway to the dataset service (created once, by content). */
    public static ObjectNode task(ObjectNode body, String kind, ObjectNode parameters) {
        ObjectNode task = body.putObject("task");
        task.put("kind", kind);
        task.set("parameters", parameters);
        return body;
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
