package io.grokstream.cli;

import io.grokstream.client.GatewayClient.GatewayException;
import io.grokstream.reproduce.ReproduceMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code ./grokstream COMMAND}: the user commands over the gateway's REST API. Every verb the API offers a team is a
 * command here with {@code --help}. Exit codes: 0 done, 1 the gateway refused (its error is printed), 2 the gateway
 * could not be reached, 64 a usage error; {@code watch} adds 3 for a cancelled run.
 */
@Command(name = "grokstream", mixinStandardHelpOptions = true, version = "grokstream 0.1.0",
        description = "Talks to the gateway (GROKSTREAM_URL, default http://localhost:8080) with your team's key "
                + "(GROKSTREAM_KEY, default demo-key). The platform itself: ./grokstream up | down | status | logs | build.",
        subcommands = {SubmitCommand.class, SweepCommand.class, LsCommand.class, WatchCommand.class,
                CompareCommand.class, MeasuresCommand.class, ForecastCommand.class, CancelCommand.class, CloneCommand.class,
                InferCommand.class, InterveneCommand.class, ExportCommand.class, PresetsCommand.class, WebhooksCommand.class, ReproduceMain.class, CommandLine.HelpCommand.class})
public final class GrokstreamCli {
    /** The gateway refused a request (4xx/5xx). */
    public static final int REFUSED = 1;
    /** The gateway could not be reached. */
    public static final int UNREACHABLE = 2;
    /** The command line itself is wrong (sysexits.h EX_USAGE). */
    public static final int USAGE = 64;

    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /** The command line with its error handling, writing to {@code out} and {@code err} (tests pass their own). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new GrokstreamCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.getCommandSpec().exitCodeOnInvalidInput(USAGE);
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().exitCodeOnInvalidInput(USAGE));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof GatewayException g) {
                commandLine.getErr().println("grokstream: " + g.getMessage());
                return g.unreachable() ? UNREACHABLE : REFUSED;
            }
            if (e instanceof CommandLine.ParameterException p) { // found wrong once the command ran
                commandLine.getErr().println("grokstream " + commandLine.getCommandName() + ": " + p.getMessage()
                        + " (see --help)");
                return USAGE;
            }
            throw e;
        });
        return cli;
    }
}
