package io.grokstream.gateway;

import io.grokstream.contracts.EndReason;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.GrokCriterion;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.Phase;
import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.model.ModelConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class VocabularyApiTest {

    @BeforeEach
    void catalog() {
        Fixtures.tasks();
    }

    @Test
    void theVocabularyIsContractsWordsInTheirOrder() {
        JsonPath v = as(DEMO).get("/api/vocabulary").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("submitted", "running", "completed", "failed", "cancelled"), v.getList("statuses"));
        assertEquals(List.of("completed", "failed", "cancelled"), v.getList("endedStatuses"));
        assertEquals(Arrays.stream(EndReason.values()).map(EndReason::wire).toList(), v.getList("endReasons"));
        assertEquals(Arrays.stream(Phase.values()).map(Phase::wire).toList(), v.getList("phases"));
        assertEquals(GrokCriterion.STANDARD.grokkedValidationAccuracy(),
                v.getDouble("grokCriterion.grokkedValidationAccuracy"), 0);
        assertEquals(GrokCriterion.STANDARD.memorisedTrainAccuracy(),
                v.getDouble("grokCriterion.memorisedTrainAccuracy"), 0);
        assertEquals(Arrays.stream(Measure.values()).map(Measure::wire).toList(), v.getList("measures.name"));
        assertEquals(Arrays.stream(Measure.values()).map(Measure::name).toList(), v.getList("measures.id"));
        Map<String, Object> restricted = v.getMap("measures.find { it.name == 'restricted_loss' }");
        assertEquals("scalar", restricted.get("shape"));
        assertEquals(false, restricted.get("family"));
        assertEquals("spectrum", v.getString("measures.find { it.name == 'sv.' }.shape"));
        assertEquals(true, v.getBoolean("measures.find { it.name == 'sv.' }.family"));
        assertEquals(ExperimentStatus.values().length, v.getList("statuses").size());
    }

    @Test
    void theNandaPresetIsWhatAnEmptyBodyTrains() {
        JsonPath preset = as(DEMO).get("/api/presets").then().statusCode(200).extract().jsonPath();
        ModelConfig nanda = NandaPreset.model();
        assertEquals(nanda.dModel(), preset.getInt("nanda.model.dModel"));
        assertEquals(nanda.dMlp(), preset.getInt("nanda.model.dMlp"));
        assertEquals(NandaPreset.optimizer().weightDecay(), preset.getDouble("nanda.optimizer.weightDecay"), 0);
        assertEquals(NandaPreset.STEPS, preset.getLong("nanda.budget.maxSteps"));

        String fromPreset = as(DEMO).body(preset.getMap("nanda")).post("/api/experiments").then().statusCode(201)
                .extract().path("experimentId");
        String fromEmpty = as(DEMO).body("{}").post("/api/experiments").then().statusCode(201)
                .extract().path("experimentId");
        Map<String, Object> a = as(DEMO).get("/api/experiments/" + fromPreset).jsonPath().getMap("config");
        Map<String, Object> b = as(DEMO).get("/api/experiments/" + fromEmpty).jsonPath().getMap("config");
        for (String unique : List.of("experimentId", "name", "submittedAt")) {   // the id, and the name it defaults to
            a.remove(unique);
            b.remove(unique);
        }
        assertEquals(b, a);
    }

    @Test
    void theVocabularyNeedsAKeyLikeTheRestOfTheApi() {
        given().get("/api/vocabulary").then().statusCode(401).body("field", equalTo("X-API-Key"));
        given().get("/api/presets").then().statusCode(401);
    }
}
