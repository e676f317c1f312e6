package io.grokstream.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ./grokstream reliability} driver: runs the chosen scenarios of issues #8 and #20 against the processes the
 * script started, one after another, and writes {@code results.json} and {@code REPORT.md}.
 */
public final class Reliability {

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
            new Scenario(6, "isolation", "Team isolation", Isolation::run),
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

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                opt.put(args[i].substring(2), args[++i]);
            } else {
                chosen.add(args[i]);
            }
        }
        List<Scenario> run = new ArrayList<>();
        for (Scenario s : SCENARIOS) {
            if (chosen.isEmpty() || chosen.contains(s.name()) || chosen.contains(Integer.toString(s.number()))) {
                run.add(s);
            }
        }
        if (run.isEmpty()) {
            throw new IllegalArgumentException("no scenario matches " + chosen + "; choose from 1-" + SCENARIOS.size() + " or "
                    + SCENARIOS.stream().map(Scenario::name).toList());
        }
        Map<String, String> urls = Map.of("gateway", opt.get("gateway"), "dataset", opt.get("dataset"),
                "trainer", "http://localhost:18082", "trainer2", "http://localhost:18084", "analysis", "http://localhost:18083",
                "trainer3", "http://localhost:18085", "analysis2", "http://localhost:18086");
        Context ctx = new Context(new Api(opt.get("gateway")), new Platform(opt.get("ctl"), opt.get("bootstrap"),
                Path.of(opt.get("logs"))), urls);
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
        Report.write(Path.of(opt.get("report")), Path.of(opt.get("root")), command, outcomes, total, loadBefore, uptime());
        long notHeld = outcomes.stream().filter(o -> !o.held()).count();
        log("%d of %d scenarios held in %s; report in %s", outcomes.size() - notHeld, outcomes.size(), elapsed(t0), opt.get("report"));
        System.exit(notHeld == 0 ? 0 : 1);
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
