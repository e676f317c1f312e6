package io.grokstream.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capacity plan's measuring commands parse as documented (they run only as benchmarks, never as tests). */
class CapacityInputCommandsTest {
    private final StringWriter out = new StringWriter();

    private int run(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    @Test
    void theSizesBenchmarkTrainsAFewHundredStepsByDefault() {
        assertEquals(0, run(new RecordSizes(), "--help"));
        assertTrue(out.toString().contains("--steps=N") && out.toString().contains("default 300"), out::toString);
        assertEquals(PlatformBench.USAGE, run(new RecordSizes(), "--bogus"));
    }

    @Test
    void theAnalysisRateBenchmarkOffersOneSnapshotPerExperimentAtTheAssumedGpuRate() {
        assertEquals(0, run(new AnalysisRate(), "--help"));
        for (String s : new String[]{"--experiments=N", "default 120", "--steps-per-second=S", "default 250.0",
                "--snapshots=N", "--analysis-pid=PID"}) {
            assertTrue(out.toString().contains(s), () -> "help lacks " + s + ":\n" + out);
        }
        assertEquals(PlatformBench.USAGE, run(new AnalysisRate(), "--experiments", "x"));
    }
}
