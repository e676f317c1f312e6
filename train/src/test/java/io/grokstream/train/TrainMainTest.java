package io.grokstream.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TrainMain.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void helpListsTheOptionsByGroupWithTheirDefaults() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        for (String s : new String[]{"--out=DIR", "--resume=FILE", "--quiet", "Task: modular addition", "--p=N",
                "default 113", "--frac=F", "default 0.3", "Model:", "--d-model=N", "default 128", "--no-pos",
                "Optimizer (AdamW):", "--wd=X", "GrokFast (Lee et al. 2024):", "--grokfast=none|ema|ma", "Budget:",
                "--steps=N", "default 3000", "Cadence:", "--checkpoint-every=N", "default 500", "Exit code"}) {
            assertTrue(help.contains(s), () -> "help lacks " + s + ":\n" + help);
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(TrainMain.USAGE, run("--out", "x", "--frobnicate", "3"));
        assertTrue(err.toString().contains("Unknown option"), err.toString());
    }

    @Test
    void anOutputFolderIsRequired() {
        assertEquals(TrainMain.USAGE, run("--p", "23"));
        assertTrue(err.toString().contains("--out"), err.toString());
    }

    @Test
    void aModulusTheTaskRefusesIsAUsageError(@TempDir Path dir) {
        assertEquals(TrainMain.USAGE, run("--out", dir.resolve("run").toString(), "--p", "1"));
        assertTrue(err.toString().contains("p must be in [2, 1000]"), err.toString());
    }

    @Test
    void aShortRunWritesWhatAWorkerWouldPublishAndPrintsTheSummary(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("p7");
        assertEquals(0, run("--out", run.toString(), "--quiet", "--p", "7", "--frac", "0.6", "--d-model", "16",
                "--heads", "2", "--d-mlp", "32", "--steps", "40", "--metrics-every", "10", "--snapshot-every", "20",
                "--early-steps", "0", "--checkpoint-every", "20"));

        assertTrue(out.toString().contains("after 40 steps"), out.toString());
        assertTrue(out.toString().contains("files in " + run), out.toString());
        assertTrue(Files.exists(run.resolve("experiment.json")));
        assertTrue(Files.exists(run.resolve("checkpoint.safetensors")));
        assertEquals(4, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "steps 10, 20, 30, 40");
        assertTrue(Files.readString(run.resolve("events.jsonl")).contains("\"finalStep\""));
        try (Stream<Path> snapshots = Files.list(run.resolve("snapshots"))) {
            assertTrue(snapshots.anyMatch(p -> p.getFileName().toString().equals("step-0000040.safetensors")));
        }
    }
}
