package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.client.GatewayClient;
import io.grokstream.contracts.ExperimentStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ls}: the experiments a key may read, or the task catalog. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "Lists the experiments your key may read (your team's and public ones; an admin key sees all, "
                + "--team narrows): status, progress, steps/s, ETA, latest losses and accuracy, grok step.")
final class LsCommand implements Callable<Integer> {
    static final int BAR = 12;

    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Option(names = "--team", paramLabel = "TEAM", description = "one team's experiments (admin key)") String team;
    @Option(names = "--status", paramLabel = "STATUS", converter = StatusWord.class,
            description = "only experiments in this status: submitted, running, completed, failed or cancelled")
    ExperimentStatus status;
    @Option(names = "--tasks", description = "list the task catalog instead") boolean tasks;
    @Mixin JsonOption output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode answer = tasks ? gateway.client().tasks() : gateway.client().experiments(team);
        if (output.printed(out, answer)) {
            return 0;
        }
        if (tasks) {
            tasks(out, answer);
        } else {
            experiments(out, answer);
        }
        return 0;
    }

    private static void tasks(PrintWriter out, JsonNode tasks) {
        Table t = new Table("TASK", "KIND", ">ROWS", ">TRAIN", ">SEQ", "PARAMETERS");
        for (JsonNode task : tasks) {
            List<String> params = new ArrayList<>();
            task.path("parameters").fields().forEachRemaining(e -> params.add(e.getKey() + "=" + e.getValue().asText()));
            params.sort(null);
            t.row(task.path("id").asText(), task.path("kind").asText(), task.path("rows").asLong(),
                    task.path("trainRows").asLong(), task.path("seqLen").asInt(), String.join(" ", params));
        }
        t.print(out, "no tasks in the catalog");
    }

    private void experiments(PrintWriter out, JsonNode experiments) {
        List<JsonNode> rows = new ArrayList<>();
        experiments.forEach(e -> {
            if (status == null || GatewayClient.statusOf(e).orElse(null) == status) {
                rows.add(e);
            }
        });
        rows.sort(Comparator.comparing((JsonNode e) -> e.path("submittedAt").asText()).reversed());
        Table t = new Table("EXPERIMENT", "NAME", "TEAM", "STATUS", "PROGRESS", ">STEP", ">STEP/S", ">ETA", ">TRAIN",
                ">VAL", ">VAL ACC", ">GROK");
        for (JsonNode e : rows) {
            JsonNode latest = e.path("latest");
            long step = e.path("step").asLong();
            long max = e.path("maxSteps").asLong();
            boolean running = GatewayClient.statusOf(e).orElse(null) == ExperimentStatus.RUNNING;
            t.row(e.path("experimentId").asText(), clip(e.path("name").asText(""), 24), e.path("team").asText(""),
                    e.path("status").asText(), bar(step, max), step + "/" + max,
                    Table.fixed(Json.number(e, "stepsPerSecond")),
                    running ? Table.duration(Json.number(e, "etaSeconds")) : null,
                    Table.num(Json.number(latest, "trainLoss")), Table.num(Json.number(latest, "validationLoss")),
                    Table.percent(Json.number(latest, "validationAccuracy")), Json.whole(e, "grokStep"));
        }
        t.print(out, "no experiments");
    }

    /** A status as the API words it ({@code running}), refused with the words when it is none of them. */
    static final class StatusWord implements CommandLine.ITypeConverter<ExperimentStatus> {
        @Override
        public ExperimentStatus convert(String word) {
            return ExperimentStatus.of(word).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "'" + word + "' is not a status; one of " + Arrays.stream(ExperimentStatus.values())
                            .map(ExperimentStatus::wire).collect(Collectors.joining(", "))));
        }
    }

    /** A fixed-width text bar: [######......]  50%. */
    static String bar(long step, long max) {
        double frac = max <= 0 ? 0 : Math.max(0, Math.min(1, step / (double) max));
        int full = (int) Math.round(frac * BAR);
        return "[" + "#".repeat(full) + ".".repeat(BAR - full) + "] " + String.format(Locale.ROOT, "%3.0f%%", 100 * frac);
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
