package io.grokstream.bench.capacity;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapacityCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new CapacityCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpNamesTheLoadTheMeasuredCostsAndTheAssumedGpuRate() {
        assertEquals(0, run("--help"));
        for (String s : new String[]{"--experiments", "--device", "--retention-days", "--snapshot-bytes",
                "--analysis-ms", "--cpu-steps-per-second", "--gpu-steps-per-second", "ASSUMED", "--brokers",
                "--partition-growth", "--markdown"}) {
            assertTrue(out.toString().contains(s), () -> "help lacks " + s + ":\n" + out);
        }
    }

    @Test
    void aPlanHasOneColumnPerLoadAndDeviceAndTheFiguresTheIssueAsksFor() {
        assertEquals(0, run("--experiments", "10,100", "--device", "cpu,gpu", "--simulate-hours", "0.2"));
        String text = out.toString();
        for (String s : new String[]{"10 CPU", "100 CPU", "10 GPU", "100 GPU", "trainer pods", "analysis instances",
                "partitions", "MB/s in: grokstream.snapshots.v1", "storage at the horizon", "disk per broker",
                "simulated: snapshot → measures"}) {
            assertTrue(text.contains(s), () -> "plan lacks " + s + ":\n" + text);
        }
    }

    @Test
    void markdownPrintsATable() {
        assertEquals(0, run("--experiments", "10", "--device", "cpu", "--simulate-hours", "0", "--markdown"));
        assertTrue(out.toString().contains("| 10 CPU |\n|---|---:|"), out::toString);
    }

    @Test
    void aWrongLoadOrCostIsAUsageError() {
        assertEquals(CapacityCommand.USAGE, run("--experiments", "0"));
        assertTrue(err.toString().contains("--experiments must be >= 1"), err::toString);
        assertEquals(CapacityCommand.USAGE, run("--device", "tpu"));
        assertEquals(CapacityCommand.USAGE, run("--snapshot-bytes", "-1"));
        assertEquals(CapacityCommand.USAGE, run("--bogus"));
    }
}
