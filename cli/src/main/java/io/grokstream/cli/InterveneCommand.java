package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.contracts.InterventionKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code intervene}: an ablation or an activation patch on a checkpoint ({@code POST .../checkpoints/STEP/interventions}). */
@Command(name = "intervene", mixinStandardHelpOptions = true,
        description = {"Intervenes on the checkpoint at STEP (a number or 'latest') in the gateway and prints, per target,"
                + " loss and accuracy over every task input before and after; the gateway checks the fields.",
                "KIND: ablate_fourier_logits, ablate_fourier_activation, zero_ablate_neurons, mean_ablate_neurons,"
                        + " zero_ablate_heads, mean_ablate_heads, patch_activation.",
                "Examples: ./grokstream intervene exp-1234 latest ablate_fourier_logits --frequencies 14,35,41",
                "          ./grokstream intervene exp-1234 latest patch_activation --hook blocks.0.hook_resid_post"
                        + " --source 5,7 --input 1,2"})
final class InterveneCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1", paramLabel = "STEP", description = "a stored step, or latest") String step;
    @Parameters(index = "2", paramLabel = "KIND", description = "what to do (see above)") String kind;
    @Option(names = "--frequencies", paramLabel = "K1,K2,...", description = "Fourier frequencies (the Fourier kinds)") String frequencies;
    @Option(names = "--neurons", paramLabel = "N1,N2,...", description = "MLP neurons (the neuron kinds)") String neurons;
    @Option(names = "--heads", paramLabel = "H1,H2,...", description = "attention heads (the head kinds)") String heads;
    @Option(names = "--layer", paramLabel = "L", description = "the block of the neurons or heads (default 0)") Integer layer;
    @Option(names = "--hook", paramLabel = "NAME", description = "the activation, e.g. blocks.0.hook_resid_mid") String hook;
    @Option(names = "--position", paramLabel = "P", description = "the sequence position (default: where the first target is read)") Integer position;
    @Option(names = "--source", paramLabel = "X,Y", description = "the input patched from (patch_activation)") String source;
    @Option(names = "--input", paramLabel = "X,Y", description = "an input whose logits to print (repeatable)") List<String> inputs = new ArrayList<>();
    @Mixin JsonOption output;

    @Override
    public Integer call() {
        if (InterventionKind.of(kind).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "KIND must be one of " + Arrays.stream(InterventionKind.values())
                    .map(InterventionKind::wire).toList() + ", got '" + kind + "'");
        }
        ObjectNode body = ExperimentOptions.JSON.createObjectNode().put("kind", kind);
        list(body, "frequencies", frequencies);
        list(body, "neurons", neurons);
        list(body, "heads", heads);
        if (layer != null) {
            body.put("layer", layer);
        }
        if (hook != null) {
            body.put("hook", hook);
        }
        if (position != null) {
            body.put("position", position);
        }
        if (source != null) {
            pair(body.putObject("source"), source, "--source");
        }
        if (!inputs.isEmpty()) {
            ArrayNode rows = body.putArray("inputs");
            inputs.forEach(i -> pair(rows.addObject(), i, "--input"));
        }
        JsonNode answer = gateway.client().intervene(id, CheckpointStep.resolve(spec, gateway, id, step), body);
        PrintWriter out = spec.commandLine().getOut();
        if (output.printed(out, answer)) {
            return 0;
        }
        out.printf("%s at step %d: %s over %d inputs (%.0f ms)%n", id, answer.path("step").asLong(),
                answer.path("intervention"), answer.path("rows").asInt(), answer.path("millis").asDouble());
        Table table = new Table("TARGET", "LOSS", ">LOSS", "ACC", ">ACC", "VAL ACC", ">VAL ACC");
        for (JsonNode t : answer.path("targets")) {
            JsonNode c = t.path("clean"), i = t.path("intervened");
            table.row(t.path("target").asText(), Table.num(c.path("loss").asDouble()), Table.num(i.path("loss").asDouble()),
                    Table.percent(c.path("accuracy").asDouble()), Table.percent(i.path("accuracy").asDouble()),
                    Table.percent(number(c.path("validationAccuracy"))), Table.percent(number(i.path("validationAccuracy"))));
        }
        table.print(out);
        for (JsonNode l : answer.path("logits")) {
            out.printf("input %s, %s (label %d): argmax %d -> %d%n", l.path("tokens"), l.path("target").asText(),
                    l.path("label").asInt(), argmax(l.path("clean")), argmax(l.path("intervened")));
        }
        return 0;
    }

    private static Double number(JsonNode v) {
        return v.isNumber() ? v.asDouble() : null;
    }

    private static int argmax(JsonNode values) {
        int best = 0;
        for (int c = 1; c < values.size(); c++) {
            if (values.get(c).asDouble() > values.get(best).asDouble()) {
                best = c;
            }
        }
        return best;
    }

    private void list(ObjectNode body, String field, String csv) {
        if (csv == null) {
            return;
        }
        ArrayNode a = body.putArray(field);
        for (long v : CsvIntegers.parse(spec.commandLine(), csv, "--" + field)) {
            a.add(v);
        }
    }

    private void pair(ObjectNode into, String xy, String option) {
        long[] v = CsvIntegers.parse(spec.commandLine(), xy, option);
        if (v.length != 2) {
            throw new ParameterException(spec.commandLine(), option + " takes X,Y, got '" + xy + "'");
        }
        into.put("x", v[0]).put("y", v[1]);
    }
}
