package io.grokstream.reliability;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code ./grokstream reliability} driver: runs the chosen scenarios of issues #8 and #20 against the processes the
 * script started, one after another, and writes {@code results.json} and {@code REPORT.md}.
 */
@Command(name = "reliability.jar", mixinStandardHelpOptions = true, version = "grokstream 0.1.0", sortOptions = false,
        exitCodeOnInvalidInput = Reliability.USAGE,
        description = {"The driver of ./grokstream reliability: runs the chosen scenarios, one after another, against "
                + "the processes scripts/grokstream-reliability started, and writes REPORT.md and results.json.",
                "Exit code: 0 every scenario held, 1 one did not, 64 a usage error."})
public final class Reliability implements Callable<Integer> {
    /** The command line itself is wrong (sysexits.h EX_USAGE, as {@code ./grokstream}'s commands answer). */
    static final int USAGE = 64;

    /** A scenario: number, name, title, body. */
    record Scenario(int number, String name, String title, Body body) {
    }

    @FunctionalInterface
    interface Body {
        void run(Context ctx, Outcome out) throws Exception;
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario(1, "trainer-crash", "Trainer crash (kill -9) and resume on another worker", TrainerCrash::run),
            new Scenario(2, "broker-restart", "Broker restart mid-run (down 10 s)", BrokerRestart.outage(10, "s2 broker restart", 11)),
            new Scenario(3, "view-rebuild", "Gateway and analysis restart", ViewRebuild::run),
            new Scenario(4, "poison", "Poison records", PoisonRecords::run),
            new Scenario(5, "hostile", "Bad API input (hostile corpus)", HostileCorpus::run),
            new Scenario(6, "isolation", "Team isolation: gateway, Kafka, internal ports", Isolation::run),
            new Scenario(7, "load", "Load: 200 SSE subscribers + REST reads while 4 experiments train", Load::run),
            new Scenario(8, "resources", "Resource bounds", ResourceBounds::run),
            new Scenario(9, "queue", "Work-conserving queue: 3 one-slot trainers, 2 analysis instances, 9 experiments, kill -9",
                    QueueScenario::run),
            new Scenario(10, "long-outage", "Broker outage of 7 minutes mid-run", BrokerRestart.outage(420, "s10 long outage", 17)));

    /** What scenarios share: the gateway client, the processes, training helpers, ids to reuse. */
    static final class Context {
        private final Api api;
        private final Platform platform;
        private final Training training;
        private final Map<String, String> urls;
        private final Map<String, String> remembered = new HashMap<>();

        Context(Api api, Platform platform, Map<String, String> urls) {
            this.api = api;
            this.platform = platform;
            this.training = new Training(api);
            this.urls = urls;
        }

        Api api() {
            return api;
        }

        Platform platform() {
            return platform;
        }

        Training training() {
            return training;
        }

        String urlOf(String process) {
            return urls.get(process);
        }

        void remember(String key, String id) {
            remembered.put(key, id);
        }

        /** The experiment a scenario left (a completed private demo run with checkpoints); trains one if none. */
        String recalled(String key) {
            return remembered.computeIfAbsent(key, k -> {
                String id = training.submit(training.body("private demo run", 200, 3, 100, 100, false));
                training.awaitCompleted(id, 600);
                return id;
            });
        }
    }

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "the repository the report describes")
    Path root;
    @Option(names = "--ctl", required = true, paramLabel = "SCRIPT", description = "the process control: SCRIPT _ctl "
            + "start|stop|kill|pid|wipe NAME (scripts/grokstream-reliability)")
    String ctl;
    @Option(names = "--report", required = true, paramLabel = "DIR", description = "where REPORT.md, results.json and "
            + "the charts go")
    Path report;
    @Option(names = "--gateway", required = true, paramLabel = "URL") String gateway;
    @Option(names = "--dataset", required = true, paramLabel = "URL") String dataset;
    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "the Kafka broker")
    String bootstrap;
    @Option(names = "--logs", required = true, paramLabel = "DIR", description = "the processes' logs")
    Path logs;
    @Parameters(paramLabel = "SCENARIO", arity = "0..*", description = "a scenario's number (1-10) or name "
            + "(trainer-crash, broker-restart, view-rebuild, poison, hostile, isolation, load, resources, queue, "
            + "long-outage); none: all")
    List<String> chosen = new ArrayList<>();
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Reliability()).execute(args));
    }

    /** The scenarios named on the command line, in their order; all when none is named. */
    List<Scenario> chosenScenarios() {
        List<Scenario> run = new ArrayList<>();
        for (Scenario s : SCENARIOS) {
            if (chosen.isEmpty() || chosen.contains(s.name()) || chosen.contains(Integer.toString(s.number()))) {
                run.add(s);
            }
        }
        if (run.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no scenario matches " + chosen + "; choose from 1-"
                    + SCENARIOS.size() + " or " + SCENARIOS.stream().map(Scenario::name).toList());
        }
        return run;
    }

    @Override
    public Integer call() throws IOException {
        List<Scenario> run = chosenScenarios();
        Map<String, String> urls = Map.of("gateway", gateway, "dataset", dataset,
                "trainer", "http://localhost:18082", "trainer2", "http://localhost:18084", "analysis", "http://localhost:18083",
                "trainer3", "http://localhost:18085", "analysis2", "http://localhost:18086", "router", "http://localhost:18087");
        Context ctx = new Context(new Api(gateway), new Platform(ctl, bootstrap, logs), urls);
        String loadBefore = uptime();
        List<Outcome> outcomes = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < run.size(); i++) {
            Scenario s = run.get(i);
            log("scenario %d/%d: %d %s (%s elapsed)", i + 1, run.size(), s.number(), s.title(), elapsed(t0));
            Outcome o = new Outcome(s.number(), s.name(), s.title());
            long s0 = System.nanoTime();
            try {
                s.body().run(ctx, o);
            } catch (Exception | AssertionError e) {
                o.error = e.toString();
                log("  scenario %d failed: %s", s.number(), e);
                e.printStackTrace();
            }
            o.seconds = (System.nanoTime() - s0) / 1e9;
            outcomes.add(o);
            log("scenario %d %s in %.0f s", s.number(), o.held() ? "HELD" : "NOT HELD", o.seconds);
        }
        double total = (System.nanoTime() - t0) / 1e9;
        String command = ("./grokstream reliability " + String.join(" ", chosen)).trim();
        Report.write(report, root, command, outcomes, total, loadBefore, uptime());
        long notHeld = outcomes.stream().filter(o -> !o.held()).count();
        log("%d of %d scenarios held in %s; report in %s", outcomes.size() - notHeld, outcomes.size(), elapsed(t0), report);
        return notHeld == 0 ? 0 : 1;
    }

    static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String elapsed(long t0) {
        long s = (System.nanoTime() - t0) / 1_000_000_000L;
        return String.format("%d:%02d", s / 60, s % 60);
    }

    static void log(String format, Object... args) {
        System.err.printf("%s reliability: %s%n", LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                String.format(format, args));
    }
}
