package io.grokstream.reliability;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReliabilityCommandTest {

    private static final String[] PLATFORM = {"--root", "/repo", "--ctl", "/repo/scripts/grokstream-reliability",
            "--report", "/tmp/report", "--gateway", "http://localhost:18080", "--dataset", "http://localhost:18081",
            "--bootstrap", "localhost:19092", "--logs", "/tmp/logs"};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Reliability());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static List<Integer> chosen(String... scenarios) {
        Reliability r = new Reliability();
        CommandLine cli = new CommandLine(r);
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(PLATFORM),
                java.util.Arrays.stream(scenarios)).toArray(String[]::new);
        cli.parseArgs(args);
        return r.chosenScenarios().stream().map(Reliability.Scenario::number).toList();
    }

    @Test
    void helpNamesWhatTheScriptPassesAndTheScenarios() {
        assertEquals(0, run("--help"));
        for (String s : new String[]{"--root=DIR", "--ctl=SCRIPT", "--report=DIR", "--gateway=URL", "--dataset=URL",
                "--bootstrap=HOST:PORT", "--logs=DIR", "[SCENARIO...]", "trainer-crash", "long-outage"}) {
            assertTrue(out.toString().contains(s), () -> "help lacks " + s + ":\n" + out);
        }
    }

    @Test
    void scenariosAreChosenByNumberOrNameInTheirOwnOrderAndAllWhenNoneIsNamed() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), chosen());
        assertEquals(List.of(3, 9), chosen("queue", "3"));
    }

    @Test
    void aMissingPlatformOptionOrAScenarioNoneMatchesIsAUsageError() {
        assertEquals(Reliability.USAGE, run("1"));
        assertTrue(err.toString().contains("Missing required options"), err.toString());
        String[] unknown = java.util.Arrays.copyOf(PLATFORM, PLATFORM.length + 1);
        unknown[PLATFORM.length] = "no-such-scenario";
        assertEquals(Reliability.USAGE, run(unknown));
        assertTrue(err.toString().contains("no scenario matches"), err.toString());
    }
}
