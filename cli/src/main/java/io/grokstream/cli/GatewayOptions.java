package io.grokstream.cli;

import io.grokstream.client.GatewayClient;
import picocli.CommandLine.Option;

/** Where the gateway is and whose key to use: every command mixes these in. */
final class GatewayOptions {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:GROKSTREAM_URL:-http://localhost:8080}",
            description = "the gateway (env GROKSTREAM_URL; default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--key", paramLabel = "KEY", defaultValue = "${env:GROKSTREAM_KEY:-demo-key}",
            description = "your team's API key (env GROKSTREAM_KEY; default demo-key)", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER)
    String key;

    GatewayClient client() {
        return new GatewayClient(url, key);
    }
}
