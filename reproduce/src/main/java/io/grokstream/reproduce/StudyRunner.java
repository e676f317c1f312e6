package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.client.GatewayClient;
import io.grokstream.contracts.ExperimentStatus;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.NeuronKeyRule;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a study's experiments through the platform: finds each run again (the study's state file, else an
 * experiment of the same name and settings that did not fail) or submits it, waits for all to end with a progress
 * line (steps, rate, ETA), waits for the analysis service to measure the last snapshots, and reads everything back.
 */
public final class StudyRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the gateway may be unreachable while waiting before the command gives up. */
    private static final long UNREACHABLE_LIMIT_NANOS = 15L * 60 * 1_000_000_000L;

    private final GatewayClient gateway;
    private final Path stateDir;
    private final PrintStream log;
    private final long pollMillis;

    public StudyRunner(GatewayClient gateway, Path stateDir, PrintStream log, long pollMillis) {
        this.gateway = gateway;
        this.stateDir = stateDir;
        this.log = log;
        this.pollMillis = pollMillis;
    }

    /** Experiment id per run key: reused when possible, else submitted. {@code fresh}: always submit. */
    public Map<String, String> start(Study study, Scale scale, List<StudyRun> runs, boolean fresh) {
        Path stateFile = stateDir.resolve(study.name() + "-" + scale.name().toLowerCase(Locale.ROOT) + ".json");
        Map<String, String> state = fresh ? new LinkedHashMap<>() : readState(stateFile);
        Map<String, String> ids = new LinkedHashMap<>();
        awaitReady(study.name());
        JsonNode existing = gateway.experiments();
        for (StudyRun run : runs) {
            String id = fresh ? null : reusable(run, state.get(run.key()), existing);
            if (id != null) {
                log.printf("reproduce %s: %-10s reusing %s (%s)%n", study.name(), run.key(), id, run.name());
            } else {
                id = gateway.submit(run.request()).path("experimentId").asText();
                log.printf("reproduce %s: %-10s submitted %s (%s)%n", study.name(), run.key(), id, run.name());
            }
            ids.put(run.key(), id);
            state.put(run.key(), id);
            writeState(stateFile, state);
        }
        return ids;
    }

    /** Waits (up to the unreachable limit) until the gateway's views are ready, so reuse never misses a run. */
    private void awaitReady(String study) {
        long since = System.nanoTime();
        while (!gateway.ready()) {
            if (System.nanoTime() - since > UNREACHABLE_LIMIT_NANOS) {
                throw new GatewayClient.GatewayException(0, "the gateway at " + gateway.baseUrl()
                        + " is not ready (is the platform running? ./grokstream up)");
            }
            log.println("reproduce " + study + ": waiting for the gateway to be ready (its views rebuild after a restart)");
            try {
                Thread.sleep(Math.max(1000, pollMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayClient.GatewayException(0, "interrupted");
            }
        }
    }

    /** The id of an experiment that is (or will be) this run's result, or null. */
    private String reusable(StudyRun run, String remembered, JsonNode existing) {
        if (remembered != null) {
            try {
                JsonNode detail = gateway.experiment(remembered);
                if (run.matches(detail) && !failed(detail)) {
                    return remembered;
                }
            } catch (GatewayClient.GatewayException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        for (JsonNode summary : existing) {
            if (run.name().equals(summary.path("name").asText()) && !failed(summary)) {
                String id = summary.path("experimentId").asText();
                if (run.matches(gateway.experiment(id))) {
                    return id;
                }
            }
        }
        return null;
    }

    private static boolean failed(JsonNode experiment) {
        ExperimentStatus status = GatewayClient.statusOf(experiment).orElse(null);
        return status == ExperimentStatus.FAILED || status == ExperimentStatus.CANCELLED;
    }

    /** Blocks until every run has ended; prints a progress line every poll (a bar on a terminal). */
    public void await(String study, Map<String, String> ids) throws InterruptedException {
        long started = System.nanoTime();
        long firstDone = -1;
        boolean tty = System.console() != null;
        long lastLog = 0;
        long unreachableSince = -1;
        while (true) {
            long done = 0;
            long total = 0;
            int ended = 0;
            StringBuilder parts = new StringBuilder();
            Map<String, JsonNode> details = new LinkedHashMap<>();
            try {
                for (var e : ids.entrySet()) {
                    details.put(e.getKey(), gateway.experiment(e.getValue()));
                }
                unreachableSince = -1;
            } catch (GatewayClient.GatewayException ex) {
                // a 404 for a run this command submitted or found is a gateway still folding its views after a restart
                boolean rebuilding = ex.status() == 404 && !gateway.ready();
                if (ex.status() != 0 && ex.status() < 500 && !rebuilding) {
                    throw ex;
                }
                // the platform restarting: keep waiting (the runs resume from their checkpoints), up to a limit
                if (unreachableSince < 0) {
                    unreachableSince = System.nanoTime();
                }
                if (System.nanoTime() - unreachableSince > UNREACHABLE_LIMIT_NANOS) {
                    throw ex;
                }
                log.println("reproduce " + study + ": " + ex.getMessage() + "; retrying");
                Thread.sleep(pollMillis);
                continue;
            }
            for (var e : ids.entrySet()) {
                JsonNode d = details.get(e.getKey());
                ExperimentStatus status = GatewayClient.statusOf(d).orElse(ExperimentStatus.SUBMITTED);
                long step = d.path("step").asLong();
                long max = d.path("maxSteps").asLong(1);
                if (status.ended()) {
                    ended++;
                    max = Math.max(step, 1);   // a run that stopped early counts as whole
                }
                done += Math.min(step, max);
                total += max;
                if (status == ExperimentStatus.RUNNING) {
                    parts.append(String.format(Locale.ROOT, " %s %d/%d", e.getKey(), step, max));
                }
            }
            if (firstDone < 0) {
                firstDone = done;
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            double rate = elapsed > 0 ? (done - firstDone) / elapsed : 0;
            String eta = rate > 0 ? formatSeconds((total - done) / rate) : "?";
            double fraction = total == 0 ? 1 : done / (double) total;
            int filled = (int) Math.round(fraction * 30);
            String line = String.format(Locale.ROOT, "reproduce %s: [%s%s] %3.0f%% %,d/%,d steps, %.1f steps/s, ETA %s | %d of %d runs ended, running:%s",
                    study, "#".repeat(filled), ".".repeat(30 - filled), 100 * fraction, done, total, rate, eta, ended, ids.size(),
                    parts.length() == 0 ? " none" : parts);
            if (tty) {
                log.print("\r" + line + "   ");
            } else if (System.nanoTime() - lastLog > 30_000_000_000L || ended == ids.size()) {
                log.println(line);
                lastLog = System.nanoTime();
            }
            if (ended == ids.size()) {
                if (tty) {
                    log.println();
                }
                return;
            }
            Thread.sleep(pollMillis);
        }
    }

    /**
     * Waits (at most {@code maxWaitMillis}) until the analysis service has measured each run's last snapshot: the
     * latest measures reach the last multiple of the snapshot cadence at or below the final step.
     */
    public void awaitAnalysis(Map<String, String> ids, long maxWaitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxWaitMillis;
        for (var e : ids.entrySet()) {
            JsonNode detail = gateway.experiment(e.getValue());
            long every = detail.path("config").path("cadence").path("snapshotEvery").asLong(100);
            long target = detail.path("step").asLong() / every * every;
            while (System.currentTimeMillis() < deadline) {
                JsonNode latest = gateway.latestMeasures(e.getValue());
                if (latest != null && latest.path("step").asLong() >= target) {
                    break;
                }
                Thread.sleep(Math.min(pollMillis, 2000));
            }
        }
    }

    /**
     * Reads every run back from the gateway; with {@code retrospective}, also the analysis service's re-measures (through
     * the gateway).
     */
    public Map<String, RunData> collect(List<StudyRun> runs, Map<String, String> ids, boolean retrospective) {
        Map<String, RunData> out = new LinkedHashMap<>();
        Map<String, JsonNode> tasks = new LinkedHashMap<>();
        for (StudyRun run : runs) {
            String id = ids.get(run.key());
            JsonNode detail = gateway.experiment(id);
            String taskId = detail.path("taskId").asText();
            JsonNode task = tasks.computeIfAbsent(taskId, gateway::task);
            JsonNode latest = gateway.latestMeasures(id);
            RunData data = new RunData(run, detail, task, gateway.metrics(id), gateway.measures(id), latest);
            out.put(run.key(), retrospective ? data.withRetrospective(retrospective(id, latest,
                    detail.path("config").path("model").path("dMlp").asInt())) : data);
        }
        return out;
    }

    /**
     * Nanda et al.'s progress measures: every snapshot re-measured with the final network's key frequencies (by the
     * neurons, {@link NeuronKeyRule}, from the final snapshot's cluster sizes; independent of the live detector,
     * which is held to them), by the analysis service, asked through the gateway with the team's key. Null when the
     * run has no such frequencies or restricted loss, or the gateway cannot answer.
     */
    static List<Integer> finalKeyFrequencies(JsonNode latest, int dMlp) {
        JsonNode sizes = latest.path("spectra").path(Measure.NEURON_CLUSTER_SIZES.wire());
        List<Integer> keys = new java.util.ArrayList<>();
        if (sizes.isArray() && dMlp > 0) {
            double[] s = new double[sizes.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = sizes.get(i).asDouble();
            }
            keys.addAll(NeuronKeyRule.keys(s, dMlp));
        } else {
            latest.path("keyFrequencies").forEach(k -> keys.add(k.asInt()));
        }
        return keys;
    }

    private JsonNode retrospective(String id, JsonNode latest, int dMlp) {
        if (latest == null || !latest.path("scalars").has(Measure.RESTRICTED_LOSS.wire())) {
            return null;
        }
        List<Integer> keys = finalKeyFrequencies(latest, dMlp);
        if (keys.isEmpty()) {
            return null;
        }
        try {
            log.printf("reproduce: measuring every snapshot of %s with the final key frequencies %s (analysis service)%n",
                    id, keys);
            return gateway.retrospective(id, keys);
        } catch (GatewayClient.GatewayException e) {
            log.println("reproduce: no retrospective measures for " + id + ": " + e.getMessage());
            return null;
        }
    }

    private static Map<String, String> readState(Path file) {
        if (!Files.isRegularFile(file)) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, String> state = new LinkedHashMap<>();
            JSON.readTree(file.toFile()).fields().forEachRemaining(e -> state.put(e.getKey(), e.getValue().asText()));
            return state;
        } catch (IOException e) {
            return new LinkedHashMap<>();   // a damaged state file only costs the reuse-by-id shortcut
        }
    }

    private static void writeState(Path file, Map<String, String> state) {
        try {
            Files.createDirectories(file.getParent());
            ObjectNode node = JSON.createObjectNode();
            state.forEach(node::put);
            Files.writeString(file, node.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String formatSeconds(double s) {
        if (!Double.isFinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }
}
