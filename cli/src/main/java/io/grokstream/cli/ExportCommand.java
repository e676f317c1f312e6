package io.grokstream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code export}: a checkpoint's weights as ONNX or safetensors, or the list of stored steps. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Downloads the weights of experiment ID at STEP (a number or 'latest') as ONNX or safetensors "
                + "to FILE (default ID-STEP.FORMAT here). --list shows the stored steps.",
                "Example: ./grokstream export exp-1234 latest --format onnx"})
final class ExportCommand implements Callable<Integer> {
    enum Format { onnx, safetensors }

    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1", arity = "0..1", paramLabel = "STEP", description = "a stored step, or latest") String step;
    @Option(names = "--format", paramLabel = "onnx|safetensors", defaultValue = "onnx") Format format;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE") Path output;
    @Option(names = "--list", description = "list the stored checkpoint steps") boolean list;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            Table t = new Table(">STEP", ">BYTES");
            gateway.client().checkpoints(id).forEach(c -> t.row(c.path("step").asLong(), c.path("bytes").asLong()));
            t.print(out, "no checkpoints yet");
            return 0;
        }
        long at = CheckpointStep.resolve(spec, gateway, id, step);
        Path file = output != null ? output : Path.of(id + "-" + at + "." + format);
        long bytes = gateway.client().download(id, at, format.name(), file);
        out.printf("%s (%d bytes, %s, step %d of %s)%n", file, bytes, format, at, id);
        return 0;
    }
}
