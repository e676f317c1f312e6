package io.grokstream.gateway;

import io.grokstream.cli.GrokstreamCli;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.Phase;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.ProgressMeasured;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.grokstream.gateway.Fixtures.ADMIN;
import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command-line client ({@code ./grokstream submit | sweep | ls | watch | compare | measures | cancel | clone |
 * infer | export | forecast}) against this gateway on a real broker: each verb does what its endpoint does, refusals come back
 * as the gateway's error with exit code 1, usage errors with 64, an unreachable gateway with 2.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class CommandLineClientTest {
    @TestHTTPResource("/")
    URL base;

    /** What one command printed and returned. */
    record Run(int exit, String out, String err) {
        String firstLine() {
            return out.strip().lines().findFirst().orElse("");
        }
    }

    @BeforeEach
    void catalog() {
        Fixtures.tasks();
    }

    private Run cli(String key, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--url=" + base);
        all.add(2, "--key=" + key);
        int exit = GrokstreamCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private String submitSmall(String name) {
        Run submitted = cli(DEMO, "submit", "--task", Fixtures.TASK_P7, "--name", name, "--d-model", "16", "--heads", "2",
                "--d-head", "8", "--d-mlp", "32", "--max-steps", "40");
        assertEquals(0, submitted.exit(), submitted.err());
        return submitted.firstLine();
    }

    @Test
    void submitCloneCancelAndListDoWhatTheirEndpointsDo() {
        String id = submitSmall("cli submitted");
        assertTrue(id.startsWith("exp-"), id);
        assertEquals(40, Fixtures.as(DEMO).get("/api/experiments/" + id).jsonPath().getLong("maxSteps"));

        Run cloned = cli(DEMO, "clone", id, "--wd", "0.3", "--seed", "9");
        assertEquals(0, cloned.exit(), cloned.err());
        var clone = Fixtures.as(DEMO).get("/api/experiments/" + cloned.firstLine()).jsonPath();
        assertEquals(0.3, clone.getDouble("config.optimizer.weightDecay"), 1e-12);
        assertEquals(9, clone.getLong("config.seed"));
        assertEquals(id, clone.getString("config.clonedFrom"));

        Run listed = cli(DEMO, "ls");
        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.out().contains(id) && listed.out().contains("cli submitted"), listed.out());

        Run cancelled = cli(DEMO, "cancel", id, "--reason", "wrong lr");
        assertEquals(0, cancelled.exit(), cancelled.err());
        assertEquals(id + " cancelled (wrong lr)", cancelled.firstLine());
        Fixtures.await(() -> "cancelled".equals(Fixtures.as(DEMO).get("/api/experiments/" + id).jsonPath().getString("status")),
                "the cancel folded");
        Run again = cli(DEMO, "cancel", id);
        assertEquals(GrokstreamCli.REFUSED, again.exit());
        assertTrue(again.err().contains("HTTP 409"), again.err());
        assertTrue(cli(DEMO, "ls", "--status", "cancelled").out().contains(id));
        assertTrue(!cli(DEMO, "ls", "--status", "running").out().contains(id));
    }

    @Test
    void forecastPrintsTheForecastAndSubmitOptsIntoItsStop() {
        Run submitted = cli(DEMO, "submit", "--task", Fixtures.TASK_P7, "--name", "cli forecast", "--d-model", "16",
                "--heads", "2", "--d-head", "8", "--d-mlp", "32", "--max-steps", "10000", "--stop-if-forecast-not-to-grok");
        assertEquals(0, submitted.exit(), submitted.err());
        String id = submitted.firstLine();
        assertTrue(Fixtures.as(DEMO).get("/api/experiments/" + id).jsonPath()
                .getBoolean("config.budget.stopIfForecastNotToGrok"));
        ForecastApiTest.analysed(id, 2000, ForecastApiTest::exponential);
        Fixtures.await(() -> Long.valueOf(2000).equals(Fixtures.as(DEMO).get("/api/experiments/" + id + "/forecast")
                .jsonPath().getObject("latest.step", Long.class)), "the forecast at step 2000");
        String summary = Fixtures.as(DEMO).get("/api/experiments/" + id + "/forecast").jsonPath().getString("summary");

        Run shown = cli(DEMO, "forecast", id, "--history");
        assertEquals(0, shown.exit(), shown.err());
        assertEquals(id + ": " + summary, shown.firstLine());
        assertTrue(summary.startsWith("groks near step "), summary);
        assertTrue(shown.out().contains("stop if forecast not to grok: yes"), shown.out());
        assertEquals(20, shown.out().lines().filter(l -> l.matches("\\s*\\d+\\s+(waiting|on_course)\\b.*")).count(),
                shown.out());
        Run missing = cli(DEMO, "forecast", "exp-none");
        assertEquals(GrokstreamCli.REFUSED, missing.exit());
        assertTrue(missing.err().contains("HTTP 404"), missing.err());
    }

    @Test
    void presetsPrintsEveryFieldAnEmptySubmitTrains() {
        Run nanda = cli(DEMO, "presets", "nanda");
        assertEquals(0, nanda.exit(), nanda.err());
        assertTrue(nanda.out().matches("(?s)nanda\\n.*model\\.dModel +128\\n.*optimizer\\.weightDecay +1\\.0\\n.*"),
                nanda.out());
        Run unknown = cli(DEMO, "presets", "nope");
        assertEquals(GrokstreamCli.REFUSED, unknown.exit());
        assertTrue(unknown.err().contains("no preset 'nope'; the gateway has nanda"), unknown.err());
    }

    @Test
    void anotherTeamsKeyIsRefusedAsNotFound() {
        String id = submitSmall("cli private");
        Run rival = cli(RIVAL, "cancel", id);
        assertEquals(GrokstreamCli.REFUSED, rival.exit());
        assertTrue(rival.err().contains("HTTP 404") && rival.err().contains("no experiment " + id), rival.err());
        assertEquals(GrokstreamCli.REFUSED, cli(RIVAL, "measures", id).exit());
        assertTrue(!cli(RIVAL, "ls").out().contains(id));
    }

    @Test
    void aSweepCreatesOneExperimentPerValueAndCompareShowsThemSideBySide() {
        Run sweep = cli(DEMO, "sweep", "--task", Fixtures.TASK_P7, "--d-model", "16", "--heads", "2", "--d-head", "8",
                "--d-mlp", "32", "--max-steps", "40", "--grid", "seed=1,2");
        assertEquals(0, sweep.exit(), sweep.err());
        assertTrue(sweep.firstLine().endsWith(": 2 experiments"), sweep.out());
        List<String> ids = sweep.out().lines().map(String::strip).filter(l -> l.startsWith("exp-")).toList();
        assertEquals(2, ids.size(), sweep.out());
        Fixtures.publish(Fixtures.metrics(ids.get(0), 10, 0.5, 0.25));
        Fixtures.publish(Fixtures.metrics(ids.get(1), 10, 0.5, 0.75));
        Fixtures.await(() -> Fixtures.as(DEMO).get("/api/experiments/" + ids.get(1) + "/metrics").jsonPath()
                .getList("step").size() == 1, "metrics folded");

        Run compared = cli(DEMO, "compare", ids.get(0), ids.get(1));
        assertEquals(0, compared.exit(), compared.err());
        assertTrue(compared.out().contains("25.0%") && compared.out().contains("75.0%"), compared.out());
        assertTrue(compared.out().contains(ids.get(1) + "  ") && compared.out().contains("best 75.0% at step 10"),
                compared.out());
    }

    @Test
    void compareMechanismsTablesPhaseStepsAndKeyFrequenciesAndMeasuresShowsOneTarget() {
        String a = submitSmall("mech-a");
        String b = submitSmall("mech-b");
        Map<String, double[]> spectra = Map.of(Measure.KEY_FREQUENCIES_OF.member("q3"), new double[]{1});
        Map<String, Double> scalars = Map.of(Measure.RESTRICTED_LOSS_OF.member("q3"), 0.25,
                Measure.TEST_ACCURACY_OF.member("q3"), 0.5, Measure.GINI_EMBED.wire(), 0.75);
        Fixtures.publish(new ProgressMeasured(a, 100, "1", scalars, spectra, List.of(3, 7), Map.of(), Map.of(), 0, 1));
        Fixtures.publish(new ProgressMeasured(b, 100, "1", scalars, spectra, List.of(3), Map.of(), Map.of(), 0, 1));
        Fixtures.publish(new PhaseDetected(a, Phase.MEMORISED.wire(), 80, "test", "1"));
        Fixtures.await(() -> Fixtures.as(DEMO).get("/api/experiments/" + a).jsonPath().getList("phases").size() == 1
                && Fixtures.as(DEMO).get("/api/experiments/" + b + "/measures").jsonPath().getList("step").size() == 1,
                "measures folded");

        Run compared = cli(DEMO, "compare", a, b, "--mechanisms");
        assertEquals(0, compared.exit(), compared.err());
        String rowA = compared.out().lines().filter(l -> l.startsWith(a)).findFirst().orElseThrow();
        assertTrue(rowA.contains(" 80 ") && rowA.contains("3@100* 7@100"), compared.out());
        assertTrue(compared.out().contains("shared by every run: 3") && compared.out().contains("only " + a + ": 7"),
                compared.out());
        assertTrue(compared.out().lines().anyMatch(l -> l.startsWith(b) && l.contains("q3") && l.contains("1@100*")
                && l.contains("0.2500") && l.contains("50.0%")), compared.out());

        Run measures = cli(DEMO, "measures", a, "--target", "q3");
        assertEquals(0, measures.exit(), measures.err());
        String header = measures.firstLine();
        assertTrue(header.contains("restricted_loss.q3") && header.contains("test_accuracy.q3")
                && !header.contains("gini_embed"), measures.out());
    }

    @Test
    void watchFollowsTheStreamUntilTheRunEndsAndExitsWithItsOutcome() throws Exception {
        String id = submitSmall("cli watched");
        CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() -> cli(DEMO, "watch", id, "--lines"));
        Fixtures.publish(new TrainingStarted(id, "worker-cli", "cpu", 0, Instant.now()));
        Fixtures.publish(Fixtures.metrics(id, 10, 0.5, 0.1));
        Fixtures.publish(Fixtures.metrics(id, 20, 0.9, 0.6));
        Fixtures.publish(new TrainingCompleted(id, 40, 0.1, 0.2, 1, 1, 10L, 40L, "budget", Instant.now()));

        Run watched = watching.get(60, TimeUnit.SECONDS);
        assertEquals(0, watched.exit(), watched.err() + watched.out());
        assertTrue(watched.out().contains("status: completed"), watched.out());
    }

    @Test
    void badInputIsAUsageErrorAndNothingIsSent() {
        long before = Fixtures.as(ADMIN).get("/api/experiments").jsonPath().getList("experimentId").size();
        Run both = cli(DEMO, "submit", "--task", Fixtures.TASK_P7, "--p", "23");
        assertEquals(GrokstreamCli.USAGE, both.exit());
        assertTrue(both.err().contains("--task names a catalog task"), both.err());
        Run notAStatus = cli(DEMO, "ls", "--status", "done");
        assertEquals(GrokstreamCli.USAGE, notAStatus.exit());
        assertTrue(notAStatus.err().contains("'done' is not a status; one of submitted, running, completed, failed, "
                + "cancelled"), notAStatus.err());
        Run notANumber = cli(DEMO, "submit", "--max-steps", "many");
        assertEquals(GrokstreamCli.USAGE, notANumber.exit());
        assertTrue(notANumber.err().contains("--max-steps"), notANumber.err());
        Run noStep = cli(DEMO, "export", submitSmall("cli export"), "latest");
        assertEquals(GrokstreamCli.USAGE, noStep.exit());
        assertTrue(noStep.err().contains("has no checkpoints yet"), noStep.err());
        assertEquals(before + 1, Fixtures.as(ADMIN).get("/api/experiments").jsonPath().getList("experimentId").size(),
                "only the export test's own experiment was created");
    }

    @Test
    void anUnreachableGatewayExitsWithTwo() {
        StringWriter err = new StringWriter();
        int exit = GrokstreamCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("ls", "--url=http://127.0.0.1:9", "--key=" + DEMO);
        assertEquals(GrokstreamCli.UNREACHABLE, exit);
        assertTrue(err.toString().contains("cannot reach the gateway"), err.toString());
    }
}
