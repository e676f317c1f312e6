package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code forecast}: an experiment's grokking forecast ({@code GET /api/experiments/ID/forecast}). */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = {"Shows the grokking forecast of an experiment: the step at which its validation accuracy is "
                + "forecast to reach the grok criterion, with an interval and how many steps ahead, whether that is "
                + "within the budget, and (with --history) the forecast made at each analysed snapshot.",
                "A run submitted with --stop-if-forecast-not-to-grok is cancelled once the forecast confirms it will "
                        + "not grok within its budget; the reason is printed here."})
final class ForecastCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--history", description = "one row per analysed snapshot") boolean history;
    @Mixin JsonOption output;

    @Override
    public Integer call() {
        JsonNode f = gateway.client().forecast(id);
        PrintWriter out = spec.commandLine().getOut();
        if (output.printed(out, f)) {
            return 0;
        }
        out.println(id + ": " + f.path("summary").asText());
        out.println("budget " + f.path("budget").asLong() + " steps; stop if forecast not to grok: "
                + (f.path("stopIfForecastNotToGrok").asBoolean() ? "yes" : "no"));
        if (f.hasNonNull("stopReason")) {
            out.println("stop: " + f.path("stopReason").asText());
        }
        if (history) {
            Table t = new Table(">step", "verdict", ">groks at", ">low", ">high", ">steps ahead");
            for (JsonNode g : f.path("history")) {
                t.row(g.path("step").asLong(), g.path("verdict").asText(), text(g, "grokStep"), text(g, "low"),
                        text(g, "high"), text(g, "stepsAhead"));
            }
            t.print(out);
        }
        return 0;
    }

    private static String text(JsonNode node, String field) {
        Long v = Json.whole(node, field);
        return v == null ? "-" : Long.toString(v);
    }
}
