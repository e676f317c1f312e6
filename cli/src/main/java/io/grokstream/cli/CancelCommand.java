package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code cancel}: stops a running or waiting experiment ({@code POST /api/experiments/ID/cancel}). */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancels an experiment of your team, waiting or running (a running one stops within a few steps"
                + " wherever it trains). An experiment that has already ended answers 409.")
final class CancelCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--reason", paramLabel = "TEXT", description = "why, kept with the experiment") String reason;
    @Mixin JsonOption output;

    @Override
    public Integer call() {
        JsonNode answer = gateway.client().cancel(id, reason);
        var out = spec.commandLine().getOut();
        if (!output.printed(out, answer)) {
            out.println(answer.path("experimentId").asText() + " " + answer.path("status").asText()
                    + (answer.hasNonNull("reason") ? " (" + answer.path("reason").asText() + ")" : ""));
        }
        return 0;
    }
}
