package dev.changepipe.cli.dashboard;

import static dev.changepipe.cli.dashboard.DebianChromium.until;

import dev.changepipe.cli.Changepipe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import picocli.CommandLine;

/**
 * Not a test: takes the screenshots of docs/dashboard.md from a running {@code changepipe demo}, with the headless
 * Chromium of the browser tests. Runs only when asked:
 * {@code ./mvnw -B -pl cli -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DashboardScreenshotsIT
 * -Dchangepipe.screenshots=$PWD/docs/dashboard}.
 */
@EnabledIfSystemProperty(named = "changepipe.screenshots", matches = ".+")
class DashboardScreenshotsIT {
    private static final Pattern LINK = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/login\\?code=[0-9a-f]+)");

    @TempDir
    Path dir;

    @Test
    void screenshotsOfTheDemo() throws Exception {
        Path out = Path.of(System.getProperty("changepipe.screenshots"));
        StringWriter printed = new StringWriter();
        CommandLine cli = Changepipe.commandLine();
        cli.setOut(new PrintWriter(printed, true));
        cli.setErr(new PrintWriter(printed, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread demo = new Thread(() -> exit.set(cli.execute("demo", "--dir", dir.resolve("demo").toString(), "--seconds", "40")),
                "demo");
        demo.start();
        try (DebianChromium chromium = DebianChromium.start(dir.resolve("profile"))) {
            WebDriver driver = chromium.driver;
            until("the demo's dashboard link", Duration.ofSeconds(60), () -> LINK.matcher(printed.toString()).find());
            Matcher link = LINK.matcher(printed.toString());
            link.find();
            driver.get(link.group(1));
            // Let a good part of the demo land, so that the charts have something to show.
            Thread.sleep(25_000);
            chromium.screenshot(out.resolve("pipeline.png"));
            click(driver, "files");
            until("the files", Duration.ofSeconds(10), () -> !driver.findElements(By.cssSelector("tr.file-row")).isEmpty());
            // Files keep landing: a row may be replaced between finding and clicking it, so try again until one opens.
            until("a file's rejects", Duration.ofSeconds(10), () -> {
                driver.findElement(By.xpath("//tr[contains(@class,'file-row')][.//span[text()='loaded_with_rejects']]")).click();
                return !driver.findElements(By.cssSelector("tr.reject-row")).isEmpty();
            });
            chromium.screenshot(out.resolve("files.png"));
            click(driver, "tasks");
            Thread.sleep(500);
            chromium.screenshot(out.resolve("tasks.png"));
            click(driver, "latency");
            Thread.sleep(500);
            chromium.screenshot(out.resolve("latency.png"));
            click(driver, "history");
            for (int key = 1; key < 200; key++) {
                var input = driver.findElement(By.cssSelector("#history-inputs input"));
                input.clear();
                input.sendKeys(String.valueOf(key));
                driver.findElement(By.cssSelector("#history-form button")).click();
                Thread.sleep(150);
                if (driver.findElements(By.cssSelector("#versions .version")).size() >= 3) {
                    break;
                }
            }
            chromium.screenshot(out.resolve("history.png"));
            click(driver, "analysis");
            until("the analysis", Duration.ofSeconds(10), () -> !driver.findElements(By.cssSelector(".place-bar")).isEmpty());
            chromium.screenshot(out.resolve("analysis.png"));
        }
        demo.join();
        if (exit.get() != 0) {
            throw new AssertionError("the demo failed: " + printed);
        }
    }

    private static void click(WebDriver driver, String page) {
        driver.findElement(By.cssSelector("#nav a[data-page='" + page + "']")).click();
    }
}
