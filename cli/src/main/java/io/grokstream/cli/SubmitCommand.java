package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code submit}: one experiment ({@code POST /api/experiments}), or a sweep when {@code --sweep} is given. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submits an experiment and prints its id; with --sweep, one per combination of a grid.",
                "Every option is optional: what is not given is the gateway's default, Nanda et al. (2023)'s modular "
                        + "addition mod 113 run (every field: ./grokstream presets nanda)."})
final class SubmitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Mixin ExperimentOptions experiment;

    @Option(names = "--sweep", paramLabel = "PATH=V1,V2,...", description = {"one linked experiment per combination "
            + "(POST /api/sweeps; once or twice; PATH as in the API, e.g. optimizer.weightDecay, grokfast.lambda)"})
    List<String> sweep = new ArrayList<>();

    @Mixin JsonOption output;
    @Option(names = "--dry-run", description = "print the request, send nothing") boolean dryRun;

    @Override
    public Integer call() {
        return send(spec, gateway, body(spec, experiment), sweep, output, dryRun);
    }

    /** Prints a created experiment's id (stdout) and how to follow it (stderr). */
    static void printCreated(CommandSpec spec, JsonNode created) {
        spec.commandLine().getOut().println(created.path("experimentId").asText());
        spec.commandLine().getErr().println("watch it: ./grokstream watch " + created.path("experimentId").asText());
    }

    /** The body the options give; a contradiction in them is a usage error. */
    static ObjectNode body(CommandSpec spec, ExperimentOptions experiment) {
        try {
            return experiment.body();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Posts an experiment, or a sweep of it over {@code grid} specs, and prints what was created. */
    static int send(CommandSpec spec, GatewayOptions gateway, ObjectNode body, List<String> grid, JsonOption output,
                    boolean dryRun) {
        String path = grid.isEmpty() ? "/api/experiments" : "/api/sweeps";
        ObjectNode request = body;
        if (!grid.isEmpty()) {
            request = ExperimentOptions.JSON.createObjectNode();
            request.set("base", body);
            try {
                request.set("grid", ExperimentOptions.grid(grid));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        var out = spec.commandLine().getOut();
        if (dryRun) {
            out.println("POST " + gateway.url + path);
            out.println(request.toPrettyString());
            return 0;
        }
        JsonNode answer = grid.isEmpty() ? gateway.client().submit(request) : gateway.client().sweep(request);
        if (output.printed(out, answer)) {
            return 0;
        }
        if (grid.isEmpty()) {
            printCreated(spec, answer);
        } else {
            List<String> ids = new ArrayList<>();
            answer.path("experimentIds").forEach(id -> ids.add(id.asText()));
            out.printf("sweep %s: %d experiments%n", answer.path("sweepId").asText(), ids.size());
            ids.forEach(id -> out.println("  " + id));
            out.println("compare them: ./grokstream compare " + String.join(" ", ids) + " --metric validationAccuracy");
        }
        return 0;
    }
}
