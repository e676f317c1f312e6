package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code infer}: the model at a checkpoint answers inputs ({@code POST .../checkpoints/STEP/infer}, ONNX Runtime). */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Runs the checkpoint at STEP (a number or 'latest') on inputs in the gateway (ONNX Runtime) and "
                + "prints each target's predicted class and its probability.",
                "Example: ./grokstream infer exp-1234 latest --input 5,7 --input 100,20"})
final class InferCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1", paramLabel = "STEP", description = "a stored step, or latest") String step;
    @Option(names = "--input", paramLabel = "X,Y", description = "an (x, y) pair of a residue task (repeatable)") List<String> inputs = new ArrayList<>();
    @Option(names = "--tokens", paramLabel = "T1,T2,...", description = "a row of token ids (repeatable)") List<String> tokens = new ArrayList<>();
    @Mixin JsonOption output;

    @Override
    public Integer call() {
        if (inputs.isEmpty() == tokens.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give inputs with --input X,Y or rows with --tokens, not both");
        }
        ObjectNode body = ExperimentOptions.JSON.createObjectNode();
        List<String> shown = new ArrayList<>();
        if (!inputs.isEmpty()) {
            ArrayNode rows = body.putArray("inputs");
            for (String pair : inputs) {
                long[] xy = CsvIntegers.parse(spec.commandLine(), pair, "--input");
                if (xy.length != 2) {
                    throw new ParameterException(spec.commandLine(), "--input takes X,Y, got '" + pair + "'");
                }
                rows.addObject().put("x", xy[0]).put("y", xy[1]);
                shown.add("x=" + xy[0] + " y=" + xy[1]);
            }
        } else {
            ArrayNode rows = body.putArray("tokens");
            for (String row : tokens) {
                ArrayNode r = rows.addArray();
                for (long t : CsvIntegers.parse(spec.commandLine(), row, "--tokens")) {
                    r.add(t);
                }
                shown.add(row);
            }
        }
        JsonNode answer = gateway.client().infer(id, CheckpointStep.resolve(spec, gateway, id, step), body);
        PrintWriter out = spec.commandLine().getOut();
        if (output.printed(out, answer)) {
            return 0;
        }
        List<String> headers = new ArrayList<>(List.of("INPUT"));
        answer.path("targets").forEach(t -> {
            headers.add(">" + t.asText());
            headers.add(">p(" + t.asText() + ")");
        });
        Table table = new Table(headers.toArray(String[]::new));
        for (int i = 0; i < shown.size(); i++) {
            List<Object> row = new ArrayList<>(List.of(shown.get(i)));
            for (int k = 0; k < answer.path("targets").size(); k++) {
                row.add(answer.path("predictions").path(i).path(k).asLong());
                row.add(Table.num(answer.path("probabilities").path(i).path(k).asDouble()));
            }
            table.row(row.toArray());
        }
        out.printf("%s at step %d (%.1f ms in ONNX Runtime)%n", id, answer.path("step").asLong(), answer.path("runMillis").asDouble());
        table.print(out);
        return 0;
    }
}
