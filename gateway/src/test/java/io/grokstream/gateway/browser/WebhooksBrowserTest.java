package io.grokstream.gateway.browser;

import io.grokstream.contracts.Webhooks;
import io.grokstream.gateway.webhook.Receiver;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Webhooks page in a real headless Chromium: a refused URL marks its field, a webhook added through the form
 * shows its secret once, and its test delivery to a local receiver that fails once shows both attempts in the
 * delivery log (HTTP 500, then HTTP 200). Screenshot in {@code gateway/target/screenshots/webhooks-page.png}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class WebhooksBrowserTest extends BrowserTest {
    @BeforeAll
    static void windowSize() {
        chromium.resize(1500, 1000);
    }

    @Test
    void aWebhookAddedOnThePageShowsItsSecretAndItsDeliveryLog() throws Exception {
        try (Receiver receiver = new Receiver(500)) {
            openSignedIn("#/webhooks");
            waitUntil("the alert kinds", () -> chromium.driver().findElements(By.cssSelector("input[name=events]")).size() == 8);
            assertTrue(chromium.driver().findElement(By.cssSelector("nav a[data-nav=webhooks]")).getAttribute("class")
                    .contains("active"));

            WebElement url = chromium.driver().findElement(By.id("wh-url"));
            url.sendKeys("ftp://example.org/hook");
            chromium.driver().findElement(By.id("wh-add")).click();
            waitUntil("the refused URL marked", () -> url.getAttribute("class").contains("invalid"));
            assertTrue(chromium.driver().findElement(By.id("wh-result")).getText().contains("http or https"));

            url.clear();
            url.sendKeys(receiver.url());
            chromium.driver().findElement(By.cssSelector("input[name=events][value=memorised]")).click();
            chromium.driver().findElement(By.id("wh-add")).click();
            waitUntil("the secret shown", () -> !chromium.driver().findElements(By.id("wh-secret")).isEmpty());
            String secret = chromium.driver().findElement(By.id("wh-secret")).getText();
            assertTrue(secret.startsWith("whsec_"), secret);
            waitUntil("the webhook listed", () -> chromium.driver().findElement(By.id("wh-list")).getText()
                    .contains(receiver.url()));
            assertTrue(chromium.driver().findElement(By.id("wh-list")).getText().contains("memorised"));

            // The team may hold other tests' webhooks (the broker outlives a test class): act on this one's section.
            String ours = "section.webhook[data-id='" + chromium.js("return [...document.querySelectorAll('section.webhook')]"
                    + ".find((s) => s.textContent.includes(arguments[0])).dataset.id", receiver.url()) + "'] ";
            chromium.driver().findElement(By.cssSelector(ours + "button[data-action=test]")).click();
            waitUntil("both attempts in the log", () -> {
                chromium.driver().findElement(By.id("wh-refresh")).click();
                String log = chromium.driver().findElement(By.cssSelector(ours + "table.deliveries")).getText();
                return log.contains("HTTP 500") && log.contains("HTTP 200");
            });
            assertEquals(2, receiver.requests.size());
            assertTrue(Webhooks.verify(secret, Long.parseLong(receiver.requests.get(1).header(Webhooks.TIMESTAMP_HEADER)),
                    receiver.requests.get(1).body(), receiver.requests.get(1).header(Webhooks.SIGNATURE_HEADER)),
                    "signed with the secret the page showed");
            Thread.sleep(300);
            Path shot = chromium.screenshot("webhooks-page", 1500, 1000);
            assertTrue(Files.size(shot) > 10_000, "the screenshot was written");
            assertEquals(List.of(), chromium.scriptErrors(), "no script errors in the console");
        }
    }
}
