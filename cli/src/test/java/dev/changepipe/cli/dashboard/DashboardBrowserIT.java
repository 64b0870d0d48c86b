package dev.changepipe.cli.dashboard;

import static dev.changepipe.cli.dashboard.DebianChromium.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.cli.BuiltInSpec;
import dev.changepipe.cli.QueryEndpoint;
import dev.changepipe.engine.Engine;
import dev.changepipe.engine.Engines;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium, on a running DuckDB pipeline: every page draws live data, a file opens
 * into its rejects, a key's timeline shows its versions, a counter moves when a file lands (without a reload), and a
 * browser without the login link's cookie sees nothing.
 */
class DashboardBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void everyPageShowsTheRunningPipelineLive() throws Exception {
        PipelineSpec spec = SpecLoader.load(BuiltInSpec.write(dir.resolve("pipeline"), Duration.ofMillis(50)));
        CustomerFiles.write(spec.landing());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Engine engine = Engines.open(spec)) {
            engine.prepare();
            try (LivePipeline live = LivePipeline.start(spec, engine, Clock.systemUTC());
                    QueryEndpoint endpoint = QueryEndpoint.start(spec.engine().path(), engine, spec, live);
                    LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), spec.schedule().settle(),
                            Clock.systemUTC());
                    DebianChromium chromium = DebianChromium.start(dir.resolve("profile"))) {
                PipelineRunner runner = new PipelineRunner(spec, engine, landing, Clock.systemUTC(), live);
                Thread pipeline = new Thread(() -> {
                    try {
                        runner.runContinuously(stop::get);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "pipeline");
                pipeline.start();
                try {
                    until("the fixed files in history", WAIT, () -> live.backlog(dev.changepipe.engine.PipelineTask.HISTORY) == 0
                            && live.summary().lastFileId() == 3);
                    checkPages(chromium.driver, endpoint, spec);
                } finally {
                    stop.set(true);
                    pipeline.join();
                }
                assertThat(failure.get()).isNull();
            }
        }
    }

    private void checkPages(WebDriver driver, QueryEndpoint endpoint, PipelineSpec spec) throws Exception {
        String base = "http://127.0.0.1:" + endpoint.port();
        // Without the cookie: no page, no script, no data.
        driver.get(base + "/");
        String anonymous = driver.findElement(By.tagName("body")).getText();
        assertThat(anonymous).contains("log in").doesNotContain("customer").doesNotContain("Pipeline");
        assertThat(driver.findElements(By.id("stat-files"))).isEmpty();
        driver.get(base + "/api/snapshot");
        assertThat(driver.findElement(By.tagName("body")).getText()).doesNotContain("lastFileId");

        driver.get(endpoint.dashboardLink());
        assertThat(driver.getCurrentUrl()).as("the token leaves the address bar").isEqualTo(base + "/");
        until("the live stream", WAIT, () -> text(driver, "live").equals("live"));

        // The pipeline graph, with the rows of every table.
        until("the file count", WAIT, () -> text(driver, "stat-files").equals("3"));
        assertThat(text(driver, "stat-raw")).isEqualTo("5");
        assertThat(text(driver, "stat-rejects")).isEqualTo("1");
        assertThat(text(driver, "node-raw-rows")).isEqualTo("5 rows");
        assertThat(text(driver, "node-rejects-rows")).isEqualTo("1 rows");
        until("the current table's size", WAIT, () -> text(driver, "node-current-rows").equals("4 rows"));
        assertThat(driver.findElement(By.cssSelector("[data-node=history]")).getText()).contains("customer_history");

        // A file lands, with a column the spec lacks: the counters move with no reload (the marker set on this document
        // survives).
        ((JavascriptExecutor) driver).executeScript("window.sameDocument = 'yes';");
        Files.writeString(spec.landing().resolve("customer_20260101000300.csv"), CustomerFiles.HEADER.strip()
                + ",loyalty_tier\n"
                + "5,Barbara,Liskov,barbara@example.com,5 Main St,Boston,MA,USA,2026-01-01 00:03:00,I,gold\n"
                + "6,Donald,Knuth,don@example.com,6 Main St,Stanford,CA,USA,2026-01-01 00:03:00,I,\n");
        until("the new file's count", WAIT, () -> text(driver, "stat-files").equals("4"));
        until("the new file's rows", WAIT, () -> text(driver, "node-raw-rows").equals("7 rows"));
        assertThat(((JavascriptExecutor) driver).executeScript("return window.sameDocument;")).isEqualTo("yes");

        // Files over time; the file with a reject opens into it.
        open(driver, "files");
        until("the files chart and table", WAIT, () -> driver.findElements(By.cssSelector("#files-chart .file-bar")).size() == 4
                && driver.findElements(By.cssSelector("#files-table tr.file-row")).size() == 4);
        assertThat(driver.findElement(By.id("files-table")).getText()).contains("refused").contains("loaded_with_rejects")
                .contains("new loyalty_tier");
        driver.findElement(By.cssSelector("#files-table tr.file-row[data-file-id='2']")).click();
        until("the file's rejects", WAIT, () -> driver.findElements(By.cssSelector("#rejects-table tr.reject-row")).size() == 1);
        WebElement reject = driver.findElement(By.cssSelector("#rejects-table tr.reject-row"));
        List<WebElement> cells = reject.findElements(By.tagName("td"));
        assertThat(cells.get(0).getText()).isEqualTo(String.valueOf(CustomerFiles.REJECTED_LINE));
        assertThat(cells.get(1).getText()).isEqualTo("customer_id");
        assertThat(cells.get(2).getText()).isNotBlank();
        assertThat(cells.get(3).getText()).startsWith("x,Bad,Row");
        assertThat(text(driver, "file-detail-title")).contains(CustomerFiles.WITH_REJECT);

        // Task runs as a timeline: every task has bars, and the table lists the runs.
        open(driver, "tasks");
        for (String task : List.of("ingest", "current", "history")) {
            until(task + "'s bars", WAIT,
                    () -> !driver.findElements(By.cssSelector("#tasks-timeline .task-bar[data-task='" + task + "']")).isEmpty());
        }
        assertThat(driver.findElements(By.cssSelector("#tasks-table tr.task-row")).size()).isGreaterThanOrEqualTo(6);

        // Landing → history latency: one point per file with rows.
        open(driver, "latency");
        until("three latency points", WAIT, () -> driver.findElements(By.cssSelector("#latency-chart .latency-point")).size() == 3);
        assertThat(text(driver, "latency-count")).isEqualTo("3");
        assertThat(text(driver, "latency-p50")).matches("[0-9.]+ m?s");

        // A key's history: customer 1 has two versions; the second moved house.
        open(driver, "history");
        WebElement key = driver.findElement(By.cssSelector("#history-inputs input"));
        key.sendKeys("1");
        driver.findElement(By.cssSelector("#history-form button")).click();
        until("customer 1's versions", WAIT, () -> driver.findElements(By.cssSelector("#versions .version")).size() == 2);
        List<WebElement> versions = driver.findElements(By.cssSelector("#versions .version"));
        assertThat(versions.get(0).getText()).contains("first version");
        assertThat(versions.get(1).getText()).contains("street").contains("1 Main St").contains("9 Elm St").contains("current");

        // The customer pipeline's analysis page.
        open(driver, "analysis");
        until("customers by place", WAIT, () -> driver.findElements(By.cssSelector("#analysis-places .place-bar")).size() >= 3);
        assertThat(driver.findElement(By.id("analysis-places")).getText()).contains("TX, USA").contains("MA, USA");
        assertThat(driver.findElements(By.cssSelector("#analysis-minutes .minute-bar"))).isNotEmpty();
    }

    private static void open(WebDriver driver, String page) {
        driver.findElement(By.cssSelector("#nav a[data-page='" + page + "']")).click();
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }
}
