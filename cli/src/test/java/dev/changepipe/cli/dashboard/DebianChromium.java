package dev.changepipe.cli.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven through Debian's chromedriver. Both paths are given to Selenium, so Selenium Manager never
 * looks for (or downloads) a browser or a driver. Where they are not installed the calling test is skipped, with the
 * reason; .ci/run installs them.
 */
final class DebianChromium implements AutoCloseable {
    /** Debian's paths; the properties exist so that the skip can be seen without uninstalling anything. */
    static final Path BROWSER = Path.of(System.getProperty("changepipe.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("changepipe.chromedriver", "/usr/bin/chromedriver"));

    final WebDriver driver;

    private DebianChromium(WebDriver driver) {
        this.driver = driver;
    }

    /** Starts the browser with a fresh profile in {@code profile}; skips the test when Chromium is not installed. */
    static DebianChromium start(Path profile) throws IOException {
        assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
                "Debian's chromium and chromium-driver are not installed (" + BROWSER + ", " + DRIVER
                        + "): apt-get install -y chromium chromium-driver");
        Files.createDirectories(profile);
        Path log = Path.of("target", "chromedriver.log").toAbsolutePath();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(log.toString()))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,1000", "--lang=en-GB");
        return new DebianChromium(new ChromeDriver(service, options));
    }

    /** Waits for {@code condition}, which the page's own events must make true: nothing here reloads it. */
    static void until(String what, Duration limit, Supplier<Boolean> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                // An element not there yet, or replaced while read: the page is still drawing.
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what, last);
    }

    void screenshot(Path png) throws IOException {
        Files.createDirectories(png.getParent());
        Files.write(png, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
