package io.grokstream.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.LeeGrokfastPreset;
import io.grokstream.contracts.OptimizerKind;
import io.grokstream.gateway.api.ApiException;
import io.grokstream.model.Biases;
import io.grokstream.model.Initialization;
import io.grokstream.model.MlpActivation;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.NormPlacement;
import io.grokstream.model.OutputGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The create body's options for the papers' setups: read, defaulted to Nanda's, refused with the field named. */
class ExperimentRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void leesSetupReadsBackAsItsPresetAndRoundTripsThroughTheTree() throws Exception {
        ExperimentRequest r = ExperimentRequest.parse(JSON.readTree("""
                {"model": {"nLayers": 2, "layerNorm": true, "activation": "gelu", "biases": "all",
                           "normPlacement": "pre-normed-residual", "initialization": "pytorch", "dropout": 0},
                 "optimizer": {"kind": "adam", "weightDecay": 0.005, "batchSize": 512}}"""), 100);
        ModelConfig lee = LeeGrokfastPreset.model();
        assertEquals(lee, r.model().resolve(lee.dVocab(), lee.nCtx(), lee.outputs()));
        assertEquals(OptimizerKind.ADAM, r.optimizer().kind());
        assertEquals(r, ExperimentRequest.parse(r.tree(), 100), "the tree a clone starts from reads back the same");
    }

    @Test
    void absentOptionsAreNandasAndAdamW() throws Exception {
        ExperimentRequest r = ExperimentRequest.parse(JSON.readTree("{}"), 100);
        ModelConfig m = r.model().resolve(114, 3, List.of(new OutputGroup("out", 113)));
        assertEquals(MlpActivation.RELU, m.activation());
        assertEquals(Biases.MLP, m.biases());
        assertEquals(NormPlacement.PRE, m.normPlacement());
        assertEquals(Initialization.NANDA, m.initialization());
        assertEquals(0.0, m.dropout());
        assertEquals(OptimizerKind.ADAMW, r.optimizer().kind());
    }

    @Test
    void anAdaptiveSnapshotCadenceReadsWithDefaultsAndRoundTripsThroughTheTree() throws Exception {
        ExperimentRequest r = ExperimentRequest.parse(JSON.readTree(
                "{\"cadence\": {\"snapshots\": {\"mode\": \"adaptive\", \"budget\": 200}}}"), 100);
        assertEquals(ExperimentSubmitted.SnapshotPolicy.adaptive(200), r.cadence().snapshots());
        assertEquals(r, ExperimentRequest.parse(r.tree(), 100));
        assertEquals(ExperimentSubmitted.SnapshotPolicy.FIXED, ExperimentRequest.parse(JSON.readTree("{}"), 100)
                .cadence().snapshots(), "absent is the fixed cadence");
        assertField("cadence.snapshots.mode", "{\"cadence\": {\"snapshots\": {\"mode\": \"dense\"}}}",
                "adaptive, fixed");
        assertField("cadence.snapshots.budget", "{\"cadence\": {\"snapshots\": {\"mode\": \"adaptive\", "
                + "\"budget\": 1}}}", "cadence.snapshots.budget");
        assertField("cadence.snapshots.lookBack", "{\"cadence\": {\"snapshots\": {\"mode\": \"adaptive\", "
                + "\"budget\": 9, \"lookBack\": 65}}}", "cadence.snapshots.lookBack");
        assertField("cadence.snapshots.every", "{\"cadence\": {\"snapshots\": {\"every\": 3}}}", "unknown field");
    }

    @Test
    void badOptionsAre400sNamingTheField() {
        assertField("model.activation", "{\"model\": {\"activation\": \"swish\"}}", "must be one of gelu, relu");
        assertField("model.biases", "{\"model\": {\"biases\": true}}", "must be a string");
        assertField("model.dropout", "{\"model\": {\"dropout\": 1}}", "model.dropout");
        assertField("model.normPlacement", "{\"model\": {\"normPlacement\": \"pre-normed-residual\"}}",
                "needs model.layerNorm true");
        assertField("model.initialization", "{\"model\": {\"initialization\": \"xavier\"}}", "nanda, pytorch");
        assertField("optimizer.kind", "{\"optimizer\": {\"kind\": \"sgd\"}}", "must be one of adam, adamw");
    }

    private static void assertField(String field, String body, String message) {
        ApiException e = assertThrows(ApiException.class, () -> ExperimentRequest.parse(read(body), 100));
        assertEquals(400, e.status());
        assertEquals(field, e.field());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
