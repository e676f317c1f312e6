package io.grokstream.gateway.webhook;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetPolicyTest {
    private final TargetPolicy production = new TargetPolicy(false);

    @Test
    void productionRefusesEveryPrivateLoopbackOrLinkLocalTarget() {
        for (String url : new String[]{"http://127.0.0.1:8080/x", "http://10.1.2.3/", "http://192.168.0.7/",
                "http://172.16.5.5/", "http://169.254.169.254/latest/meta-data", "http://[::1]/",
                "http://[fd00::1]/", "http://100.64.0.1/", "http://0.0.0.0/", "http://localhost/"}) {
            assertTrue(production.refusal(url).orElse("").contains("private"), url + ": " + production.refusal(url));
        }
    }

    @Test
    void aPublicAddressIsAllowedAndTheDevelopmentPolicyAllowsLoopback() {
        assertEquals(Optional.empty(), production.refusal("https://93.184.216.34/hook"));
        assertEquals(Optional.empty(), new TargetPolicy(true).refusal("http://127.0.0.1:9/hook"));
    }

    @Test
    void onlyAbsoluteHttpUrlsWithoutCredentialsAreTargets() {
        TargetPolicy any = new TargetPolicy(true);
        assertTrue(any.refusal("ftp://example.org/").orElseThrow().contains("http or https"));
        assertTrue(any.refusal("/relative").orElseThrow().contains("http or https"));
        assertTrue(any.refusal("http://user:pw@example.org/").orElseThrow().contains("credentials"));
        assertTrue(any.refusal("http:///nohost").orElseThrow().contains("host"));
        assertTrue(any.refusal("http://a b/").orElseThrow().contains("not a URL"));
    }

    @Test
    void retriesFollowTheConfiguredExponentialBackOff() {
        WebhookSender.Policy p = new WebhookSender.Policy(java.time.Duration.ofMillis(100), 2, 3,
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
        assertEquals(100, p.delayAfter(1).toMillis());
        assertEquals(200, p.delayAfter(2).toMillis());
        assertEquals(400, p.delayAfter(3).toMillis());
        assertTrue(WebhookSender.retryable(null) && WebhookSender.retryable(408) && WebhookSender.retryable(429)
                && WebhookSender.retryable(503));
        assertTrue(!WebhookSender.retryable(200) && !WebhookSender.retryable(404) && !WebhookSender.retryable(410));
    }
}
