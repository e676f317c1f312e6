package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.model.ModelConfig;

/** Builds the create bodies of a study's runs ({@code POST /api/experiments}, gateway/API.md). */
public final class Requests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Requests() {
    }

    /**
     * Nanda et al. (2023) §3's configuration ({@link NandaPreset}: one layer, d_model 128, 4 heads of 32, d_mlp 512,
     * no LayerNorm; full-batch AdamW, lr 1e-3, weight decay 1, betas (0.9, 0.98)) written out, so a changed gateway
     * default cannot change a study; seed {@code seed}; {@code maxSteps} steps. Without a task the gateway picks
     * the catalog's p = 113 addition task (30% train).
     */
    public static ObjectNode nanda(String name, long seed, long maxSteps) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        body.put("seed", seed);
        ModelConfig m = NandaPreset.model();
        body.putObject("model").put("nLayers", m.nLayers()).put("dModel", m.dModel()).put("nHeads", m.nHeads())
                .put("dMlp", m.dMlp());
        OptimizerConfig o = NandaPreset.optimizer();
        body.putObject("optimizer").put("lr", o.lr()).put("weightDecay", o.weightDecay()).put("beta1", o.beta1())
                .put("beta2", o.beta2()).put("batchSize", o.batchSize());
        body.putObject("budget").put("maxSteps", maxSteps);
        return body;
    }

    /**
     * A paper's configuration written out in full ({@code model}'s architecture and every optimizer field, plain
     * Adam or AdamW included), so a changed gateway default cannot change a study; the task goes in with
     * {@link #task}.
     */
    public static ObjectNode of(String name, long seed, long maxSteps, ModelConfig m, OptimizerConfig o) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        body.put("seed", seed);
        body.putObject("model").put("nLayers", m.nLayers()).put("dModel", m.dModel()).put("nHeads", m.nHeads())
                .put("dHead", m.dHead()).put("dMlp", m.dMlp()).put("layerNorm", m.layerNorm())
                .put("positionalEmbedding", m.positionalEmbedding()).put("activation", m.activation().wire())
                .put("biases", m.biases().wire()).put("normPlacement", m.normPlacement().wire())
                .put("dropout", m.dropout()).put("initialization", m.initialization().wire());
        body.putObject("optimizer").put("kind", o.kind().wire()).put("lr", o.lr()).put("weightDecay", o.weightDecay())
                .put("beta1", o.beta1()).put("beta2", o.beta2()).put("eps", o.eps()).put("warmupSteps", o.warmupSteps())
                .put("batchSize", o.batchSize());
        body.putObject("budget").put("maxSteps", maxSteps);
        return body;
    }

    /** Snapshots every {@code every} steps (every {@code early} in the first 1,000), for runs whose measures matter less. */
    public static ObjectNode snapshots(ObjectNode body, int every, int early) {
        body.putObject("cadence").put("snapshotEvery", every).put("snapshotEveryEarly", early).put("earlySteps", 1000);
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
