package io.grokstream.reproduce;

import io.grokstream.client.GatewayClient;
import io.grokstream.reproduce.study.Studies;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./grokstream reproduce NAME...}: runs named studies through the platform and writes their reports under
 * {@code reports/<study>/}. Resumable: run it again after an interruption and it finds its experiments again.
 */
public final class ReproduceMain {
    private static final String USAGE = """
            usage: ./grokstream reproduce NAME [NAME...] [options]     (NAME: %s, or all; list: what each does)

            Runs the study's experiments through the platform (gateway -> trainer -> analysis), waits with a progress
            line, checks the paper's claims against the data and writes reports/<NAME>/REPORT.md, report.html,
            figures/*.svg and results.json (the dashboard links to them under /reports/).

              --full           the paper's scale (hours on a CPU); default: the reduced scale each report states
              --fresh          submit new experiments even when matching ones exist (default: reuse them)
              --no-wait        write the report from what the gateway holds now (runs still going are marked)
              --out DIR        reports directory (default: the repository's reports/)
              --poll SECONDS   progress interval (default 5)
            environment: GROKSTREAM_URL (http://localhost:8080), GROKSTREAM_KEY (demo-key), GROKSTREAM_HOME (state),
                         GROKSTREAM_ANALYSIS_URL (http://localhost:8083: Nanda's after-training progress measures)
            """;

    private ReproduceMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>();
        Scale scale = Scale.REDUCED;
        boolean fresh = false;
        boolean wait = true;
        Path out = Path.of(System.getProperty("grokstream.reports", "reports"));
        long poll = 5000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    System.out.printf(USAGE, String.join(", ", Studies.names()));
                    return;
                }
                case "--full" -> scale = Scale.FULL;
                case "--fresh" -> fresh = true;
                case "--no-wait" -> wait = false;
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--poll" -> poll = (long) (1000 * Double.parseDouble(value(args, ++i, "--poll")));
                default -> {
                    if (args[i].startsWith("-")) {
                        fail("unknown option " + args[i] + " (see --help)");
                    }
                    names.add(args[i]);
                }
            }
        }
        if (names.isEmpty()) {
            fail("which study? " + String.join(", ", Studies.names()) + ", all, or list (see --help)");
        }
        if (names.equals(List.of("list"))) {
            for (Study s : Studies.all()) {
                System.out.printf("%-10s %s%n           %s%n", s.name(), s.title(), s.scaleNote(Scale.REDUCED));
            }
            return;
        }
        List<Study> studies = names.equals(List.of("all")) ? Studies.all() : new ArrayList<>();
        if (studies.isEmpty()) {
            for (String n : names) {
                studies.add(Studies.byName(n).orElseThrow(() -> new IllegalArgumentException(
                        "unknown study '" + n + "'; known: " + String.join(", ", Studies.names()))));
            }
        }
        String url = env("GROKSTREAM_URL", "http://localhost:8080");
        GatewayClient gateway = new GatewayClient(url, env("GROKSTREAM_KEY", "demo-key"));
        Path home = Path.of(env("GROKSTREAM_HOME", System.getProperty("user.home") + "/.grokstream"));
        String analysisUrl = env("GROKSTREAM_ANALYSIS_URL", "http://localhost:" + env("GROKSTREAM_ANALYSIS_PORT", "8083"));
        StudyRunner runner = new StudyRunner(gateway, analysisUrl, home.resolve("reproduce"), System.err, poll);

        Map<Study, Map<String, String>> idsByStudy = new LinkedHashMap<>();
        Map<String, String> all = new LinkedHashMap<>();
        for (Study study : studies) {
            Map<String, String> ids = runner.start(study, scale, study.runs(scale), fresh);
            idsByStudy.put(study, ids);
            ids.forEach((k, v) -> all.put(study.name() + "/" + k, v));
        }
        if (wait) {
            runner.await(String.join("+", names), all);
            runner.awaitAnalysis(all, 180_000);
        }
        ReportWriter writer = new ReportWriter(out);
        for (Study study : studies) {
            List<StudyRun> runs = study.runs(scale);
            Map<String, RunData> data = runner.collect(runs, idsByStudy.get(study), study.retrospective());
            Report report = new Report(study.name(), study.title());
            boolean partial = data.values().stream().anyMatch(r -> !r.ended());
            if (partial) {
                report.text("**Partial report**: written with --no-wait while runs were still training; the claims below "
                        + "judge incomplete data.");
            }
            study.analyse(data, scale, report);
            if (partial) {
                report.provisional("runs still training: " + data.entrySet().stream()
                        .filter(e -> !e.getValue().ended())
                        .map(Map.Entry::getKey).collect(java.util.stream.Collectors.joining(", ")));
            }
            Path dir = writer.write(report, meta(study, scale, data, url, args, partial));
            System.err.printf("reproduce %s: %d of %d claims held -> %s%n", study.name(), report.held(),
                    report.claims().size(), dir.resolve("REPORT.md"));
            for (Claim c : report.claims()) {
                System.err.printf("  [%s] %s (%s)%n", c.verdict().label(), c.statement(), c.evidence());
            }
        }
    }

    private static Map<String, Object> meta(Study study, Scale scale, Map<String, RunData> data, String url, String[] args,
                                            boolean partial) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("study", study.name());
        meta.put("title", study.title());
        meta.put("summary", study.summary());
        meta.put("grokstreamVersion", System.getProperty("grokstream.version", "unknown"));
        meta.put("gitCommit", System.getProperty("grokstream.commit", "unknown"));
        meta.put("generatedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.put("scale", scale.name().toLowerCase());
        meta.put("scaleNote", study.scaleNote(scale));
        meta.put("gateway", url);
        meta.put("command", "./grokstream reproduce " + String.join(" ", args));
        meta.put("partial", partial);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunData r : data.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", r.run().key());
            m.put("experimentId", r.experimentId());
            m.put("name", r.run().name());
            m.put("status", r.status());
            m.put("finalStep", r.finalStep());
            m.put("taskId", r.detail().path("taskId").asText());
            m.put("request", r.run().request().toString());
            runs.add(m);
        }
        meta.put("runs", runs);
        return meta;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
        }
        return args[i];
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void fail(String message) {
        System.err.println("grokstream reproduce: " + message);
        System.exit(2);
    }
}
