package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code presets}: the create bodies the gateway serves ({@code GET /api/presets}), field by field. */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = {"Prints the gateway's presets, every field of the create body with its value, as the dotted "
                + "paths submit --help, sweep --grid and clone use. nanda is what submit trains when no option is given: "
                + "Nanda et al. (2023)'s modular addition mod 113 run."})
final class PresetsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Parameters(paramLabel = "NAME", arity = "0..1", description = "one preset (default: all)") String name;
    @Mixin JsonOption output;

    @Override
    public Integer call() {
        JsonNode presets = gateway.client().presets();
        PrintWriter out = spec.commandLine().getOut();
        if (name != null && !presets.has(name)) {
            spec.commandLine().getErr().println("grokstream presets: no preset '" + name + "'; the gateway has "
                    + String.join(", ", (Iterable<String>) presets::fieldNames));
            return GrokstreamCli.REFUSED;
        }
        JsonNode shown = name == null ? presets : presets.path(name);
        if (output.printed(out, shown)) {
            return 0;
        }
        presets.fields().forEachRemaining(p -> {
            if (name == null || name.equals(p.getKey())) {
                out.println(p.getKey());
                Table t = new Table("  FIELD", "VALUE");
                fields("", p.getValue(), t);
                t.print(out, "  (empty)");
            }
        });
        return 0;
    }

    /** Every leaf of a create body as its dotted path. */
    private static void fields(String prefix, JsonNode node, Table t) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> fields(prefix + (prefix.isEmpty() ? "" : ".") + f.getKey(), f.getValue(), t));
        } else {
            t.row("  " + prefix, node.isNull() ? "(default)" : node.asText());
        }
    }
}
