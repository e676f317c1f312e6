package io.grokstream.cli;

import picocli.CommandLine.Option;

/** {@code --json}: the gateway's answer as it is, for scripts; every command that prints an answer mixes it in. */
final class JsonOption {
    @Option(names = "--json", description = "print the gateway's answer as it is (JSON)")
    boolean json;
}
