package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.grokstream.contracts.AlertKind;
import io.grokstream.contracts.Webhooks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * {@code webhooks}: the team's alerts ({@code /api/webhooks}): add, ls, rm, deliveries, test.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = {"Your team's webhooks: the gateway POSTs a signed JSON alert to each when one of your "
                + "experiments memorises, forms its circuit, cleans up, groks, meets an anomaly, completes, fails or is "
                + "cancelled, and retries with back-off when the receiver fails.",
                "Check a delivery: " + Webhooks.SIGNATURE_HEADER + " is " + Webhooks.SCHEME
                        + "<hex HMAC-SHA256 of \"<" + Webhooks.TIMESTAMP_HEADER + ">.<body>\" keyed by the secret>."},
        subcommands = {WebhooksCommand.Add.class, WebhooksCommand.Ls.class, WebhooksCommand.Rm.class,
                WebhooksCommand.Deliveries.class, WebhooksCommand.Test.class})
final class WebhooksCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The kinds a webhook may subscribe to, from contracts. */
    static final class Kinds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(AlertKind.values()).filter(AlertKind::subscribable).map(AlertKind::wire).iterator();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Registers a webhook; prints its id and its secret, which is shown this once.")
    static final class Add implements Runnable {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Parameters(paramLabel = "URL", description = "the http(s) address alerts are posted to") String url;
        @Option(names = "--events", split = ",", required = true, paramLabel = "KIND", completionCandidates = Kinds.class,
                description = "the alerts it is sent, comma-separated: ${COMPLETION-CANDIDATES}") List<String> events;
        @Option(names = "--experiment", paramLabel = "ID", description = "only this experiment of your team")
        String experimentId;
        @Mixin JsonOption output;

        @Override
        public void run() {
            JsonNode w = gateway.client().addWebhook(url, events, experimentId);
            PrintWriter out = spec.commandLine().getOut();
            if (!output.printed(out, w)) {
                out.println(w.path("webhookId").asText() + " -> " + w.path("url").asText() + " on "
                        + String.join(",", eventsOf(w)));
                out.println("secret (shown once; keep it to check signatures): " + w.path("secret").asText());
            }
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = "Lists your team's webhooks with each one's last delivery attempt.")
    static final class Ls implements Runnable {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Mixin JsonOption output;

        @Override
        public void run() {
            JsonNode all = gateway.client().webhooks();
            PrintWriter out = spec.commandLine().getOut();
            if (output.printed(out, all)) {
                return;
            }
            Table t = new Table("id", "url", "events", "experiment", "last attempt");
            for (JsonNode w : all) {
                JsonNode last = w.path("lastAttempt");
                t.row(w.path("webhookId").asText(), w.path("url").asText(), String.join(",", eventsOf(w)),
                        w.path("experimentId").asText("all"), last.isObject() ? outcome(last) + " at "
                                + last.path("attemptedAt").asText() : null);
            }
            t.print(out, "no webhooks (add one: ./grokstream webhooks add URL --events grokked)");
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Removes a webhook of your team.")
    static final class Rm extends OneWebhook {

        @Override
        public void run() {
            gateway.client().removeWebhook(id);
            PrintWriter out = spec.commandLine().getOut();
            if (!output.printed(out, JsonNodeFactory.instance.objectNode().put("webhookId", id).put("removed", true))) {
                out.println("removed " + id);
            }
        }
    }

    @Command(name = "deliveries", mixinStandardHelpOptions = true,
            description = "A webhook's delivery log, newest attempt first: the alert, the experiment, the attempt, "
                    + "the receiver's HTTP status or the error, and when the next retry is due.")
    static final class Deliveries extends OneWebhook {

        @Override
        public void run() {
            JsonNode log = gateway.client().webhookDeliveries(id);
            PrintWriter out = spec.commandLine().getOut();
            if (output.printed(out, log)) {
                return;
            }
            Table t = new Table("at", "kind", "experiment", ">attempt", "outcome", "next retry");
            for (JsonNode a : log) {
                t.row(a.path("attemptedAt").asText(), a.path("kind").asText(), a.path("experimentId").asText(null),
                        a.path("attempt").asInt(), outcome(a), a.path("nextRetryAt").asText(null));
            }
            t.print(out, "no deliveries yet");
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Sends a test delivery (kind ping) now; see it with 'webhooks deliveries ID'.")
    static final class Test extends OneWebhook {

        @Override
        public void run() {
            JsonNode answer = gateway.client().testWebhook(id);
            PrintWriter out = spec.commandLine().getOut();
            if (!output.printed(out, answer)) {
                out.println("test delivery " + answer.path("deliveryId").asText() + " sent to " + id);
            }
        }
    }

    /** What the commands about one webhook take: the gateway, the webhook's id, {@code --json}. */
    abstract static class OneWebhook implements Runnable {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Parameters(paramLabel = "ID", description = "the webhook's id (wh-...)") String id;
        @Mixin JsonOption output;
    }

    private static List<String> eventsOf(JsonNode w) {
        List<String> events = new ArrayList<>();
        w.path("events").forEach(e -> events.add(e.asText()));
        return events;
    }

    /** {@code HTTP 200}, or the error of an attempt that got no answer. */
    private static String outcome(JsonNode attempt) {
        return attempt.hasNonNull("status") ? "HTTP " + attempt.path("status").asInt() : attempt.path("error").asText();
    }
}
