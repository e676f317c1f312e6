package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentOptionsTest {

    private static JsonNode body(String... args) {
        SubmitCommand submit = new SubmitCommand();
        new CommandLine(submit).parseArgs(args);
        return submit.experiment.body();
    }

    @Test
    void eachOptionFillsItsFieldOfTheCreateBodyAndNothingElseIsSent() throws Exception {
        JsonNode body = body("--name", "run a", "--seed", "7", "--p", "23", "--train-fraction", "0.6",
                "--task-param", "operation=mul", "--layers", "2", "--no-pos-embed", "--wd", "0.3", "--warmup", "10",
                "--grokfast", "ema", "--lambda", "2", "--max-steps", "1500", "--stop-at", "0.99", "--checkpoint-every", "500");
        JsonNode expected = ExperimentOptions.JSON.readTree("""
                {"name": "run a", "seed": 7,
                 "task": {"kind": "modular", "parameters": {"p": 23, "trainFraction": 0.6, "operation": "mul"}},
                 "model": {"nLayers": 2, "positionalEmbedding": false},
                 "optimizer": {"weightDecay": 0.3, "warmupSteps": 10},
                 "grokfast": {"kind": "ema", "lambda": 2.0},
                 "budget": {"maxSteps": 1500, "stopAtValidationAccuracy": 0.99},
                 "cadence": {"checkpointEvery": 500}}""");
        assertEquals(expected, ExperimentOptions.JSON.readTree(body.toString()), "as the gateway reads it");
        assertEquals(0, body("--dry-run").size(), "no option: an empty body, the gateway's defaults (Nanda's setup)");
    }

    @Test
    void aSnapshotBudgetAsksForAdaptiveSnapshots() throws Exception {
        assertEquals(ExperimentOptions.JSON.readTree("""
                {"cadence": {"snapshots": {"mode": "adaptive", "budget": 200, "minEvery": 5}}}"""),
                ExperimentOptions.JSON.readTree(body("--snapshots", "adaptive", "--snapshot-budget", "200",
                        "--snapshot-min-every", "5").toString()));
        assertEquals(body("--snapshots", "adaptive", "--snapshot-budget", "50"), body("--snapshot-budget", "50"),
                "a budget implies the adaptive mode");
        assertEquals("fixed", body("--snapshots", "fixed").path("cadence").path("snapshots").path("mode").asText());
    }

    @Test
    void aCatalogTaskAndInlineTaskOptionsContradictEachOther() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> body("--task", "modular-add-p113", "--p", "23"));
        assertTrue(e.getMessage().contains("--task names a catalog task"), e.getMessage());
        assertEquals("modular-add-p113", body("--task", "modular-add-p113").path("taskId").asText());
    }

    @Test
    void sweepValuesAreNumbersWhereTheyReadAsNumbers() {
        JsonNode grid = ExperimentOptions.grid(List.of("optimizer.weightDecay=0.3,1", "grokfast.kind=none,ema"));
        assertEquals(0.3, grid.path("optimizer.weightDecay").get(0).asDouble());
        assertTrue(grid.path("optimizer.weightDecay").get(1).isIntegralNumber());
        assertEquals("ema", grid.path("grokfast.kind").get(1).asText());
        assertThrows(IllegalArgumentException.class, () -> ExperimentOptions.grid(List.of("seed")));
        assertThrows(IllegalArgumentException.class, () -> ExperimentOptions.grid(List.of("seed=,")));
    }

    @Test
    void aDryRunPrintsTheSweepRequestAndSendsNothing() {
        StringWriter out = new StringWriter();
        int exit = GrokstreamCli.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute("submit", "--dry-run", "--url=http://127.0.0.1:9", "--sweep", "seed=1,2");
        assertEquals(0, exit, "nothing was sent to the unreachable gateway");
        assertTrue(out.toString().startsWith("POST http://127.0.0.1:9/api/sweeps"), out.toString());
        assertTrue(out.toString().contains("\"seed\" : [ 1, 2 ]"), out.toString());
    }

    @Test
    void everyCommandHasHelp() {
        CommandLine cli = GrokstreamCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (String command : List.of("submit", "sweep", "ls", "watch", "compare", "measures", "cancel", "clone", "infer",
                "export", "presets", "reproduce")) {
            StringWriter out = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            assertEquals(0, cli.execute(command, "--help"), command);
            assertTrue(out.toString().startsWith("Usage: grokstream " + command), command + ": " + out);
        }
    }
}
