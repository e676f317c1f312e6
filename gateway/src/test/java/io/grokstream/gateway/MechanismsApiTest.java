package io.grokstream.gateway;

import io.grokstream.contracts.Measure;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static io.grokstream.gateway.Fixtures.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code GET /api/compare/mechanisms} on the real broker: two runs whose analysis published known key frequencies
 * step by step, per target too; the answer's steps and the shared/unique split are worked out by hand below.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class MechanismsApiTest {

    @Test
    void twoRunsShowTheirPhaseStepsWhenEachFrequencyWasFoundAndWhichTheyShare() {
        String a = Fixtures.createExperiment(DEMO, false);
        String b = Fixtures.createExperiment(DEMO, false);
        // a: {3} at 100, {3, 7} at 200 and 300. b: {5} at 100, nothing at 200, {3, 5} at 300.
        Fixtures.publish(measured(a, 100, List.of(3), Map.of()));
        Fixtures.publish(measured(a, 200, List.of(3, 7), Map.of()));
        Fixtures.publish(measured(a, 300, List.of(3, 7), Map.of("q3", new double[]{1}, "q5", new double[]{2})));
        Fixtures.publish(measured(b, 100, List.of(5), Map.of()));
        Fixtures.publish(measured(b, 200, List.of(), Map.of("q3", new double[]{2})));
        Fixtures.publish(measured(b, 300, List.of(3, 5), Map.of("q3", new double[]{1, 2})));
        Fixtures.publish(new PhaseDetected(a, "circuit_formation", 250, "restricted loss fell", "1"));
        Fixtures.publish(new PhaseDetected(a, "memorised", 150, "train accuracy 0.99", "1"));
        Fixtures.await(() -> as(DEMO).get("/api/experiments/" + b + "/measures").jsonPath().getList("step").size() == 3
                && as(DEMO).get("/api/experiments/" + a + "/measures").jsonPath().getList("step").size() == 3
                && as(DEMO).get("/api/experiments/" + a).jsonPath().getList("phases").size() == 2, "folded");

        as(DEMO).get("/api/compare/mechanisms?ids=" + a + "," + b).then().statusCode(200)
                .body("runs", hasSize(2))
                .body("runs[0].experimentId", equalTo(a)).body("runs[0].optimizer", equalTo("adamw"))
                .body("runs[0].grokfast", equalTo("none")).body("runs[0].measuredStep", equalTo(300))
                .body("runs[0].phases.phase", equalTo(List.of("memorised", "circuit_formation")))
                .body("runs[0].phases.step", equalTo(List.of(150, 250)))
                .body("runs[0].keyFrequencies.frequency", equalTo(List.of(3, 7)))
                .body("runs[0].keyFrequencies.firstSeen", equalTo(List.of(100, 200)))
                .body("runs[0].keyFrequencies.stableSince", equalTo(List.of(100, 200)))
                .body("runs[1].keyFrequencies.frequency", equalTo(List.of(3, 5)))
                .body("runs[1].keyFrequencies.firstSeen", equalTo(List.of(300, 100)))
                .body("runs[1].keyFrequencies.stableSince", equalTo(List.of(300, 300)))
                .body("frequencies.shared", equalTo(List.of(3)))
                .body("frequencies.unique.'" + a + "'", equalTo(List.of(7)))
                .body("frequencies.unique.'" + b + "'", equalTo(List.of(5)))
                // per target: a's q3 {1} from 300, q5 {2}; b's q3 {2} at 200, {1, 2} at 300
                .body("runs[0].targets.name", equalTo(List.of("q3", "q5")))
                .body("runs[0].targets[0].testAccuracy", equalTo(0.75f))
                .body("runs[0].targets[0].restrictedLoss", equalTo(0.5f))
                .body("runs[0].targets[1].excludedLoss", nullValue())
                .body("runs[1].targets[0].keyFrequencies.frequency", equalTo(List.of(1, 2)))
                .body("runs[1].targets[0].keyFrequencies.firstSeen", equalTo(List.of(300, 200)))
                .body("targets.q3.shared", equalTo(List.of(1)))
                .body("targets.q3.unique.'" + b + "'", equalTo(List.of(2)))
                .body("targets.q5.shared", equalTo(List.of(2)));
    }

    @Test
    void idsAreCheckedLikeTheComparisonsAndAnotherTeamsRunIsNotFound() {
        String a = Fixtures.createExperiment(DEMO, false);
        as(DEMO).get("/api/compare/mechanisms").then().statusCode(400).body("field", equalTo("ids"));
        as(DEMO).get("/api/compare/mechanisms?ids=,,").then().statusCode(400).body("field", equalTo("ids"));
        as(RIVAL).get("/api/compare/mechanisms?ids=" + a).then().statusCode(404).body("field", equalTo("experimentId"));
        as(DEMO).get("/api/compare/mechanisms?ids=" + a).then().statusCode(200)
                .body("runs[0].keyFrequencies", hasSize(0)).body("runs[0].measuredStep", nullValue())
                .body("frequencies.shared", hasSize(0));
    }

    /** Key frequencies, and per target its key frequencies (a spectrum) with a test accuracy and restricted loss. */
    private static ProgressMeasured measured(String id, long step, List<Integer> keys, Map<String, double[]> targets) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        Map<String, double[]> spectra = new LinkedHashMap<>();
        targets.forEach((t, k) -> {
            spectra.put(Measure.KEY_FREQUENCIES_OF.member(t), k);
            scalars.put(Measure.TEST_ACCURACY_OF.member(t), 0.75);
        });
        if (targets.containsKey("q3")) {
            scalars.put(Measure.RESTRICTED_LOSS_OF.member("q3"), 0.5);
        }
        return new ProgressMeasured(id, step, "1", scalars, spectra, keys, Map.of(), Map.of(), 0, 1.0);
    }
}
