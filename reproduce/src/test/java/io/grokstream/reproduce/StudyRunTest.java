package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.reproduce.study.GrokFastStudy;
import io.grokstream.reproduce.study.NandaStudy;
import io.grokstream.reproduce.study.Studies;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyRunTest {
    /** An experiment detail as the gateway returns it for a run submitted with {@code run.request()}. */
    private static ObjectNode detailOf(StudyRun run) {
        ObjectNode d = Fixtures.JSON.createObjectNode().put("name", run.name()).put("taskId", "modular-add-p113-x");
        ObjectNode config = d.putObject("config").put("seed", run.request().path("seed").asLong());
        config.putObject("model").put("nLayers", 1).put("dModel", 128).put("nHeads", 4).put("dHead", 32).put("dMlp", 512);
        config.putObject("optimizer").put("lr", 0.001).put("weightDecay", 1.0).put("beta1", 0.9).put("beta2", 0.98)
                .put("eps", 1e-8).put("warmupSteps", 10).put("batchSize", 0);
        config.set("grokfast", run.request().has("grokfast") ? run.request().get("grokfast").deepCopy()
                : Fixtures.JSON.createObjectNode().put("kind", "none"));
        config.set("budget", run.request().get("budget").deepCopy());
        return d;
    }

    @Test
    void aRunMatchesTheExperimentSubmittedWithItsSettings() {
        StudyRun baseline = NandaStudy.baseline(Scale.REDUCED);
        assertTrue(baseline.matches(detailOf(baseline)));
    }

    @Test
    void anotherSeedBudgetOrFilterIsNotTheSameRun() {
        StudyRun baseline = NandaStudy.baseline(Scale.REDUCED);
        ObjectNode seed = detailOf(baseline);
        ((ObjectNode) seed.get("config")).put("seed", 1);
        assertFalse(baseline.matches(seed));
        ObjectNode budget = detailOf(baseline);
        ((ObjectNode) budget.get("config").get("budget")).put("maxSteps", 500);
        assertFalse(baseline.matches(budget));
        StudyRun ema = new GrokFastStudy().runs(Scale.REDUCED).get(1);
        ObjectNode filtered = detailOf(ema);
        ((ObjectNode) filtered.get("config").get("grokfast")).put("lambda", 5.0);
        assertFalse(ema.matches(filtered));
        ObjectNode renamed = detailOf(baseline).put("name", "something else");
        assertFalse(baseline.matches(renamed));
    }

    @Test
    void theGrokFastStudyRunsLeesSetupWithEachRunsWeightDecay() {
        List<StudyRun> runs = new GrokFastStudy().runs(Scale.REDUCED);
        assertEquals(List.of("baseline", "ema", "ma"), runs.stream().map(StudyRun::key).toList());
        assertEquals(List.of(0.0, 0.005, 0.01), runs.stream()
                .map(r -> r.request().path("optimizer").path("weightDecay").asDouble()).toList());
        for (StudyRun r : runs) {
            assertEquals("adam", r.request().path("optimizer").path("kind").asText());
            assertEquals("grokfast", r.request().path("task").path("parameters").path("layout").asText());
            assertEquals("pre-normed-residual", r.request().path("model").path("normPlacement").asText());
        }
        assertEquals(runs, new GrokFastStudy().runs(Scale.FULL), "Lee et al.'s setup is the paper's scale already");
    }

    @Test
    void everyStudyHasRunsWithDistinctKeysAndNamesAtBothScales() {
        Set<String> names = new HashSet<>();
        for (Study study : Studies.all()) {
            for (Scale scale : Scale.values()) {
                List<StudyRun> runs = study.runs(scale);
                assertFalse(runs.isEmpty(), study.name());
                assertEquals(runs.size(), runs.stream().map(StudyRun::key).distinct().count(), study.name());
                runs.forEach(r -> names.add(r.name()));
            }
        }
        assertTrue(names.size() >= 2 * (1 + 1 + 1) + 3 + 9, "names: " + names);
    }

    @Test
    void aRunRefusesAKeyOutsideItsAlphabet() {
        assertThrows(IllegalArgumentException.class, () -> new StudyRun("Bad Key", "x", Requests.nanda("x", 0, 1)));
        assertThrows(IllegalArgumentException.class, () -> new StudyRun("ok", "x", Requests.nanda("y", 0, 1)));
    }

    @Test
    void theRetrospectiveFrequenciesAreTheFinalNeuronsByNandasRuleNotTheLiveDetectors() throws Exception {
        // d_mlp 512: a key frequency needs a cluster of ceil(0.02 * 512) = 11 neurons; the live set (1, 2, 3) is
        // not consulted when the cluster sizes are there
        com.fasterxml.jackson.databind.JsonNode latest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"keyFrequencies\": [1, 2, 3], \"spectra\": {\"neuron_cluster_sizes\": [0, 12, 10, 11]}}");
        assertEquals(List.of(1, 3), StudyRunner.finalKeyFrequencies(latest, 512));
        assertEquals(List.of(1, 2, 3), StudyRunner.finalKeyFrequencies(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"keyFrequencies\": [1, 2, 3]}"), 512));
    }
}
