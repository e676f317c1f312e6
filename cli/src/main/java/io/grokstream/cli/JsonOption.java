package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --json}: the gateway's answer as it is, for scripts; every command that prints an answer mixes it in. */
final class JsonOption {
    @Option(names = "--json", description = "print the gateway's answer as it is (JSON)")
    boolean json;

    /** Prints {@code answer} as it is when {@code --json} was given; whether it did (else the command prints its view). */
    boolean printed(PrintWriter out, JsonNode answer) {
        if (json) {
            out.println(answer.toPrettyString());
        }
        return json;
    }
}
