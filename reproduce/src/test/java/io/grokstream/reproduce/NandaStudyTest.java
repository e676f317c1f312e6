package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.reproduce.study.NandaStudy;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import static io.grokstream.reproduce.Fixtures.sigmoid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NandaStudyTest {
    /**
     * A planted history shaped like Nanda et al.'s: memorised at 200, restricted loss below 1 nat at 1,900, test loss
     * below 1 nat at 2,800, validation accuracy 0.99 at 3,460, cleanup from 2,600 with the weights shrinking.
     */
    static RunData grokkingRun(boolean groks) {
        Map<String, LongFunction<Double>> m = new LinkedHashMap<>();
        m.put("trainAccuracy", s -> Math.min(1.0, s / 200.0));
        m.put("validationAccuracy", s -> groks ? sigmoid((s - 3000) / 100.0) : 0.05);
        m.put("trainLoss", s -> s < 200 ? 4.0 : 0.001);
        m.put("validationLoss", s -> !groks || s < 2500 ? 10.0 : Math.max(0.001, 10.0 * Math.exp(-(s - 2500) / 100.0)));
        m.put("weightSquaredTotal", s -> s < 2600 ? 3000.0 : 3000.0 - (s - 2600) * 0.5);
        m.put("stepMillis", s -> 50.0);
        Map<String, LongFunction<Double>> sc = new LinkedHashMap<>();
        sc.put("restricted_loss", s -> s < 1500 ? 4.7 : Math.max(0.01, 4.7 - (s - 1500) * 0.01));
        sc.put("excluded_loss", s -> s < 300 ? 0.01 : Math.min(5.0, 0.01 + (s - 300) * 0.002));
        sc.put("test_loss", s -> !groks || s < 2500 ? 10.0 : Math.max(0.001, 10.0 * Math.exp(-(s - 2500) / 100.0)));
        sc.put("train_loss", s -> 0.001);
        sc.put("gini_embed", s -> s < 1500 ? 0.1 : 0.5);
        ArrayNode measures = Fixtures.measures(100, 6000, sc, s -> s < 1500 ? List.of() : List.of(14, 35, 41, 42, 52));
        ObjectNode latest = Fixtures.JSON.createObjectNode().put("step", 6000);
        latest.putObject("scalars").put("explained_neuron_share", 0.85);
        ArrayNode norms = latest.putObject("spectra").putArray("embed_frequency_norms");
        for (int k = 1; k <= 56; k++) {
            norms.add(List.of(14, 35, 41, 42, 52).contains(k) ? 5.0 : 0.1);
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("memorised", 200L);
        phases.put("circuit_formation", 1500L);
        phases.put("cleanup", 2600L);
        if (groks) {
            phases.put("grokked", 3460L);
        }
        return new RunData(Fixtures.run("baseline"), Fixtures.detail("exp-1", "completed", 6000, phases),
                Fixtures.task(new long[]{1, 1}, 1.0, false, "result"), Fixtures.metrics(10, 6000, m), measures, latest)
                .withRetrospective(retrospective(sc.get("restricted_loss"), sc.get("excluded_loss")));
    }

    /** The gateway's answer to GET /api/experiments/{id}/retrospective (the analysis service's): one point per snapshot. */
    static ObjectNode retrospective(LongFunction<Double> restricted, LongFunction<Double> excluded) {
        ObjectNode answer = Fixtures.JSON.createObjectNode();
        answer.putArray("frequencies").add(14).add(35).add(41).add(42).add(52);
        Map<String, LongFunction<Double>> fields = new LinkedHashMap<>();
        fields.put("restrictedLoss", restricted);
        fields.put("excludedLoss", excluded);
        answer.set("points", Fixtures.metrics(100, 6000, fields));
        return answer;
    }

    private static Report analyse(RunData run) {
        Report report = new Report("nanda", "t");
        new NandaStudy().analyse(Map.of("baseline", run), Scale.REDUCED, report);
        return report;
    }

    @Test
    void plantedGrokkingHistoryHoldsEveryClaim() {
        Report report = analyse(grokkingRun(true));
        for (Claim c : report.claims()) {
            assertEquals(Claim.Verdict.HELD, c.verdict(), c.statement() + ": " + c.evidence());
        }
        assertEquals(11, report.claims().size());
        assertEquals(200L, report.figures().get("memorisedStep"));
        assertEquals(3460L, report.figures().get("grokStep"));
        assertEquals(1900L, report.figures().get("restrictedBelowLevelStep"));
        assertEquals(2800L, report.figures().get("testLossBelowLevelStep"));
        assertEquals(List.of(14, 35, 41, 42, 52), report.figures().get("keyFrequencies"));
    }

    @Test
    void aRunThatNeverGeneralisesIsReportedAsNotHeld() {
        Report report = analyse(grokkingRun(false));
        Claim grokking = report.claims().get(0);
        assertEquals(Claim.Verdict.NOT_HELD, grokking.verdict(), grokking.evidence());
        assertTrue(grokking.evidence().contains("never"), grokking.evidence());
        assertTrue(report.claims().stream().anyMatch(c -> c.statement().startsWith("Training splits")
                && c.verdict() == Claim.Verdict.NOT_HELD), "no grokked phase: the phase claim fails");
    }

    @Test
    void restrictedLossFallingAfterTestLossIsNotHeld() {
        RunData normal = grokkingRun(true);
        Map<String, LongFunction<Double>> sc = new LinkedHashMap<>();
        sc.put("restricted_loss", s -> s < 3200 ? 4.7 : 0.1);
        sc.put("excluded_loss", s -> 0.01);
        sc.put("test_loss", s -> s < 2500 ? 10.0 : 0.01);
        RunData late = new RunData(normal.run(), normal.detail(), normal.task(),
                Fixtures.metrics(10, 6000, Map.of("trainAccuracy", s -> 1.0, "validationAccuracy", s -> s >= 3000 ? 1.0 : 0.0)),
                Fixtures.measures(100, 6000, sc, s -> List.of(14)), normal.latestMeasures())
                .withRetrospective(retrospective(sc.get("restricted_loss"), sc.get("excluded_loss")));
        Report report = analyse(late);
        Claim restricted = claim(report, "Restricted loss (final key frequencies)");
        assertEquals(Claim.Verdict.NOT_HELD, restricted.verdict(), restricted.evidence());
        Claim excluded = claim(report, "Excluded loss (final key frequencies)");
        assertEquals(Claim.Verdict.NOT_HELD, excluded.verdict(), "flat excluded loss does not rise: " + excluded.evidence());
        assertEquals(Claim.Verdict.NOT_HELD, claim(report, "Restricted loss measured live").verdict());
    }

    @Test
    void withoutTheAnalysisServicesRetrospectiveAnswerTheClaimsHaveNoData() {
        RunData normal = grokkingRun(true);
        RunData bare = normal.withRetrospective(null);
        Report report = analyse(bare);
        assertEquals(Claim.Verdict.NO_DATA, claim(report, "Restricted loss (final key frequencies)").verdict());
        assertEquals(Claim.Verdict.NO_DATA, claim(report, "The progress measures move").verdict());
        assertEquals(Claim.Verdict.HELD, claim(report, "Restricted loss measured live").verdict(), "the live measure is still judged");
    }

    private static Claim claim(Report r, String prefix) {
        return r.claims().stream().filter(c -> c.statement().startsWith(prefix)).findFirst().orElseThrow();
    }
}
