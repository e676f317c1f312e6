package io.grokstream.gateway;

import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.contracts.WorkMetric;
import io.grokstream.kafka.KafkaBrokerResource;
import io.grokstream.model.ModelConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.grokstream.gateway.Fixtures.ADMIN;
import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static io.grokstream.gateway.Fixtures.TASK_P7;
import static io.grokstream.gateway.Fixtures.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ExperimentsApiTest {

    @BeforeEach
    void catalog() {
        Fixtures.tasks();
    }

    // ---- auth ------------------------------------------------------------------------------------------------

    @Test
    void requestWithoutKeyIsUnauthorized() {
        given().get("/api/experiments").then().statusCode(401).body("field", equalTo("X-API-Key"))
                .body("error", containsString("missing API key"));
    }

    @Test
    void requestWithWrongKeyIsUnauthorized() {
        as("not-a-key").get("/api/experiments").then().statusCode(401).body("error", equalTo("unknown API key"));
        given().queryParam("key", "nope").get("/api/tasks").then().statusCode(401).body("field", equalTo("key"));
    }

    @Test
    void keyMayComeAsQueryParameter() {
        given().queryParam("key", DEMO).get("/api/tasks").then().statusCode(200);
    }

    @Test
    void otherTeamsPrivateExperimentIsNotFoundEverywhere() {
        String id = Fixtures.createExperiment(DEMO, false);
        for (String path : List.of("", "/metrics", "/measures", "/measures/latest", "/checkpoints")) {
            as(RIVAL).get("/api/experiments/" + id + path).then().statusCode(404).body("field", equalTo("experimentId"));
        }
        as(RIVAL).post("/api/experiments/" + id + "/cancel").then().statusCode(404);
        as(RIVAL).body("{}").post("/api/experiments/" + id + "/clone").then().statusCode(404);
        as(RIVAL).get("/api/compare?ids=" + id).then().statusCode(404);
        as(RIVAL).get("/api/experiments").then().statusCode(200).body("experimentId", not(hasItem(id)));
        // the same answer as for an id that does not exist at all
        as(RIVAL).get("/api/experiments/exp-000000000000").then().statusCode(404).body("error",
                equalTo("no experiment exp-000000000000"));
    }

    @Test
    void publicExperimentIsReadableButNotCancellableByOtherTeam() {
        String id = Fixtures.createExperiment(DEMO, true);
        as(RIVAL).get("/api/experiments/" + id).then().statusCode(200).body("public", equalTo(true));
        as(RIVAL).get("/api/experiments").then().body("experimentId", hasItem(id));
        as(RIVAL).post("/api/experiments/" + id + "/cancel").then().statusCode(403);
    }

    @Test
    void adminReadsEveryTeamAndFiltersByTeam() {
        String demo = Fixtures.createExperiment(DEMO, false);
        String rival = Fixtures.createExperiment(RIVAL, false);
        as(ADMIN).get("/api/experiments").then().statusCode(200).body("experimentId", hasItem(demo))
                .body("experimentId", hasItem(rival));
        as(ADMIN).get("/api/experiments?team=rival").then().statusCode(200).body("team", everyItem(equalTo("rival")))
                .body("experimentId", hasItem(rival));
        as(ADMIN).get("/api/experiments/" + demo).then().statusCode(200);
        as(DEMO).get("/api/experiments").then().body("experimentId", not(hasItem(rival)));
    }

    @Test
    void deadLettersNeedTheAdminKey() {
        as(DEMO).get("/api/admin/deadletters").then().statusCode(403).body("field", equalTo("X-API-Key"));
        as(ADMIN).get("/api/admin/deadletters").then().statusCode(200);
    }

    @Test
    void unreadableRecordIsDeadLetteredAndListedForAdmin() {
        var bad = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(Topics.TRAINING, null,
                "exp-garbage", "{not json".getBytes(), new org.apache.kafka.common.header.internals.RecordHeaders());
        io.grokstream.contracts.CloudEvents.put(bad.headers(), io.grokstream.contracts.CloudEvents.TYPE,
                "grokstream.training.metrics.v1");
        io.grokstream.contracts.CloudEvents.put(bad.headers(), io.grokstream.contracts.CloudEvents.ID, "bad-" + System.nanoTime());
        long offset = Fixtures.send(bad).offset();
        Fixtures.await(() -> as(ADMIN).get("/api/admin/deadletters").jsonPath().getList("originalOffset", Long.class)
                        .stream().anyMatch(o -> o == offset)
                        && as(ADMIN).get("/api/admin/deadletters").jsonPath().getList("consumer").contains("gateway"),
                "the dead letter in the admin view");
        as(ADMIN).get("/api/admin/deadletters").then().body("originalTopic", hasItem(Topics.TRAINING))
                .body("reason", hasItem(containsString("malformed StepMetrics JSON")));
    }

    // ---- create ----------------------------------------------------------------------------------------------

    @Test
    void emptyBodyCreatesNandasRunOnTheDefaultTask() {
        Response r = as(DEMO).body("{}").post("/api/experiments");
        r.then().statusCode(201).body("experimentId", matchesPattern("exp-[0-9a-f]{12}"))
                .body("status", equalTo("submitted")).body("team", equalTo("demo"))
                .body("taskId", equalTo(Fixtures.TASK_P113)).body("maxSteps", equalTo(40000))
                .body("config.model.dModel", equalTo(128)).body("config.model.nHeads", equalTo(4))
                .body("config.model.dHead", equalTo(32)).body("config.model.dMlp", equalTo(512))
                .body("config.model.dVocab", equalTo(114)).body("config.model.nCtx", equalTo(3))
                .body("config.model.outputs[0].classes", equalTo(113))
                .body("config.optimizer.lr", equalTo(1e-3f)).body("config.optimizer.weightDecay", equalTo(1.0f))
                .body("config.optimizer.beta2", equalTo(0.98f)).body("config.grokfast.kind", equalTo("none"))
                .body("config.taskSha256", equalTo("sha-" + Fixtures.TASK_P113));
        ModelConfig nanda = ModelConfig.nanda(113);
        assertEquals(nanda.dVocab(), r.jsonPath().getInt("config.model.dVocab"));
    }

    @Test
    void createdExperimentIsPublishedOnTheExperimentsTopic() {
        long before = Fixtures.endOffsets(Topics.EXPERIMENTS);
        Fixtures.createExperiment(DEMO, false);
        assertEquals(before + 1, Fixtures.endOffsets(Topics.EXPERIMENTS));
    }

    @Test
    void requestedFieldsOverrideDefaults() {
        as(DEMO).body("""
                {"name": "wd sweep point", "taskId": "%s", "model": {"nLayers": 2, "attnOnly": true, "dtype": "float64"},
                 "optimizer": {"weightDecay": 0.3, "batchSize": 128}, "grokfast": {"kind": "ema", "alpha": 0.9, "lambda": 5},
                 "budget": {"maxSteps": 500, "stopAtValidationAccuracy": 0.95}, "seed": 42,
                 "cadence": {"metricsEvery": 5, "snapshotEvery": 50}, "public": true}
                """.formatted(TASK_P7)).post("/api/experiments").then().statusCode(201)
                .body("name", equalTo("wd sweep point")).body("public", equalTo(true))
                .body("config.model.nLayers", equalTo(2)).body("config.model.attnOnly", equalTo(true))
                .body("config.model.dtype", equalTo("float64")).body("config.model.dVocab", equalTo(8))
                .body("config.optimizer.weightDecay", equalTo(0.3f)).body("config.optimizer.batchSize", equalTo(128))
                .body("config.grokfast.kind", equalTo("ema")).body("config.grokfast.lambda", equalTo(5.0f))
                .body("config.budget.stopAtValidationAccuracy", equalTo(0.95f)).body("config.seed", equalTo(42))
                .body("config.cadence.metricsEvery", equalTo(5)).body("config.cadence.snapshotEveryEarly", equalTo(20));
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"bogus\": 1}|bogus|unknown field",
            "{\"model\": {\"dModel\": 0}}|model.dModel|must be in [1, 4096]",
            "{\"model\": {\"nLayers\": 17}}|model.nLayers|must be in [1, 16]",
            "{\"model\": {\"nHeads\": 1.5}}|model.nHeads|must be an integer",
            "{\"model\": {\"dHead\": \"32\"}}|model.dHead|must be an integer",
            "{\"model\": {\"dMlp\": 20000}}|model.dMlp|must be in [1, 16384]",
            "{\"model\": {\"attnOnly\": true, \"mlpOnly\": true}}|model.mlpOnly|cannot both be true",
            "{\"model\": {\"layerNorm\": \"yes\"}}|model.layerNorm|must be true or false",
            "{\"model\": {\"dtype\": \"float16\"}}|model.dtype|must be one of",
            "{\"model\": {\"width\": 3}}|model.width|unknown field",
            "{\"model\": 5}|model|must be a JSON object",
            "{\"optimizer\": {\"lr\": 0}}|optimizer.lr|must be in (0, 10]",
            "{\"optimizer\": {\"lr\": -1}}|optimizer.lr|must be in (0, 10]",
            "{\"optimizer\": {\"weightDecay\": -0.1}}|optimizer.weightDecay|must be in [0, 100]",
            "{\"optimizer\": {\"beta1\": 1}}|optimizer.beta1|must be in [0, 1)",
            "{\"optimizer\": {\"beta2\": 1.5}}|optimizer.beta2|must be in [0, 1)",
            "{\"optimizer\": {\"eps\": 0}}|optimizer.eps|must be in (0, 1]",
            "{\"optimizer\": {\"warmupSteps\": -1}}|optimizer.warmupSteps|must be in [0, 10000000]",
            "{\"optimizer\": {\"batchSize\": -5}}|optimizer.batchSize|must be in [0, 10000000]",
            "{\"grokfast\": {\"kind\": \"fast\"}}|grokfast.kind|must be one of",
            "{\"grokfast\": {\"alpha\": 1}}|grokfast.alpha|must be in [0, 1)",
            "{\"grokfast\": {\"lambda\": -2}}|grokfast.lambda|must be in [0, 100]",
            "{\"grokfast\": {\"window\": 0}}|grokfast.window|must be in [1, 10000]",
            "{\"grokfast\": {\"reduction\": \"max\"}}|grokfast.reduction|must be one of",
            "{\"budget\": {\"maxSteps\": 0}}|budget.maxSteps|must be in [1, 100000000]",
            "{\"budget\": {\"stopAtValidationAccuracy\": 1.5}}|budget.stopAtValidationAccuracy|must be in (0, 1]",
            "{\"seed\": -1}|seed|must be in [0,",
            "{\"cadence\": {\"metricsEvery\": 0}}|cadence.metricsEvery|must be in [1, 1000000]",
            "{\"cadence\": {\"snapshotEvery\": 0}}|cadence.snapshotEvery|must be in [1,",
            "{\"cadence\": {\"snapshotEveryEarly\": 0}}|cadence.snapshotEveryEarly|must be in [1,",
            "{\"cadence\": {\"earlySteps\": -1}}|cadence.earlySteps|must be in [0,",
            "{\"cadence\": {\"checkpointEvery\": 0}}|cadence.checkpointEvery|must be in [1,",
            "{\"public\": \"yes\"}|public|must be true or false",
            "{\"name\": \"\"}|name|1 to 200 printable characters",
            "{\"name\": 7}|name|must be a string",
            "{\"taskId\": \"no-such-task\"}|taskId|unknown task no-such-task",
            "{\"taskId\": \"bad id!\"}|taskId|must match",
            "{\"taskId\": \"x\", \"task\": {\"kind\": \"modular\"}}|task|not both",
            "{\"task\": {\"parameters\": {}}}|task.kind|required",
            "{\"task\": {\"kind\": \"modular\", \"extra\": 1}}|task.extra|unknown field",
            "{\"model\": {\"nLayers\": 16, \"dModel\": 4096, \"dMlp\": 16384}}|model|parameters; the limit is 50000000",
            "[1, 2]|body|must be a JSON object",
            "null|body|must be a JSON object",
    })
    void badInputIsRefusedNamingTheFieldAndPublishesNothing(String body, String field, String message) {
        long before = Fixtures.endOffsets(Topics.EXPERIMENTS);
        as(DEMO).body(body).post("/api/experiments").then().statusCode(400).body("field", equalTo(field))
                .body("error", containsString(message));
        assertEquals(before, Fixtures.endOffsets(Topics.EXPERIMENTS), "nothing published");
    }

    @Test
    void malformedJsonIsABadRequest() {
        as(DEMO).body("{\"model\": ").post("/api/experiments").then().statusCode(400)
                .body("error", containsString("JSON"));
        as(DEMO).post("/api/experiments").then().statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void inlineTaskWithDatasetServiceDownIsServiceUnavailable() {
        long before = Fixtures.endOffsets(Topics.EXPERIMENTS);
        as(DEMO).body("{\"task\": {\"kind\": \"modular\", \"parameters\": {\"p\": 7}}}").post("/api/experiments")
                .then().statusCode(503).body("field", equalTo("task"))
                .body("error", containsString("dataset service unavailable"));
        assertEquals(before, Fixtures.endOffsets(Topics.EXPERIMENTS));
    }

    // ---- cancel, clone, sweep --------------------------------------------------------------------------------

    @Test
    void cancelPublishesAndMarksCancelledOnce() {
        String id = Fixtures.createExperiment(DEMO, false);
        long before = Fixtures.endOffsets(Topics.EXPERIMENTS);
        as(DEMO).body("{\"reason\": \"wrong lr\"}").post("/api/experiments/" + id + "/cancel").then().statusCode(202)
                .body("experimentId", equalTo(id)).body("status", equalTo("cancelled"));
        assertEquals(before + 1, Fixtures.endOffsets(Topics.EXPERIMENTS));
        as(DEMO).get("/api/experiments/" + id).then().body("status", equalTo("cancelled"))
                .body("endReason", equalTo("wrong lr"));
        as(DEMO).post("/api/experiments/" + id + "/cancel").then().statusCode(409);
        as(DEMO).body("{\"why\": 1}").post("/api/experiments/" + Fixtures.createExperiment(DEMO, false) + "/cancel")
                .then().statusCode(400).body("field", equalTo("why"));
    }

    @Test
    void adminMayCancelAnyTeamsExperiment() {
        String id = Fixtures.createExperiment(RIVAL, false);
        as(ADMIN).post("/api/experiments/" + id + "/cancel").then().statusCode(202);
    }

    @Test
    void cloneKeepsTheOriginalAndAppliesOverrides() {
        String id = Fixtures.createExperiment(DEMO, false);
        as(DEMO).body("{\"optimizer\": {\"weightDecay\": 0.1}, \"seed\": 7}").post("/api/experiments/" + id + "/clone")
                .then().statusCode(201).body("clonedFrom", equalTo(id)).body("experimentId", not(equalTo(id)))
                .body("config.optimizer.weightDecay", equalTo(0.1f)).body("config.seed", equalTo(7))
                .body("config.model.dModel", equalTo(16)).body("config.optimizer.lr", equalTo(1e-3f))
                .body("maxSteps", equalTo(1000)).body("name", containsString("(clone)"));
        as(DEMO).body("{\"optimizer\": {\"lr\": \"fast\"}}").post("/api/experiments/" + id + "/clone").then()
                .statusCode(400).body("field", equalTo("optimizer.lr"));
    }

    @Test
    void sweepCreatesOneLinkedExperimentPerGridPoint() {
        Response r = as(DEMO).body("""
                {"base": {"taskId": "%s", "name": "wd x lambda", "model": {"dModel": 16, "nHeads": 2, "dHead": 8, "dMlp": 32},
                          "grokfast": {"kind": "ema"}},
                 "grid": {"optimizer.weightDecay": [0.3, 1.0], "grokfast.lambda": [0, 2]}}
                """.formatted(TASK_P7)).post("/api/sweeps");
        r.then().statusCode(201).body("sweepId", matchesPattern("sweep-[0-9a-f]{12}")).body("experimentIds", hasSize(4));
        String sweepId = r.path("sweepId");
        List<String> ids = r.jsonPath().getList("experimentIds");
        List<Map<String, Object>> configs = ids.stream()
                .map(id -> as(DEMO).get("/api/experiments/" + id).then().statusCode(200)
                        .body("sweepId", equalTo(sweepId)).extract().jsonPath().<String, Object>getMap("config"))
                .toList();
        assertEquals(List.of("0.3/0.0", "0.3/2.0", "1.0/0.0", "1.0/2.0"), configs.stream()
                .map(c -> ((Map<?, ?>) c.get("optimizer")).get("weightDecay") + "/" + ((Map<?, ?>) c.get("grokfast")).get("lambda"))
                .map(s -> s.replace("0.30000001192092896", "0.3")).toList());
    }

    @ParameterizedTest(name = "sweep {0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"base\": {}}|grid|one or two parameters",
            "{\"grid\": {\"optimizer.lr\": [1e-3], \"seed\": [1], \"model.dModel\": [8]}}|grid|at most two",
            "{\"grid\": {\"optimizer.momentum\": [1]}}|grid.optimizer.momentum|not a sweepable field",
            "{\"grid\": {\"optimizer.lr\": []}}|grid.optimizer.lr|non-empty list",
            "{\"grid\": {\"optimizer.lr\": [0.1, 0.1]}}|grid.optimizer.lr|repeats a value",
            "{\"grid\": {\"seed\": [1,2,3,4,5], \"optimizer.lr\": [0.1,0.2,0.3,0.4]}}|grid|limit is 16",
            "{\"grid\": {\"optimizer.lr\": [0.1, -1]}}|grid.optimizer.lr|must be in (0, 10]",
            "{\"base\": {\"optimizer\": {\"eps\": -1}}, \"grid\": {\"seed\": [1, 2]}}|base.optimizer.eps|must be in (0, 1]",
            "{\"base\": 3, \"grid\": {\"seed\": [1]}}|base|must be a JSON object",
            "{\"grid\": {\"seed\": [1]}, \"extra\": true}|extra|unknown field",
    })
    void badSweepIsRefusedAndPublishesNothing(String body, String field, String message) {
        long before = Fixtures.endOffsets(Topics.EXPERIMENTS);
        as(DEMO).body(body).post("/api/sweeps").then().statusCode(400).body("field", equalTo(field))
                .body("error", containsString(message));
        assertEquals(before, Fixtures.endOffsets(Topics.EXPERIMENTS));
    }

    // ---- views -----------------------------------------------------------------------------------------------

    @Test
    void tasksAreListedWithoutTheirData() {
        as(DEMO).get("/api/tasks").then().statusCode(200).body("id", hasItem(TASK_P7))
                .body("find { it.id == '" + TASK_P7 + "' }.seqLen", equalTo(3))
                .body("find { it.id == '" + TASK_P7 + "' }.rows", equalTo(49))
                .body("find { it.id == '" + TASK_P7 + "' }.data", nullValue());
        as(DEMO).get("/api/tasks/" + TASK_P7).then().statusCode(200).body("targets[0].classes", equalTo(7))
                .body("residues.p", equalTo(7));
        as(DEMO).get("/api/tasks/nope").then().statusCode(404).body("field", equalTo("taskId"));
    }

    @Test
    void progressStatusAndPhasesFollowTheTrainingTopic() {
        String id = Fixtures.createExperiment(DEMO, false);
        Fixtures.publish(new TrainingStarted(id, "worker-1", "cpu", 0, Instant.now()));
        for (int step = 10; step <= 100; step += 10) {
            Fixtures.publish(Fixtures.metrics(id, step, step >= 50 ? 1.0 : 0.5, step >= 90 ? 1.0 : 0.1));
        }
        Fixtures.publish(Fixtures.metrics(id, 50, 1.0, 0.1)); // a resumed run repeats a step
        Fixtures.publish(new PhaseDetected(id, "memorised", 40, "train accuracy 1.0", "1"));
        Fixtures.await(() -> as(DEMO).get("/api/experiments/" + id).path("phases.size()").equals(1)
                && (int) as(DEMO).get("/api/experiments/" + id).path("step") == 100, "folded metrics and phase");
        as(DEMO).get("/api/experiments/" + id).then().body("status", equalTo("running")).body("worker", equalTo("worker-1"))
                .body("device", equalTo("cpu")).body("maxSteps", equalTo(1000)).body("stepsPerSecond", equalTo(50.0f))
                .body("etaSeconds", equalTo(18.0f)).body("latest.validationAccuracy", equalTo(1.0f))
                .body("memorisedStep", equalTo(40)).body("grokStep", equalTo(90))
                .body("phases[0].phase", equalTo("memorised"));
        List<Integer> steps = as(DEMO).get("/api/experiments/" + id + "/metrics").jsonPath().getList("step");
        assertEquals(List.of(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), steps, "one point per step");
        // maxPoints 4 is below 2 x 8 metrics + 2: one bucket, first and last kept with each metric's extremes (train
        // loss highest at 20 and lowest at 90, train accuracy first reaching 1.0 at 50)
        assertEquals(List.of(10, 20, 50, 90, 100), as(DEMO).get("/api/experiments/" + id + "/metrics?maxPoints=4")
                .jsonPath().getList("step"), "each bucket's extremes, first and last kept");
        as(DEMO).get("/api/experiments/" + id + "/metrics?maxPoints=1").then().statusCode(400)
                .body("field", equalTo("maxPoints"));
        as(DEMO).get("/api/experiments/" + id + "/metrics?maxPoints=many").then().statusCode(400)
                .body("field", equalTo("maxPoints")).body("error", containsString("must be an integer"));
    }

    @Test
    void aOneStepLossSpikeSurvivesDownsamplingAndAZoomedRangeComesAtFullResolution() {
        String id = Fixtures.createExperiment(DEMO, false);
        for (int step = 1; step <= 300; step++) {
            StepMetrics m = Fixtures.metrics(id, step, 0.5, 0.1);
            Fixtures.publish(step == 175 ? spiked(m, 50.0) : m); // even spacing to 60 skips 175
        }
        Fixtures.await(() -> as(DEMO).get("/api/experiments/" + id + "/metrics").jsonPath().getList("step").size() == 300,
                "300 metric rows folded");
        List<Integer> steps = as(DEMO).get("/api/experiments/" + id + "/metrics?maxPoints=60").jsonPath().getList("step");
        assertTrue(steps.size() <= 60, "at most maxPoints when maxPoints >= 2 x 8 metrics + 2: " + steps.size());
        assertTrue(steps.contains(175), "the slingshot spike at step 175 is kept: " + steps);
        List<Integer> zoomed = as(DEMO).get("/api/experiments/" + id + "/metrics?from=150&to=199&maxPoints=60")
                .jsonPath().getList("step");
        assertEquals(IntStream.rangeClosed(150, 199).boxed().toList(), zoomed, "the zoomed range at full resolution");
        assertEquals(List.of(290), as(DEMO).get("/api/experiments/" + id + "/metrics?from=290&to=290")
                .jsonPath().getList("step"));
        as(DEMO).get("/api/experiments/" + id + "/metrics?from=-1").then().statusCode(400).body("field", equalTo("from"));
        as(DEMO).get("/api/experiments/" + id + "/metrics?to=late").then().statusCode(400).body("field", equalTo("to"));
        as(DEMO).get("/api/experiments/" + id + "/measures?from=20&to=10").then().statusCode(400)
                .body("field", equalTo("to")).body("error", containsString("below from"));
    }

    private static StepMetrics spiked(StepMetrics m, double validationLoss) {
        return new StepMetrics(m.experimentId(), m.step(), m.trainLoss(), validationLoss, m.trainAccuracy(),
                m.validationAccuracy(), m.trainAccuracyPerTarget(), m.validationAccuracyPerTarget(),
                m.gradNormBefore(), m.gradNormAfter(), m.gradNormTotal(), m.weightSquared(), m.weightSquaredTotal(),
                m.lr(), m.stepMillis());
    }

    @Test
    void measuresKeepTheNewestAnalysisVersionPerStep() {
        String id = Fixtures.createExperiment(DEMO, false);
        Fixtures.publish(measured(id, 100, "2", 0.5));
        Fixtures.publish(measured(id, 100, "1", 0.9)); // an older analysis arriving late does not win
        Fixtures.publish(measured(id, 200, "1", 0.2));
        Fixtures.await(() -> as(DEMO).get("/api/experiments/" + id + "/measures").jsonPath().getList("step").size() == 2,
                "two measured steps");
        as(DEMO).get("/api/experiments/" + id + "/measures").then()
                .body("[0].scalars.restricted_loss", equalTo(0.5f)).body("[0].analysisVersion", equalTo("2"))
                .body("[0].keyFrequencies", equalTo(List.of(14, 35))).body("[0].spectra", nullValue());
        as(DEMO).get("/api/experiments/" + id + "/measures?spectra=embed_fourier").then()
                .body("[0].spectra.embed_fourier", hasSize(3));
        as(DEMO).get("/api/experiments/" + id + "/measures/latest").then().statusCode(200).body("step", equalTo(200))
                .body("grids.neuron", hasSize(4)).body("gridShapes.neuron", equalTo(List.of(2, 2)));
        String empty = Fixtures.createExperiment(DEMO, false);
        as(DEMO).get("/api/experiments/" + empty + "/measures/latest").then().statusCode(404);
    }

    @Test
    void compareReturnsOneSeriesPerExperiment() {
        String a = Fixtures.createExperiment(DEMO, false);
        String b = Fixtures.createExperiment(DEMO, true);
        Fixtures.publish(Fixtures.metrics(a, 10, 0.5, 0.25));
        Fixtures.publish(Fixtures.metrics(b, 10, 0.5, 0.75));
        Fixtures.publish(Fixtures.metrics(b, 20, 0.5, 0.8));
        Fixtures.publish(measured(a, 10, "1", 0.3));
        Fixtures.await(() -> as(DEMO).get("/api/experiments/" + b + "/metrics").jsonPath().getList("step").size() == 2
                && as(DEMO).get("/api/experiments/" + a + "/measures").jsonPath().getList("step").size() == 1, "folded");
        as(DEMO).get("/api/compare?ids=" + a + "," + b + "&metric=validationAccuracy").then().statusCode(200)
                .body("metric", equalTo("validationAccuracy")).body("series", hasSize(2))
                .body("series[0].experimentId", equalTo(a)).body("series[0].points[0]", equalTo(List.of(10.0f, 0.25f)))
                .body("series[1].points", hasSize(2));
        as(DEMO).get("/api/compare?ids=" + a + "&metric=restricted_loss").then().statusCode(200)
                .body("series[0].points[0][1]", equalTo(0.3f));
        as(DEMO).get("/api/compare?ids=" + a + "&metric=nonsense").then().statusCode(400).body("field", equalTo("metric"));
        as(DEMO).get("/api/compare").then().statusCode(400).body("field", equalTo("ids"));
        as(RIVAL).get("/api/compare?ids=" + b).then().statusCode(200);
    }

    @Test
    void openApiAndMetricsAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/experiments"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("grokstream_gateway_events_consumed_total"), "events consumed per topic");
        assertTrue(metrics.contains("grokstream_gateway_consumer_lag"), "lag");
        assertTrue(metrics.contains("grokstream_gateway_view_size"), "view sizes");
    }

    @Test
    void theWaitingExperimentsGaugeCountsWhatTheViewsCallSubmitted() {
        String id = as(DEMO).body("{}").post("/api/experiments").then().statusCode(201).extract().path("experimentId");
        Fixtures.await(() -> as(ADMIN).get("/api/experiments/" + id).statusCode() == 200, "the submission folded");
        String submitted = WorkMetric.EXPERIMENTS.prometheusName() + "{" + WorkMetric.STATUS_TAG + "=\""
                + ExperimentStatus.SUBMITTED.wire() + "\"}";
        Fixtures.await(() -> {
            long inView = as(ADMIN).get("/api/experiments").jsonPath().getList("status", String.class).stream()
                    .filter(ExperimentStatus.SUBMITTED.wire()::equals).count();
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            return metrics.lines().filter(l -> l.startsWith(submitted)).findFirst()
                    .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) == inView && inView >= 1)
                    .orElse(false);
        }, "grokstream_experiments{status=submitted} equal to the submitted experiments the API lists");
    }

    static ProgressMeasured measured(String id, long step, String version, double restricted) {
        return new ProgressMeasured(id, step, version, Map.of("restricted_loss", restricted, "gini_embed", 0.1),
                Map.of("embed_fourier", new double[]{1, 2, 3}), List.of(14, 35), Map.of("neuron", new double[]{1, 2, 3, 4}),
                Map.of("neuron", new int[]{2, 2}), 0, 12.5);
    }
}
