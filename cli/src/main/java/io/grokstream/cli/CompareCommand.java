package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code compare}: one metric of several experiments side by side ({@code GET /api/compare}). */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Shows one metric of several experiments side by side: a table of N evenly spaced steps and, per "
                + "experiment, its last value and its best value with the step it was reached at.",
                "metrics: validationAccuracy (default), trainAccuracy, validationLoss, trainLoss, gradNormTotal, "
                        + "weightSquaredTotal, lr, stepMillis, or a progress-measure scalar (restricted_loss, ...)"})
final class CompareCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Parameters(arity = "1..20", paramLabel = "ID", description = "experiments (1 to 20)") List<String> ids;
    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "validationAccuracy") String metric;
    @Option(names = "--points", paramLabel = "N", defaultValue = "15", description = "rows of the table (default 15)") int points;
    @Option(names = "--mechanisms", description = "the runs' mechanisms instead of a metric: phase steps, key "
            + "frequencies (when found; * shared by every run) and final accuracies, per target too") boolean mechanisms;
    @Mixin JsonOption output;

    @Override
    public Integer call() {
        if (mechanisms) {
            JsonNode answer = gateway.client().mechanisms(ids);
            PrintWriter out = spec.commandLine().getOut();
            if (!output.printed(out, answer)) {
                MechanismsTable.print(answer, out);
            }
            return 0;
        }
        if (points < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--points must be at least 2, got " + points);
        }
        JsonNode answer = gateway.client().compare(ids, metric, 2000);
        PrintWriter out = spec.commandLine().getOut();
        if (output.printed(out, answer)) {
            return 0;
        }
        boolean lowerIsBetter = metric.contains("Loss") || metric.contains("loss") || metric.equals("gradNormTotal")
                || metric.equals("stepMillis");
        out.printf("%s (%s is better)%n%n", metric, lowerIsBetter ? "lower" : "higher");
        List<TreeMap<Long, Double>> series = new ArrayList<>();
        TreeSet<Long> steps = new TreeSet<>();
        List<String> headers = new ArrayList<>(List.of(">step"));
        for (JsonNode s : answer.path("series")) {
            TreeMap<Long, Double> points = new TreeMap<>();
            s.path("points").forEach(p -> points.put(p.get(0).asLong(), p.get(1).asDouble()));
            series.add(points);
            steps.addAll(points.keySet());
            headers.add(">" + s.path("experimentId").asText());
        }
        Table t = new Table(headers.toArray(String[]::new));
        for (long step : evenly(new ArrayList<>(steps), points)) {
            List<Object> row = new ArrayList<>(List.of(step));
            series.forEach(s -> {
                Map.Entry<Long, Double> at = s.floorEntry(step); // a series sampled at its own cadence: its last value
                row.add(at == null ? null : format(at.getValue()));
            });
            t.row(row.toArray());
        }
        t.print(out);
        out.println();
        int i = 0;
        for (JsonNode s : answer.path("series")) {
            TreeMap<Long, Double> points = series.get(i++);
            String who = s.path("experimentId").asText() + "  " + s.path("name").asText("");
            if (points.isEmpty()) {
                out.println(who + ": no points yet");
                continue;
            }
            Comparator<Map.Entry<Long, Double>> byValue = Map.Entry.comparingByValue();
            Map.Entry<Long, Double> best = (lowerIsBetter ? points.entrySet().stream().min(byValue)
                    : points.entrySet().stream().max(byValue)).orElseThrow(); // ties: the first step
            out.printf("%s: last %s at step %d, best %s at step %d%n", who, format(points.lastEntry().getValue()),
                    points.lastKey(), format(best.getValue()), best.getKey());
        }
        return 0;
    }

    private String format(double v) {
        return metric.contains("Accuracy") ? Table.percent(v) : Table.num(v);
    }

    /** At most {@code n} of {@code steps}, evenly spaced, first and last kept. */
    static List<Long> evenly(List<Long> steps, int n) {
        if (steps.size() <= n) {
            return steps;
        }
        TreeSet<Long> out = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            out.add(steps.get((int) Math.round(i * (steps.size() - 1) / (double) (n - 1))));
        }
        return new ArrayList<>(out);
    }
}
