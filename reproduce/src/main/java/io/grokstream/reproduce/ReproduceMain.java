package io.grokstream.reproduce;

import io.grokstream.client.GatewayClient;
import io.grokstream.reproduce.study.Studies;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./grokstream reproduce NAME...}: runs named studies through the platform and writes their reports under
 * {@code reports/<study>/}. Resumable: run it again after an interruption and it finds its experiments again. A
 * subcommand of the command-line client; {@link #main} runs it alone.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Runs the study's experiments through the platform (gateway -> trainer -> analysis), waits with a "
                + "progress line, checks the paper's claims against the data and writes reports/NAME/REPORT.md, "
                + "report.html, figures/*.svg and results.json (the dashboard links to them under /reports/).",
                "Environment: GROKSTREAM_URL (http://localhost:8080), GROKSTREAM_KEY (demo-key), GROKSTREAM_HOME "
                        + "(state). Everything goes through the gateway with the team's key, Nanda's after-training "
                        + "measures included."})
public final class ReproduceMain implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "a study (${COMPLETION-CANDIDATES}), all, or list "
            + "(what each does)", completionCandidates = StudyNames.class)
    List<String> names;

    @Option(names = "--full", description = "the paper's scale (hours on a CPU); default: the reduced scale each "
            + "report states")
    boolean full;

    @Option(names = "--fresh", description = "submit new experiments even when matching ones exist (default: reuse them)")
    boolean fresh;

    @Option(names = "--no-wait", description = "write the report from what the gateway holds now (runs still going "
            + "are marked)")
    boolean noWait;

    @Option(names = "--out", paramLabel = "DIR", description = "reports directory (default: the repository's reports/)")
    Path out = Path.of(System.getProperty("grokstream.reports", "reports"));

    @Option(names = "--poll", paramLabel = "SECONDS", description = "progress interval (default 5)")
    double pollSeconds = 5;

    @Spec
    CommandSpec spec;

    /** The known study names, for the help text. */
    static final class StudyNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Studies.names().iterator();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReproduceMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (names.equals(List.of("list"))) {
            for (Study s : Studies.all()) {
                spec.commandLine().getOut().printf("%-10s %s%n           %s%n", s.name(), s.title(),
                        s.scaleNote(Scale.REDUCED));
            }
            return 0;
        }
        List<Study> studies = names.equals(List.of("all")) ? Studies.all() : new ArrayList<>();
        if (studies.isEmpty()) {
            for (String n : names) {
                studies.add(Studies.byName(n).orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "unknown study '" + n + "'; known: " + String.join(", ", Studies.names()) + ", all, list")));
            }
        }
        List<String> command = new ArrayList<>(names);
        if (full) {
            command.add("--full");
        }
        if (fresh) {
            command.add("--fresh");
        }
        if (noWait) {
            command.add("--no-wait");
        }
        run(studies, full ? Scale.FULL : Scale.REDUCED, command);
        return 0;
    }

    private void run(List<Study> studies, Scale scale, List<String> args) throws Exception {
        long poll = (long) (1000 * pollSeconds);
        boolean wait = !noWait;
        String url = env("GROKSTREAM_URL", "http://localhost:8080");
        GatewayClient gateway = new GatewayClient(url, env("GROKSTREAM_KEY", "demo-key"));
        Path home = Path.of(env("GROKSTREAM_HOME", System.getProperty("user.home") + "/.grokstream"));
        StudyRunner runner = new StudyRunner(gateway, home.resolve("reproduce"), System.err, poll);

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

    private static Map<String, Object> meta(Study study, Scale scale, Map<String, RunData> data, String url, List<String> args,
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

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
