package io.grokstream.reliability;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes {@code results.json} (machine-readable) and {@code REPORT.md} (per scenario: held, checks, figures). */
final class Report {
    private Report() {
    }

    static void write(Path dir, Path root, String command, List<Outcome> outcomes, double seconds, String loadBefore,
                      String loadAfter) throws IOException {
        Files.createDirectories(dir);
        String commit = run(root, "git", "rev-parse", "HEAD");
        String cpu = run(root, "sh", "-c", "nproc; grep -m1 'model name' /proc/cpuinfo | cut -d: -f2; free -g | awk '/Mem/{print $2\" GiB\"}'")
                .replace('\n', ' ').trim();
        ObjectNode root_ = Api.JSON.createObjectNode();
        root_.put("date", Instant.now().toString());
        root_.put("commit", commit);
        root_.put("command", command);
        root_.put("machine", cpu);
        root_.put("uptimeBefore", loadBefore);
        root_.put("uptimeAfter", loadAfter);
        root_.put("seconds", Math.round(seconds));
        root_.put("held", outcomes.stream().allMatch(Outcome::held));
        ArrayNode list = root_.putArray("scenarios");
        for (Outcome o : outcomes) {
            ObjectNode n = list.addObject();
            n.put("number", o.number);
            n.put("name", o.name);
            n.put("title", o.title);
            n.put("held", o.held());
            n.put("seconds", Math.round(o.seconds * 10) / 10.0);
            if (o.error != null) {
                n.put("error", o.error);
            }
            n.set("checks", Api.JSON.valueToTree(o.checks));
            n.set("figures", Api.JSON.valueToTree(o.figures));
            n.set("notes", Api.JSON.valueToTree(o.notes));
        }
        Files.writeString(dir.resolve("results.json"),
                Api.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root_) + "\n");

        StringBuilder md = new StringBuilder("# Reliability report\n\n");
        md.append("Written by `./grokstream reliability` (scripts/grokstream-reliability, driver in the reliability module) ")
                .append("against real processes: a KRaft broker (SASL/SCRAM, ACLs), dataset, two trainers (concurrency 2 each), analysis, router and gateway, ")
                .append("on their own ports and data directory. Machine-readable: [results.json](results.json).\n\n");
        md.append("- command: `").append(command).append("`\n");
        md.append("- date: ").append(root_.path("date").asText()).append("\n- commit: `").append(commit).append("`\n")
                .append("- machine: ").append(cpu).append(" (shared: other work ran on it at the same time)\n")
                .append("- load before: `").append(loadBefore).append("`\n- load after: `").append(loadAfter).append("`\n")
                .append("- scenarios' wall time: ").append(Math.round(seconds)).append(" s (platform start and stop not included)\n")
                .append("- scale: small on purpose, so the whole suite runs in minutes on a shared 2-core machine: modular addition")
                .append(" mod 23 (half the pairs for training), a one-layer transformer with d_model 64, 4 heads, d_mlp 256,")
                .append(" runs of 200 to 3,000 steps; each scenario's `scale` figure says its own\n\n");
        md.append("| # | scenario | held | seconds |\n|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            md.append("| ").append(o.number).append(" | ").append(o.title).append(" | ")
                    .append(o.held() ? "held" : "**not held**").append(" | ").append(Math.round(o.seconds)).append(" |\n");
        }
        for (Outcome o : outcomes) {
            md.append("\n## ").append(o.number).append(". ").append(o.title).append(": ")
                    .append(o.held() ? "held" : "NOT HELD").append("\n\n");
            if (o.error != null) {
                md.append("Error: `").append(o.error.replace('`', '\'')).append("`\n\n");
            }
            for (Map.Entry<String, Boolean> c : o.checks.entrySet()) {
                md.append("- [").append(c.getValue() ? "x" : " ").append("] ").append(c.getKey()).append("\n");
            }
            md.append("\n| figure | value |\n|---|---|\n");
            for (Map.Entry<String, Object> f : o.figures.entrySet()) {
                md.append("| ").append(f.getKey()).append(" | ").append(format(f.getValue()).replace("|", "\\|")).append(" |\n");
            }
            for (String note : o.notes) {
                md.append("\nNote: ").append(note).append("\n");
            }
            for (Map.Entry<String, String> chart : o.charts.entrySet()) {
                Files.writeString(dir.resolve(chart.getKey()), chart.getValue());
                md.append("\n![").append(chart.getKey()).append("](").append(chart.getKey()).append(")\n");
            }
        }
        Files.writeString(dir.resolve("REPORT.md"), md.toString());
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.format("%.4g", d);
        }
        try {
            return v instanceof String s ? s : Api.JSON.writeValueAsString(v);
        } catch (IOException e) {
            return String.valueOf(v);
        }
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
