package dev.changepipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.cli.CrashWorkload.Delivery;
import dev.changepipe.fault.FaultPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-safety harness. The customer pipeline runs in child JVMs ({@code changepipe run --once}) over a seeded
 * workload with late, duplicate, deleted, dirty and re-delivered rows, and is killed again and again: halted at each
 * named fault point (after a file is staged, while its ledger entry is written, inside the SCD1 commit, between SCD1
 * and SCD2, inside the SCD2 commit) and sent SIGKILL at random moments, then restarted. After the last restart the
 * raw, current, history, rejects and ledger tables must equal, row for row, those of an uninterrupted run of the same
 * workload ("a crash at any point leaves the tables as if the interrupted step had not started").
 *
 * <p>{@code -Dchangepipe.crash.kills=N} sets how many kills the crashed run must survive (default 50; the workload
 * grows with it so that kills keep landing on work), {@code -Dchangepipe.crash.seed=S} the workload and the schedule.
 * SIGKILL timing depends on the machine, so a seed reproduces the fault-point halts exactly and the kills roughly;
 * every start, with its arming or kill delay and outcome, is written to {@code target/crash-schedule.txt}, and a
 * failure prints it and keeps the folders of both runs, child logs included.
 */
class CrashHarnessIT {
    private static final int KILLS = Integer.getInteger("changepipe.crash.kills", 50);
    private static final long SEED = Long.getLong("changepipe.crash.seed", 20260101L);
    private static final int ROWS_PER_FILE = 300;
    /** A child that has not exited after this long is stuck, not slow: a whole run takes about two seconds. */
    private static final Duration STUCK = Duration.ofSeconds(60);
    private static final String SIGKILL = "sigkill";
    private static final FaultPoint[] POINTS = FaultPoint.values();
    /** Every start with its arming or kill delay and outcome; kept after the test, next to the module's reports. */
    private static final Path SCHEDULE = Path.of("target", "crash-schedule.txt");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<PipelineChild> children = new ArrayList<>();
    private final List<String> schedule = new ArrayList<>();
    private int starts;

    @AfterEach
    void stopChildrenAndKeepTheSchedule() throws IOException {
        children.forEach(PipelineChild::close);
        Files.createDirectories(SCHEDULE.getParent());
        Files.write(SCHEDULE, schedule);
    }

    @Test
    void afterEveryKillAndRestartTheTablesEqualThoseOfAnUninterruptedRun() throws Exception {
        long began = System.nanoTime();
        Random random = new Random(SEED);
        // Files in the past, a second apart: ready at once (settle 0 ms) and loaded in the planned order.
        Instant firstLanding = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        // A group of one or two files absorbs one to three kills before the pipeline catches up and the next lands;
        // with four files per five kills, nearly every kill finds work pending (the summary counts those that do not).
        int files = Math.max(12, KILLS * 4 / 5 + 2);
        CrashWorkload workload = CrashWorkload.create(dir.resolve("workload"), SEED, files, ROWS_PER_FILE, firstLanding);
        List<Delivery> deliveries = workload.deliveries();
        Delivery redelivery = deliveries.get(deliveries.size() - 1);

        // The uninterrupted run: everything but the re-delivery at once, then the re-delivery.
        Path reference = pipeline("reference");
        for (Delivery delivery : deliveries.subList(0, deliveries.size() - 1)) {
            CrashWorkload.deliver(delivery, landing(reference));
        }
        runToCompletion(reference, "reference");
        CrashWorkload.deliver(redelivery, landing(reference));
        long redeliveryMillis = runToCompletion(reference, "reference re-delivery");
        Map<String, List<String>> expected = WarehouseTables.read(reference, WarehouseTables.COMPARED);
        assertNotVacuous(reference, expected, deliveries.size());

        // The crashed run: the same deliveries, a group at a time, while the pipeline is killed and restarted.
        Path crashed = pipeline("crashed");
        List<List<Delivery>> groups = workload.groups(random, 2);
        Map<String, Integer> killsByKind = new LinkedHashMap<>();
        Arrays.stream(POINTS).forEach(p -> killsByKind.put(p.label(), 0));
        killsByKind.put(SIGKILL, 0);
        Pending pending = new Pending();
        // How long the runs that finished took, lately, starting with the uninterrupted run of the re-delivery; the
        // SIGKILL delays are drawn against it. Halts are no measure: on Runtime.halt the JVM waits some 300 ms for the
        // threads in native code (DuckDB's) before it exits, touching no file meanwhile.
        Deque<Long> runMillis = new ArrayDeque<>(List.of(redeliveryMillis));
        int kills = 0;
        int killsWithNothingPending = 0;
        int finishedRuns = 0;
        int nextGroup = 0;
        while (kills < KILLS) {
            // Most starts end in a kill; a schedule that keeps missing would otherwise run for ever.
            assertThat(starts).as("starts for %d kills; schedule in %s", kills, SCHEDULE.toAbsolutePath())
                    .isLessThan(3 * KILLS + 20);
            if (nextGroup < groups.size() && mayDeliver(groups, nextGroup, pending, kills)) {
                deliverGroup(groups.get(nextGroup), crashed, nextGroup);
                pending.delivered(groups.get(nextGroup));
                nextGroup++;
            }
            boolean nothingPending = pending.none();
            FaultPoint point = null;
            int visit = 0;
            String kind;
            PipelineChild child;
            int status;
            if (random.nextBoolean()) {
                point = leastHalted(pending.reachable(), killsByKind, random);
                visit = 1 + random.nextInt(pending.visitsWorthArming(point));
                kind = point.label();
                child = start(crashed, kind + "@" + visit, kind + "@" + visit);
                status = child.exitStatus(STUCK);
            } else {
                long typical = runMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
                long delay = sigkillDelay(random, typical);
                kind = SIGKILL;
                child = start(crashed, SIGKILL + " after " + delay + " ms", null);
                status = child.exitsWithin(Duration.ofMillis(delay)) ? child.exitStatus(STUCK) : child.kill();
            }
            record("   -> exit status " + status + " after " + child.millis() + " ms");
            if (status == 0) {
                // The armed point was not reached that often, or the kill came after the run's end: no kill.
                finishedRuns++;
                pending.finished();
                remember(runMillis, child.millis());
                continue;
            }
            String failure = "seed " + SEED + ", start " + starts + " (" + kind + "; schedule in "
                    + SCHEDULE.toAbsolutePath() + "), log " + child.logFile() + ":\n" + child.log();
            if (point == null) {
                assertThat(status).as("exit status of a child sent SIGKILL; %s", failure)
                        .isEqualTo(PipelineChild.KILLED_STATUS);
            } else {
                assertThat(status).as("exit status of a child armed at %s@%d; %s", kind, visit, failure)
                        .isEqualTo(FaultPoint.HALT_STATUS);
                assertThat(child.log()).as("the halt came from the armed point; %s", failure)
                        .contains("halting at fault point " + kind + " (visit " + visit + ")");
                pending.halted(point, visit);
            }
            kills++;
            killsByKind.merge(kind, 1, Integer::sum);
            if (nothingPending) {
                killsWithNothingPending++;
            }
        }
        int groupsLandedDuringKills = nextGroup;
        // Whatever was not delivered yet lands now, the re-delivery after its original has been loaded.
        while (nextGroup < groups.size()) {
            runToCompletion(crashed, "catch-up");
            deliverGroup(groups.get(nextGroup), crashed, nextGroup);
            nextGroup++;
        }
        runToCompletion(crashed, "final");
        Map<String, List<String>> afterFinal = WarehouseTables.read(crashed, WarehouseTables.EVERYTHING);
        runToCompletion(crashed, "final again");
        Map<String, List<String>> afterSecond = WarehouseTables.read(crashed, WarehouseTables.EVERYTHING);
        Map<String, List<String>> actual = WarehouseTables.read(crashed, WarehouseTables.COMPARED);

        String seconds = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - began) / 1e9);
        System.out.println("crash harness: seed " + SEED + ", " + kills + " kills survived ("
                + killsByKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))
                + "; " + killsWithNothingPending + " with nothing pending), " + finishedRuns
                + " runs finished before their kill, " + starts + " child starts (restarts), " + deliveries.size()
                + " deliveries of " + files + " files x " + ROWS_PER_FILE + " rows in " + groups.size() + " groups ("
                + groupsLandedDuringKills + " landed during the kills), " + seconds + " s");

        String context = "seed " + SEED + "; schedule (also in " + SCHEDULE.toAbsolutePath() + "):\n"
                + String.join("\n", schedule);
        assertThat(WarehouseTables.differences(afterFinal, afterSecond, "after-final-run", "after-second-run",
                dir.resolve("second-run-diff"))).as("a second run with nothing to do changed the warehouse; %s", context)
                .isEmpty();
        assertThat(WarehouseTables.differences(expected, actual, "uninterrupted", "crashed", dir.resolve("diff")))
                .as("tables after %d kills differ from the uninterrupted run; %s", kills, context).isEmpty();
        assertThat(actual.get("customer_changes replayed"))
                .as("replaying the feed after crashes gives the current table").isEqualTo(actual.get("customer"));
        assertThat(kills).isGreaterThanOrEqualTo(KILLS);
        if (KILLS >= 30) {
            assertThat(killsByKind).as("every fault point halted the pipeline and SIGKILL killed it; %s", context)
                    .allSatisfy((kind, count) -> assertThat(count).as(kind).isPositive());
        }
    }

    /**
     * The next group lands once nothing is pending, so that kills find work, or once the kills reach its share of the
     * schedule, so that a long run of kills does not starve it. The re-delivery lands only when every file before it
     * is known to be loaded: landing before its original was loaded, it would be loaded as a new file, with another
     * last-modified time than in the uninterrupted run.
     */
    private static boolean mayDeliver(List<List<Delivery>> groups, int next, Pending pending, int kills) {
        boolean due = pending.none() || kills >= (long) next * KILLS / groups.size();
        return due && (next < groups.size() - 1 || pending.files == 0);
    }

    private static void remember(Deque<Long> runMillis, long millis) {
        runMillis.addLast(millis);
        if (runMillis.size() > 5) {
            runMillis.removeFirst();
        }
    }

    /** Of the points the pipeline can reach, one with the fewest halts so far (ties drawn at random). */
    private static FaultPoint leastHalted(List<FaultPoint> reachable, Map<String, Integer> killsByKind, Random random) {
        int fewest = reachable.stream().mapToInt(p -> killsByKind.get(p.label())).min().orElseThrow();
        List<FaultPoint> candidates = reachable.stream().filter(p -> killsByKind.get(p.label()) == fewest).toList();
        return candidates.get(random.nextInt(candidates.size()));
    }

    /**
     * Half the kills are drawn over the whole life of a run, start-up included (JVM, DuckDB open and WAL replay, about a
     * second); the other half over its last part, where the files are loaded and the tasks commit. {@code typical} is
     * how long runs that finished took lately; a later kill would find the child gone.
     */
    private static long sigkillDelay(Random random, long typical) {
        long from = random.nextBoolean() ? 50 : typical * 7 / 10;
        long to = Math.max(from + 1, typical * 23 / 20);
        return from + (long) (random.nextDouble() * (to - from));
    }

    private void deliverGroup(List<Delivery> group, Path pipeline, int index) throws IOException {
        for (Delivery delivery : group) {
            CrashWorkload.deliver(delivery, landing(pipeline));
        }
        record("deliver group " + index + ": " + group.stream().map(Delivery::describe)
                .collect(Collectors.joining(", ")));
    }

    /** A folder with the built-in customer pipeline's spec, taking files as soon as they are there. */
    private Path pipeline(String name) throws IOException {
        Path spec = DemoCommand.writeSpec(dir.resolve(name));
        String text = Files.readString(spec);
        assertThat(text).contains("settle: 200ms");
        Files.writeString(spec, text.replace("settle: 200ms", "settle: 0ms"));
        return spec;
    }

    private static Path landing(Path spec) {
        return spec.resolveSibling("landing");
    }

    /** An unarmed run that must finish its work and exit 0; returns how long it took. */
    private long runToCompletion(Path spec, String label) throws Exception {
        PipelineChild child = start(spec, label, null);
        int status = child.exitStatus(STUCK);
        record("   -> exit status " + status + " after " + child.millis() + " ms");
        assertThat(status).as("%s run; seed %d, log %s:%n%s", label, SEED, child.logFile(), child.log()).isZero();
        return child.millis();
    }

    private PipelineChild start(Path spec, String what, String faults) throws IOException {
        starts++;
        Path log = spec.resolveSibling("logs").resolve(String.format(Locale.ROOT, "%03d-%s.log", starts,
                what.replaceAll("[^A-Za-z0-9@-]+", "-")));
        record("start " + starts + " (" + spec.getParent().getFileName() + "): " + what);
        PipelineChild child = PipelineChild.start(spec, log, faults);
        children.add(child);
        return child;
    }

    private void record(String line) {
        schedule.add(line);
    }

    /** The comparison proves something only if the workload has every kind of change the issue names. */
    private static void assertNotVacuous(Path spec, Map<String, List<String>> tables, int deliveries) {
        assertThat(WarehouseTables.number(spec, """
                SELECT count(*) FROM customer_raw r WHERE EXISTS (
                    SELECT 1 FROM customer_raw e WHERE e.customer_id = r.customer_id
                    AND (e._file_id < r._file_id OR (e._file_id = r._file_id AND e._line < r._line))
                    AND e.update_timestamp > r.update_timestamp)""")).as("late rows").isPositive();
        assertThat(WarehouseTables.number(spec, """
                SELECT count(*) FROM (SELECT customer_id, update_timestamp FROM customer_raw
                    GROUP BY customer_id, update_timestamp HAVING count(DISTINCT _file_id) > 1)"""))
                .as("rows loaded twice from a duplicate file").isPositive();
        assertThat(WarehouseTables.number(spec, "SELECT count(*) FROM customer_raw WHERE op = 'D'")).as("deletes").isPositive();
        assertThat(WarehouseTables.number(spec, """
                SELECT count(DISTINCT customer_id) FROM customer_history
                WHERE customer_id NOT IN (SELECT customer_id FROM customer)""")).as("deleted keys with a history").isPositive();
        assertThat(WarehouseTables.number(spec, "SELECT count(*) FROM customer_raw_rejects")).as("rejects").isPositive();
        assertThat(WarehouseTables.number(spec, "SELECT count(*) FROM changepipe.files WHERE status = 'redelivered'"))
                .as("re-deliveries").isOne();
        assertThat(WarehouseTables.number(spec, "SELECT count(*) FROM changepipe.files WHERE status LIKE 'loaded%'"))
                .as("files loaded").isEqualTo(deliveries - 1);
        assertThat(WarehouseTables.number(spec, """
                SELECT count(*) FROM (SELECT customer_id FROM customer_history GROUP BY customer_id HAVING count(*) >= 3)"""))
                .as("keys with three or more versions").isGreaterThanOrEqualTo(10);
        assertThat(tables.get("customer_changes replayed")).as("replaying the feed gives the current table")
                .isEqualTo(tables.get("customer"));
        assertThat(tables.values()).allSatisfy(rows -> assertThat(rows).as("a compared table is empty").hasSizeGreaterThan(1));
    }

    /**
     * What the harness knows of the crashed pipeline's pending work, to arm only fault points that the next run can
     * reach. The counts are upper bounds: a SIGKILL may land after some progress, so it changes nothing here, while a
     * halt at a fault point tells how far the run got. {@code run --once} loads every file present in one
     * transaction (a batch holds up to a thousand files), then runs the current and the history task.
     */
    private static final class Pending {
        /** Files landed and maybe not in the ledger yet. */
        int files;
        /** Of those, the ones with new content, which are staged; a re-delivery is only recorded. */
        int toStage;
        /** Whether the current (SCD1) task may have input: every file recorded in the ledger gives it some. */
        boolean current;
        /** Whether the history (SCD2) task may have input. */
        boolean history;

        void delivered(List<Delivery> group) {
            files += group.size();
            toStage += (int) group.stream().filter(d -> !d.isRedelivery()).count();
            current = true;
            history = true;
        }

        void halted(FaultPoint point, int visit) {
            switch (point) {
                // The load transaction never committed: the run left nothing behind.
                case AFTER_STAGE, LEDGER_WRITTEN -> { }
                case CURRENT_BEFORE_COMMIT -> ingested();
                // The second visit is the idle pass after the one that did all the work.
                case BETWEEN_CURRENT_AND_HISTORY -> {
                    if (visit == 1) {
                        ingested();
                        current = false;
                    } else {
                        finished();
                    }
                }
                case HISTORY_BEFORE_COMMIT -> {
                    ingested();
                    current = false;
                }
            }
        }

        private void ingested() {
            files = 0;
            toStage = 0;
        }

        void finished() {
            ingested();
            current = false;
            history = false;
        }

        boolean none() {
            return files == 0 && !current && !history;
        }

        /** Between-current-and-history comes in every pass, even one with nothing to do. */
        List<FaultPoint> reachable() {
            List<FaultPoint> points = new ArrayList<>();
            if (toStage > 0) {
                points.add(FaultPoint.AFTER_STAGE);
            }
            if (files > 0) {
                points.add(FaultPoint.LEDGER_WRITTEN);
            }
            if (current) {
                points.add(FaultPoint.CURRENT_BEFORE_COMMIT);
            }
            points.add(FaultPoint.BETWEEN_CURRENT_AND_HISTORY);
            if (history) {
                points.add(FaultPoint.HISTORY_BEFORE_COMMIT);
            }
            return points;
        }

        /**
         * After-stage comes once per file staged (at most three are armed); ledger-written once per load
         * transaction, one per run here; the pass that does work is followed by an idle pass, a second visit of
         * between-current-and-history; the commit points come once per run, a task being retried only after an error.
         * A later visit is never reached and would only let the run finish.
         */
        int visitsWorthArming(FaultPoint point) {
            return switch (point) {
                case AFTER_STAGE -> Math.min(3, toStage);
                case BETWEEN_CURRENT_AND_HISTORY -> none() ? 1 : 2;
                case LEDGER_WRITTEN, CURRENT_BEFORE_COMMIT, HISTORY_BEFORE_COMMIT -> 1;
            };
        }
    }
}
