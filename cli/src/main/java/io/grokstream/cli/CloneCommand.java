package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code clone}: a new experiment from an existing one with overrides ({@code POST /api/experiments/ID/clone}). */
@Command(name = "clone", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submits a copy of an experiment you may read, with the options given changed (objects merge "
                + "field by field; --task or inline task options replace the task). Prints the new id.",
                "Example: ./grokstream clone exp-1234 --weight-decay 0.3 --seed 2"})
final class CloneCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Mixin ExperimentOptions overrides;
    @Parameters(paramLabel = "ID", description = "the experiment to copy") String id;
    @Mixin JsonOption output;

    @Override
    public Integer call() {
        JsonNode answer = gateway.client().cloneExperiment(id, SubmitCommand.body(spec, overrides));
        var out = spec.commandLine().getOut();
        if (!output.printed(out, answer)) {
            SubmitCommand.printCreated(spec, answer);
        }
        return 0;
    }
}
