package io.grokstream.gateway.browser;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.net.URL;
import java.util.function.BooleanSupplier;

/**
 * What every dashboard test in a real headless Chromium shares: one browser per test class (started before its first
 * test, closed after its last), the gateway under test, the development team's key, and a page opened as that team.
 */
abstract class BrowserTest {
    /** The development team {@code demo}'s key (the gateway's test profile). */
    static final String KEY = "demo-key";

    static HeadlessChromium chromium;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() {
        chromium = new HeadlessChromium(1500, 1200);
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /**
     * Opens the dashboard's {@code route} (e.g. {@code #/webhooks}) signed in with {@link #KEY}: the key is stored as
     * the dashboard's key form stores it, then the page is reloaded so it starts with the key.
     */
    void openSignedIn(String route) {
        chromium.driver().get(root + "#/");
        chromium.js("localStorage.setItem('grokstream.key', arguments[0])", KEY);
        chromium.driver().get(root + route);
        chromium.driver().navigate().refresh();
    }

    /** {@link HeadlessChromium#waitUntil}. */
    static void waitUntil(String what, BooleanSupplier condition) {
        chromium.waitUntil(what, condition);
    }
}
