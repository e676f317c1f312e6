package io.grokstream.gateway.intervene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.gateway.intervene.InterventionResult.InputLogits;
import io.grokstream.gateway.intervene.InterventionResult.Score;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.testkit.ModularAdditionTask;
import io.grokstream.testkit.PlantedWeights;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Known answers on Nanda's algorithm planted at key frequencies {2, 5, 7} (testkit's {@code PlantedWeights}, a
 * network that has grokked (x + y) mod 23 by construction).
 */
class InterventionEngineTest {
    private static final int P = 23;
    private static final ModelConfig MODEL = new ModelConfig(1, 32, 4, 8, 64, P + 1, 3,
            List.of(new OutputGroup("out", P)), false, false, false, true, "float32");
    private static final Map<String, Tensor> GROKKED = PlantedWeights.of(MODEL, P, new int[]{2, 5, 7}, 3);
    private static final TaskDefined TASK = ModularAdditionTask.of(P, 0.3, 0);
    private static final TaskRows ROWS = new TaskRows(TASK);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double CHANCE = 1.0 / P;

    private static InterventionResult run(String body) throws Exception {
        InterventionEngine engine = new InterventionEngine(MODEL, GROKKED, ROWS);
        JsonNode json = JSON.readTree(body);
        return engine.run("exp-1", 100, InterventionRequest.parse(json, MODEL, ROWS, engine.readAt()));
    }

    private static Score clean(InterventionResult r) {
        return r.targets().get(0).clean();
    }

    private static Score intervened(InterventionResult r) {
        return r.targets().get(0).intervened();
    }

    @Test
    void ablatingTheKeyFrequenciesFromTheLogitsCollapsesValidationAccuracy() throws Exception {
        InterventionResult r = run("{\"kind\": \"ablate_fourier_logits\", \"frequencies\": [2, 5, 7]}");
        assertTrue(clean(r).validationAccuracy() > 0.99, "the planted network has grokked");
        assertTrue(intervened(r).validationAccuracy() < 0.1, "validation accuracy " + intervened(r).validationAccuracy());
        assertTrue(intervened(r).loss() > clean(r).loss() + 1);
        assertEquals(P * P, r.rows());
    }

    @Test
    void ablatingTheOtherFrequenciesFromTheLogitsLeavesTheRunAsItIs() throws Exception {
        InterventionResult r = run("{\"kind\": \"ablate_fourier_logits\", \"frequencies\": [1, 3, 4, 6, 8, 9, 10, 11]}");
        assertEquals(clean(r).validationAccuracy(), intervened(r).validationAccuracy());
        assertEquals(clean(r).loss(), intervened(r).loss(), 1e-6); // float32 weights: their rounding leaks a trace into other frequencies
        assertArrayEquals(r.grid().targets().get(0).clean(), r.grid().targets().get(0).intervened());
    }

    @Test
    void ablatingKeyFrequenciesFromTheResidualOverTheGridCollapsesAccuracyAndOthersDoNot() throws Exception {
        InterventionResult keys = run("{\"kind\": \"ablate_fourier_activation\", \"hook\": \"blocks.0.hook_resid_mid\","
                + " \"frequencies\": [2, 5, 7]}");
        assertTrue(intervened(keys).validationAccuracy() < 0.1, "validation accuracy " + intervened(keys).validationAccuracy());
        assertEquals(2, keys.intervention().get("position"));
        InterventionResult others = run("{\"kind\": \"ablate_fourier_activation\", \"hook\": \"blocks.0.hook_resid_mid\","
                + " \"position\": 2, \"frequencies\": [1, 3, 11]}");
        assertEquals(clean(others).validationAccuracy(), intervened(others).validationAccuracy());
        assertEquals(clean(others).loss(), intervened(others).loss(), 1e-6);
    }

    @Test
    void zeroAblatingEveryHeadLeavesEqualLogitsSoOnlyLabelZeroIsRight() throws Exception {
        // nothing reaches the last position: every logit is equal, the arg-max is class 0, right for 23 of 529 inputs
        InterventionResult r = run("{\"kind\": \"zero_ablate_heads\", \"heads\": [0, 1, 2, 3]}");
        assertEquals(CHANCE, intervened(r).accuracy(), 1e-12);
        assertEquals(Math.log(P), intervened(r).loss(), 1e-9);
    }

    @Test
    void meanAblatingEveryNeuronGivesEveryInputTheSameAnswer() throws Exception {
        InterventionResult r = run("{\"kind\": \"mean_ablate_neurons\", \"layer\": 0, \"neurons\": " + allNeurons() + "}");
        // one answer for all inputs: right exactly for the p inputs whose sum is that answer
        assertEquals(CHANCE, intervened(r).accuracy(), 1e-12);
        int[] grid = r.grid().targets().get(0).intervened();
        assertEquals(P, Arrays.stream(grid).sum());
    }

    @Test
    void zeroAblatingOneNeuronOfManyKeepsTheAnswers() throws Exception {
        InterventionResult r = run("{\"kind\": \"zero_ablate_neurons\", \"neurons\": [3]}");
        assertTrue(intervened(r).accuracy() > 0.99, "accuracy " + intervened(r).accuracy());
        assertTrue(Math.abs(intervened(r).loss() - clean(r).loss()) > 1e-6, "the neuron was ablated");
    }

    @Test
    void patchingAnInputIntoItselfIsTheIdentityAndIntoEveryInputGivesItsAnswerEverywhere() throws Exception {
        InterventionResult r = run("{\"kind\": \"patch_activation\", \"hook\": \"blocks.0.hook_resid_post\","
                + " \"source\": {\"x\": 5, \"y\": 7}, \"inputs\": [{\"x\": 5, \"y\": 7}, {\"x\": 1, \"y\": 2}]}");
        InputLogits self = r.logits().get(0);
        assertArrayEquals(new int[]{5, 7, P}, self.tokens());
        assertArrayEquals(self.clean(), self.intervened(), 0.0);
        InputLogits other = r.logits().get(1);
        assertEquals(3, other.label());
        assertArrayEquals(self.clean(), other.intervened(), 0.0);
        assertEquals(CHANCE, intervened(r).accuracy(), 1e-12);
    }

    @Test
    void badRequestsNameTheirField() {
        InterventionEngine engine = new InterventionEngine(MODEL, GROKKED, ROWS);
        assertField("kind", "{\"kind\": \"melt\"}", engine);
        assertField("frequencies", "{\"kind\": \"ablate_fourier_logits\", \"frequencies\": [12]}", engine);
        assertField("frequencies", "{\"kind\": \"ablate_fourier_logits\", \"frequencies\": [2, 2]}", engine);
        assertField("neurons", "{\"kind\": \"zero_ablate_neurons\", \"neurons\": [64]}", engine);
        assertField("heads", "{\"kind\": \"zero_ablate_neurons\", \"heads\": [0]}", engine);
        assertField("hook", "{\"kind\": \"patch_activation\", \"hook\": \"blocks.0.attn.hook_pattern\", \"source\": [1, 2, 23]}", engine);
        assertField("source.x", "{\"kind\": \"patch_activation\", \"hook\": \"hook_embed\", \"source\": {\"x\": 23, \"y\": 0}}", engine);
        assertField("inputs[0]", "{\"kind\": \"zero_ablate_heads\", \"heads\": [0], \"inputs\": [[1, 2, 3]]}", engine);
        assertField("layer", "{\"kind\": \"zero_ablate_heads\", \"heads\": [0], \"layer\": 1}", engine);
        assertField("position", "{\"kind\": \"patch_activation\", \"hook\": \"hook_embed\", \"position\": 3, \"source\": [1, 2, 23]}", engine);
    }

    private static void assertField(String field, String body, InterventionEngine engine) {
        ApiException e = assertThrows(ApiException.class, () -> engine.run("exp-1", 1,
                InterventionRequest.parse(JSON.readTree(body), MODEL, ROWS, engine.readAt())), body);
        assertEquals(400, e.status(), body);
        assertEquals(field, e.field(), e.getMessage());
    }

    private static String allNeurons() {
        return Arrays.toString(java.util.stream.IntStream.range(0, MODEL.dMlp()).toArray());
    }
}
