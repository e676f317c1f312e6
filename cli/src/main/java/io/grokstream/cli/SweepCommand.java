package io.grokstream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code sweep}: linked experiments over a grid of one or two parameters ({@code POST /api/sweeps}). */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submits one linked experiment per combination of the grid (one or two parameters, at most 16 "
                + "experiments); the other options set the base experiment, as for submit.",
                "Example: ./grokstream sweep --grid optimizer.weightDecay=0.3,1 --grid seed=1,2,3 --max-steps 5000"})
final class SweepCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin GatewayOptions gateway;
    @Mixin ExperimentOptions experiment;

    @Option(names = "--grid", required = true, paramLabel = "PATH=V1,V2,...",
            description = "a swept parameter (once or twice): any leaf of model.*, optimizer.*, grokfast.*, budget.*, "
                    + "cadence.*, or seed")
    List<String> grid;

    @Mixin JsonOption output;
    @Option(names = "--dry-run", description = "print the request, send nothing") boolean dryRun;

    @Override
    public Integer call() {
        return SubmitCommand.send(spec, gateway, SubmitCommand.body(spec, experiment), grid, output, dryRun);
    }
}
