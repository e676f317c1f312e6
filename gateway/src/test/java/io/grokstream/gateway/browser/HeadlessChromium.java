package io.grokstream.gateway.browser;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over WebDriver by Debian's {@code chromedriver}.
 * Both binaries are named explicitly so Selenium Manager never runs (it would try to download a driver), and
 * Chromium starts with background networking, component updates and sync off: the test never leaves the machine.
 * {@code .ci/run} installs both packages; locally: {@code apt-get install chromium chromium-driver}.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("grokstream.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("grokstream.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** How long a test waits for the page (or the gateway behind it) before it fails. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Held in a field: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    private final ChromeDriver driver;

    HeadlessChromium(int width, int height) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install -y --no-install-recommends chromium chromium-driver (.ci/run does)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=" + width + "," + height);
        // Selenium 4.39 ships no CDP bindings for Chromium 150 and says so at WARNING; WebDriver needs none.
        SELENIUM_LOG.setLevel(Level.SEVERE);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    ChromeDriver driver() {
        return driver;
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Resizes the window to {@code width x height}. */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Resizes the window to {@code width x height}, saves a PNG of it under target/screenshots, returns the path. */
    Path screenshot(String name, int width, int height) throws IOException {
        resize(width, height);
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file.toAbsolutePath();
    }

    /** Console errors other than failed resource loads (an expected 404 is not a script error). */
    List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }

    /**
     * Waits, {@link #PATIENCE} at most, until {@code condition} holds; a check that throws counts
     * as not yet (the page may still be drawing). {@code what} names the wait when it times out.
     */
    void waitUntil(String what, java.util.function.BooleanSupplier condition) {
        new org.openqa.selenium.support.ui.WebDriverWait(driver, PATIENCE).withMessage(what)
                .until(d -> {
                    try {
                        return condition.getAsBoolean();
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
    }

    @Override
    public void close() {
        driver.quit();
    }
}
