package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.Measure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code measures}: an experiment's progress measures per snapshot ({@code GET /api/experiments/ID/measures}). */
@Command(name = "measures", mixinStandardHelpOptions = true,
        description = "Shows the progress measures of an experiment's snapshots as the analysis service computed "
                + "them: the key frequencies and every scalar (or those named with --scalar), one row per snapshot.")
final class MeasuresCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--scalar", paramLabel = "NAME", description = "a scalar to show (repeatable; default: all)") List<String> scalars;
    @Option(names = "--points", paramLabel = "N", description = "at most N snapshots, evenly spaced") Integer points;
    @Option(names = "--target", paramLabel = "T", description = "the scalars of one target of a task with several "
            + "targets (e.g. q7: train_loss.q7, test_accuracy.q7, restricted_loss.q7, ...)") String target;
    @Mixin JsonOption output;

    @Override
    public Integer call() {
        JsonNode measures = gateway.client().measures(id, points);
        PrintWriter out = spec.commandLine().getOut();
        if (output.printed(out, measures)) {
            return 0;
        }
        if (measures.isEmpty()) {
            out.println("no measures yet for " + id);
            return 0;
        }
        TreeSet<String> names = new TreeSet<>();
        measures.forEach(m -> m.path("scalars").fieldNames().forEachRemaining(names::add));
        List<String> shown = scalars != null ? scalars : target == null ? new ArrayList<>(names)
                : names.stream().filter(n -> ofTarget(n, target)).toList();
        List<String> headers = new ArrayList<>(List.of(">step", "key frequencies"));
        shown.forEach(s -> headers.add(">" + s));
        Table t = new Table(headers.toArray(String[]::new));
        for (JsonNode m : measures) {
            List<Object> row = new ArrayList<>();
            row.add(m.path("step").asLong());
            List<String> kf = new ArrayList<>();
            m.path("keyFrequencies").forEach(k -> kf.add(k.asText()));
            row.add(String.join(" ", kf));
            shown.forEach(s -> row.add(Table.num(Json.number(m.path("scalars"), s))));
            t.row(row.toArray());
        }
        t.print(out);
        return 0;
    }

    /** Whether a scalar is a per-target family's member for {@code target} ({@code restricted_loss.q7}). */
    static boolean ofTarget(String name, String target) {
        return Measure.named(name).filter(m -> m.family() && name.equals(m.wire() + target)).isPresent();
    }
}
