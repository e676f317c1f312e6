package io.grokstream.gateway;

import io.grokstream.cli.GrokstreamCli;
import io.grokstream.contracts.Webhooks;
import io.grokstream.gateway.webhook.Receiver;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import static io.grokstream.gateway.Fixtures.DEMO;
import static io.grokstream.gateway.Fixtures.RIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./grokstream webhooks add | ls | test | deliveries | rm} against this gateway, to a local receiver. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class WebhooksCommandTest {
    @TestHTTPResource("/")
    URL base;

    record Run(int exit, String out, String err) {
    }

    /** {@code webhooks SUB --url --key ARGS...}. */
    private Run webhooks(String key, String sub, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("webhooks", sub, "--url=" + base, "--key=" + key));
        all.addAll(List.of(args));
        int exit = GrokstreamCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theWebhookCommandsDoWhatTheirEndpointsDo() {
        try (Receiver receiver = new Receiver()) {
            Run added = webhooks(DEMO, "add", receiver.url(), "--events", "grokked,completed");
            assertEquals(0, added.exit(), added.err());
            String id = added.out().strip().lines().findFirst().orElseThrow().split(" ")[0];
            assertTrue(id.startsWith("wh-"), added.out());
            assertTrue(added.out().contains("secret (shown once"), added.out());

            Run listed = webhooks(DEMO, "ls");
            assertTrue(listed.out().contains(id) && listed.out().contains("grokked,completed"), listed.out());
            assertFalse(webhooks(RIVAL, "ls").out().contains(id));

            Run tested = webhooks(DEMO, "test", id);
            assertEquals(0, tested.exit(), tested.err());
            Fixtures.await(() -> receiver.requests.size() == 1
                    && webhooks(DEMO, "deliveries", id).out().contains("HTTP 200"), "the ping delivered and logged");
            assertTrue(receiver.requests.get(0).header(Webhooks.SIGNATURE_HEADER).startsWith(Webhooks.SCHEME));
            assertTrue(webhooks(DEMO, "deliveries", id).out().contains("ping"));

            Run rivalRm = webhooks(RIVAL, "rm", id);
            assertEquals(1, rivalRm.exit());
            assertTrue(rivalRm.err().contains("404"), rivalRm.err());
            assertEquals(0, webhooks(DEMO, "rm", id).exit());
            assertEquals(1, webhooks(DEMO, "deliveries", id).exit());
        }
    }

    @Test
    void aBadEventIsRefusedNamingTheFieldAndEverySubcommandHasHelp() {
        Run bad = webhooks(DEMO, "add", "http://127.0.0.1:9/x", "--events", "bogus");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("field: events"), bad.err());
        for (String sub : new String[]{"add", "ls", "rm", "deliveries", "test"}) {
            StringWriter out = new StringWriter();
            int exit = GrokstreamCli.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                    .execute("webhooks", sub, "--help");
            assertEquals(0, exit, sub);
            assertTrue(out.toString().contains("Usage: grokstream webhooks " + sub), out.toString());
        }
    }
}
