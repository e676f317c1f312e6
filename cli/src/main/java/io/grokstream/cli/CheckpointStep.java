package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** A checkpoint step as a user names it: a number, or {@code latest} (the newest stored one). */
final class CheckpointStep {
    private CheckpointStep() {
    }

    /**
     * The step {@code given} names.
     *
     * @throws ParameterException when it is missing, neither a whole number nor {@code latest}, or no checkpoint is stored
     */
    static long resolve(CommandSpec spec, GatewayOptions gateway, String id, String given) {
        if (given == null) {
            throw new ParameterException(spec.commandLine(), "STEP is needed: a stored step or 'latest' (--list shows them)");
        }
        if (given.equals("latest")) {
            long latest = -1;
            for (JsonNode c : gateway.client().checkpoints(id)) {
                latest = Math.max(latest, c.path("step").asLong());
            }
            if (latest < 0) {
                throw new ParameterException(spec.commandLine(), "experiment " + id + " has no checkpoints yet");
            }
            return latest;
        }
        try {
            return Long.parseLong(given);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "STEP must be a whole number or 'latest', got '" + given + "'");
        }
    }
}
