package dev.changepipe.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.cli.BuiltInSpec;
import dev.changepipe.conformance.TableDifferences;
import dev.changepipe.crash.CrashWorkload.Delivery;
import dev.changepipe.fault.FaultPoint;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LedgerEntry;
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
 * The crash-safety harness, run once per engine by a thin subclass. The customer pipeline runs in child JVMs
 * ({@code changepipe run --once}) over a seeded workload with late, duplicate, deleted, dirty and re-delivered rows,
 * and is killed again and again: halted at each named fault point the engine reaches ({@link FaultPoint}) and sent
 * SIGKILL at random moments, then restarted. After the last restart the raw, current, history and rejects tables, the
 * replayed change feed, the ledger and the offsets must equal, row for row, those of an uninterrupted run of the same
 * workload ("a crash at any point leaves the tables as if the interrupted step had not started"), and one more run
 * with nothing to do must change nothing at all.
 *
 * <p>{@code -Dchangepipe.crash.<engine>.kills=N} sets how many kills the crashed run must survive (the workload grows
 * with it so that kills keep landing on work), {@code -Dchangepipe.crash.seed=S} the workload and the schedule.
 * SIGKILL timing depends on the machine, so a seed reproduces the fault-point halts exactly and the kills roughly;
 * every start, with its arming or kill delay and outcome, is written to {@code target/crash-schedule-<engine>.txt},
 * and a failure prints it and keeps the folders of both runs, child logs included.
 *
 * <p>Whatever the number of kills, every point the engine reaches halts the pipeline at least once and SIGKILL kills
 * it at least {@link #sigkillsAtLeast()} times: once the kills left are as many as the halts and SIGKILLs still owed,
 * only owed ones are scheduled, the earliest reachable point first.
 */
abstract class CrashHarness {
    private static final long SEED = Long.getLong("changepipe.crash.seed", 20260101L);
    private static final int ROWS_PER_FILE = 300;
    private static final String SIGKILL = "sigkill";
    /** The built-in spec's history columns, which the workload gives an open end. */
    private static final String HISTORY_COLUMNS = "history_columns: {start: start_time, end: end_time, current: is_current}";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<PipelineChild> children = new ArrayList<>();
    private final List<String> schedule = new ArrayList<>();
    private final int killsWanted = Integer.getInteger("changepipe.crash." + engineType() + ".kills", defaultKills());
    private final List<FaultPoint> points = Arrays.stream(FaultPoint.values()).filter(p -> p.reachedOn(engineType()))
            .toList();
    /** Every start with its arming or kill delay and outcome; kept after the test, next to the module's reports. */
    private final Path scheduleFile = Path.of("target", "crash-schedule-" + engineType() + ".txt");
    private int starts;

    /** The engine's {@code engine.type}. */
    abstract String engineType();

    /** The spec's {@code engine:} block, a YAML flow mapping with the warehouse at {@code warehouse}. */
    abstract String engineBlock();

    /** The child JVM's options besides those {@link dev.changepipe.cli.JavaCommand} adds. */
    abstract List<String> childJvmOptions();

    /** Kills per run unless the property says otherwise. */
    abstract int defaultKills();

    /** The fewest generated files, whatever the number of kills. */
    abstract int fewestFiles();

    /** A child that has not exited after this long is stuck, not slow. */
    abstract Duration stuck();

    /** SIGKILLs owed per run whatever the number of kills (capped by it). */
    int sigkillsAtLeast() {
        return 2;
    }

    @AfterEach
    void stopChildrenAndKeepTheSchedule() throws IOException {
        children.forEach(PipelineChild::close);
        Files.createDirectories(scheduleFile.getParent());
        Files.write(scheduleFile, schedule);
    }

    @Test
    void afterEveryKillAndRestartTheTablesEqualThoseOfAnUninterruptedRun() throws Exception {
        long began = System.nanoTime();
        Random random = new Random(SEED);
        // Files in the past, a second apart: ready at once (settle 0 ms) and loaded in the planned order.
        Instant firstLanding = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        // A group of one or two files absorbs one to three kills before the pipeline catches up and the next lands;
        // with four files per five kills, nearly every kill finds work pending (the summary counts those that do not).
        int files = Math.max(fewestFiles(), killsWanted * 4 / 5 + 2);
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
        Map<String, List<String>> expected;
        try (WarehouseTables tables = WarehouseTables.open(reference)) {
            expected = tables.compared();
            assertNotVacuous(tables, expected, deliveries.size());
        }

        // The crashed run: the same deliveries, a group at a time, while the pipeline is killed and restarted.
        Path crashed = pipeline("crashed");
        List<List<Delivery>> groups = workload.groups(random, 2);
        Map<String, Integer> killsByKind = new LinkedHashMap<>();
        points.forEach(p -> killsByKind.put(p.label(), 0));
        killsByKind.put(SIGKILL, 0);
        Pending pending = new Pending(engineType());
        // How long the runs that finished took, lately, starting with the uninterrupted run of the re-delivery; the
        // SIGKILL delays are drawn against it. Halts are no measure: on Runtime.halt the JVM waits for the threads in
        // native code before it exits, touching no file meanwhile.
        Deque<Long> runMillis = new ArrayDeque<>(List.of(redeliveryMillis));
        int kills = 0;
        int killsWithNothingPending = 0;
        int finishedRuns = 0;
        int nextGroup = 0;
        while (kills < killsWanted) {
            // Most starts end in a kill; a schedule that keeps missing would otherwise run for ever.
            assertThat(starts).as("starts for %d kills; schedule in %s", kills, scheduleFile.toAbsolutePath())
                    .isLessThan(3 * killsWanted + 20);
            Owed owed = owed(killsByKind, killsWanted - kills);
            boolean owedPointReachable = owed.points.stream().anyMatch(pending.reachable()::contains);
            // A tight schedule cannot wait for the pending work to finish: a point it still owes may need new files.
            boolean tightAndStarved = owed.tight && !owedPointReachable && owed.sigkills == 0
                    && nextGroup < groups.size() - 1;
            if (nextGroup < groups.size() && (mayDeliver(groups, nextGroup, pending, kills) || tightAndStarved)) {
                deliverGroup(groups.get(nextGroup), crashed, nextGroup);
                pending.delivered(groups.get(nextGroup));
                nextGroup++;
                owedPointReachable = owed.points.stream().anyMatch(pending.reachable()::contains);
            }
            boolean nothingPending = pending.none();
            List<FaultPoint> reachable = pending.reachable();
            boolean armPoint;
            if (owed.tight) {
                armPoint = owedPointReachable && (owed.sigkills == 0 || random.nextInt(owed.points.size()
                        + owed.sigkills) >= owed.sigkills);
            } else {
                armPoint = !reachable.isEmpty() && random.nextBoolean();
            }
            FaultPoint point = null;
            int visit = 0;
            String kind;
            PipelineChild child;
            int status;
            if (armPoint) {
                point = owed.tight ? reachable.stream().filter(owed.points::contains).findFirst().orElseThrow()
                        : leastHalted(reachable, killsByKind, random);
                visit = 1 + random.nextInt(pending.visitsWorthArming(point));
                kind = point.label();
                child = start(crashed, kind + "@" + visit, kind + "@" + visit);
                status = child.exitStatus(stuck());
            } else {
                // With work pending a run takes as long as the longest lately; with none, as the shortest.
                long typical = nothingPending ? runMillis.stream().mapToLong(Long::longValue).min().orElseThrow()
                        : runMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
                long delay = sigkillDelay(random, typical, owed.tight);
                kind = SIGKILL;
                child = start(crashed, SIGKILL + " after " + delay + " ms", null);
                status = child.exitsWithin(Duration.ofMillis(delay)) ? child.exitStatus(stuck()) : child.kill();
            }
            record("   -> exit status " + status + " after " + child.millis() + " ms");
            if (status == 0) {
                // The armed point was not reached that often, or the kill came after the run's end: no kill.
                finishedRuns++;
                pending.finished();
                remember(runMillis, child.millis());
                continue;
            }
            String failure = engineType() + ", seed " + SEED + ", start " + starts + " (" + kind + "; schedule in "
                    + scheduleFile.toAbsolutePath() + "), log " + child.logFile() + ":\n" + child.log();
            if (point == null) {
                assertThat(status).as("exit status of a child sent SIGKILL; %s", failure)
                        .isEqualTo(PipelineChild.KILLED_STATUS);
            } else {
                assertThat(status).as("exit status of a child armed at %s@%d; %s", kind, visit, failure)
                        .isEqualTo(FaultPoint.HALT_STATUS);
                assertThat(child.log()).as("the halt came from the armed point; %s", failure)
                        .contains("halting at fault point " + kind + " (visit " + visit + ")");
                pending.halted(point);
            }
            kills++;
            killsByKind.merge(kind, 1, Integer::sum);
            if (nothingPending) {
                killsWithNothingPending++;
            }
        }
        int groupsLandedDuringKills = nextGroup;
        // Whatever was not delivered yet lands now (the order of landing is the order of loading whatever the runs),
        // the re-delivery once its original is loaded.
        while (nextGroup < groups.size() - 1) {
            deliverGroup(groups.get(nextGroup), crashed, nextGroup);
            nextGroup++;
        }
        if (nextGroup == groups.size() - 1) {
            runToCompletion(crashed, "catch-up");
            deliverGroup(groups.get(nextGroup), crashed, nextGroup);
            nextGroup++;
        }
        runToCompletion(crashed, "final");
        Map<String, List<String>> afterFinal;
        try (WarehouseTables tables = WarehouseTables.open(crashed)) {
            afterFinal = tables.everything();
        }
        runToCompletion(crashed, "final again");
        Map<String, List<String>> afterSecond;
        Map<String, List<String>> actual;
        try (WarehouseTables tables = WarehouseTables.open(crashed)) {
            afterSecond = tables.everything();
            actual = tables.compared();
        }

        String seconds = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - began) / 1e9);
        System.out.println("crash harness (" + engineType() + "): seed " + SEED + ", " + kills + " kills survived ("
                + killsByKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))
                + "; " + killsWithNothingPending + " with nothing pending), " + finishedRuns
                + " runs finished before their kill, " + starts + " child starts (restarts), " + deliveries.size()
                + " deliveries of " + files + " files x " + ROWS_PER_FILE + " rows in " + groups.size() + " groups ("
                + groupsLandedDuringKills + " landed during the kills), " + seconds + " s");

        String context = engineType() + ", seed " + SEED + "; schedule (also in " + scheduleFile.toAbsolutePath()
                + "):\n" + String.join("\n", schedule);
        assertThat(TableDifferences.of(afterFinal, afterSecond, "after-final-run", "after-second-run",
                dir.resolve("second-run-diff"))).as("a second run with nothing to do changed the warehouse; %s", context)
                .isEmpty();
        assertThat(TableDifferences.of(expected, actual, "uninterrupted", "crashed", dir.resolve("diff")))
                .as("tables after %d kills differ from the uninterrupted run; %s", kills, context).isEmpty();
        assertThat(actual.get("customer_changes replayed"))
                .as("replaying the feed after crashes gives the current table").isEqualTo(actual.get("customer"));
        assertThat(kills).isGreaterThanOrEqualTo(killsWanted);
        if (killsWanted >= points.size() + sigkillsAtLeast()) {
            assertThat(killsByKind).as("every fault point halted the pipeline and SIGKILL killed it; %s", context)
                    .allSatisfy((kind, count) -> assertThat(count).as(kind)
                            .isGreaterThanOrEqualTo(kind.equals(SIGKILL) ? sigkillsAtLeast() : 1));
        }
    }

    /** The halts and SIGKILLs the schedule still owes, and whether the kills left leave no room for others. */
    private record Owed(List<FaultPoint> points, int sigkills, boolean tight) {}

    private Owed owed(Map<String, Integer> killsByKind, int killsLeft) {
        List<FaultPoint> unhalted = points.stream().filter(p -> killsByKind.get(p.label()) == 0).toList();
        int sigkills = Math.max(0, sigkillsAtLeast() - killsByKind.get(SIGKILL));
        return new Owed(unhalted, sigkills, killsLeft <= unhalted.size() + sigkills);
    }

    /**
     * The next group lands once nothing is pending, so that kills find work, or once the kills reach its share of the
     * schedule, so that a long run of kills does not starve it. The re-delivery lands only when every file before it
     * is known to be loaded: landing before its original was loaded, it would be loaded as a new file, with another
     * last-modified time than in the uninterrupted run.
     */
    private boolean mayDeliver(List<List<Delivery>> groups, int next, Pending pending, int kills) {
        boolean due = pending.none() || kills >= (long) next * killsWanted / groups.size();
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
     * Half the kills are drawn over the whole life of a run, start-up included (JVM, opening the warehouse, recovery);
     * the other half over its last part, where the files are loaded and the tasks commit. {@code typical} is how long
     * runs that finished took lately; a later kill would find the child gone, which a tight schedule cannot afford, so
     * its kills all come before nine tenths of it.
     */
    private static long sigkillDelay(Random random, long typical, boolean tight) {
        long from = random.nextBoolean() ? 50 : typical * 7 / 10;
        long to = Math.max(from + 1, tight ? typical * 9 / 10 : typical * 23 / 20);
        return from + (long) (random.nextDouble() * (to - from));
    }

    private void deliverGroup(List<Delivery> group, Path pipeline, int index) throws IOException {
        for (Delivery delivery : group) {
            CrashWorkload.deliver(delivery, landing(pipeline));
        }
        record("deliver group " + index + ": " + group.stream().map(Delivery::describe)
                .collect(Collectors.joining(", ")));
    }

    /**
     * A folder with the built-in customer pipeline's spec on this engine, taking files as soon as they are there, and
     * with the options that change what a version is, so that a crash meets them too: partial updates of two columns
     * (rule 2.3), truncates (rule 2.4, the workload lands one), deletes as history rows (rule 5.7), an open end
     * (rule 5.6) and columns files add to the tables (rule 1.10, the workload lands one).
     */
    private Path pipeline(String name) throws IOException {
        Path spec = BuiltInSpec.write(dir.resolve(name), Duration.ZERO, engineBlock());
        String text = Files.readString(spec);
        if (!text.contains(HISTORY_COLUMNS)) {
            throw new IllegalStateException("the built-in spec no longer says '" + HISTORY_COLUMNS + "'");
        }
        Files.writeString(spec, text.replace(HISTORY_COLUMNS, HISTORY_COLUMNS.replace("}", ", open_end: \"9999-12-31 00:00:00\"}"))
                + "ignore_null_updates: [email, street]\napply_as_truncates: \"op = 'T'\"\nhistory_deletes: row\n"
                + "schema: {new_columns: add}\n");
        return spec;
    }

    private static Path landing(Path spec) {
        return spec.resolveSibling("landing");
    }

    /** An unarmed run that must finish its work and exit 0; returns how long it took. */
    private long runToCompletion(Path spec, String label) throws Exception {
        PipelineChild child = start(spec, label, null);
        int status = child.exitStatus(stuck());
        record("   -> exit status " + status + " after " + child.millis() + " ms");
        assertThat(status).as("%s run; %s, seed %d, log %s:%n%s", label, engineType(), SEED, child.logFile(),
                child.log()).isZero();
        return child.millis();
    }

    private PipelineChild start(Path spec, String what, String faults) throws IOException {
        starts++;
        Path log = spec.resolveSibling("logs").resolve(String.format(Locale.ROOT, "%03d-%s.log", starts,
                what.replaceAll("[^A-Za-z0-9@-]+", "-")));
        record("start " + starts + " (" + spec.getParent().getFileName() + "): " + what);
        PipelineChild child = PipelineChild.start(spec, log, childJvmOptions(), faults);
        children.add(child);
        return child;
    }

    private void record(String line) {
        schedule.add(line);
    }

    /** The comparison proves something only if the workload has every kind of change the issue names. */
    private static void assertNotVacuous(WarehouseTables tables, Map<String, List<String>> read, int deliveries) {
        assertThat(tables.number("""
                SELECT count(*) FROM customer_raw r WHERE EXISTS (
                    SELECT 1 FROM customer_raw e WHERE e.customer_id = r.customer_id
                    AND (e._file_id < r._file_id OR (e._file_id = r._file_id AND e._line < r._line))
                    AND e.update_timestamp > r.update_timestamp)""")).as("late rows").isPositive();
        assertThat(tables.number("""
                SELECT count(*) FROM (SELECT customer_id, update_timestamp FROM customer_raw
                    GROUP BY customer_id, update_timestamp HAVING count(DISTINCT _file_id) > 1) AS twice"""))
                .as("rows loaded twice from a duplicate file").isPositive();
        assertThat(tables.number("SELECT count(*) FROM customer_raw WHERE op = 'D'")).as("deletes").isPositive();
        assertThat(tables.number("""
                SELECT count(DISTINCT customer_id) FROM customer_history
                WHERE customer_id NOT IN (SELECT customer_id FROM customer)""")).as("deleted keys with a history")
                .isPositive();
        assertThat(tables.number("SELECT count(*) FROM customer_raw_rejects")).as("rejects").isPositive();
        assertThat(tables.number("SELECT count(*) FROM customer_raw WHERE loyalty_tier IS NOT NULL"))
                .as("values of a column a file added (rule 1.10)").isPositive();
        List<LedgerEntry> ledger = tables.ledger();
        assertThat(ledger).filteredOn(e -> e.status() == FileStatus.REDELIVERED).as("re-deliveries").hasSize(1);
        assertThat(ledger).filteredOn(e -> e.status() == FileStatus.LOADED || e.status() == FileStatus.LOADED_WITH_REJECTS)
                .as("files loaded").hasSize(deliveries - 1);
        assertThat(tables.number("""
                SELECT count(*) FROM (SELECT customer_id FROM customer_history GROUP BY customer_id
                    HAVING count(*) >= 3) AS versioned""")).as("keys with three or more versions")
                .isGreaterThanOrEqualTo(10);
        assertThat(read.get("customer_changes replayed")).as("replaying the feed gives the current table")
                .isEqualTo(read.get("customer"));
        assertThat(read.values()).allSatisfy(rows -> assertThat(rows).as("a compared table is empty")
                .hasSizeGreaterThan(1));
    }

    /**
     * What the harness knows of the crashed pipeline's pending work, to arm only fault points that the next run can
     * reach. The counts are upper bounds: a SIGKILL may land after some progress, so it changes nothing here, while a
     * halt at a fault point tells how far the run got. {@code run --once} loads every file present as one load (a
     * batch holds up to a thousand files), then runs the current and the history task, each skipped when the ledger
     * holds no file after its offset; every point but after-stage is therefore reached at most once per run.
     */
    static final class Pending {
        private final String engineType;
        /** Files landed and maybe not in the ledger yet: the next load records them and commits. */
        int files;
        /** Of those, the ones with new content, which are staged; a re-delivery is only recorded. */
        int toStage;
        /** Whether the current (SCD1) task may have input: every file recorded in the ledger gives it some. */
        boolean current;
        /** Whether the history (SCD2) task may have input. */
        boolean history;

        Pending(String engineType) {
            this.engineType = engineType;
        }

        void delivered(List<Delivery> group) {
            files += group.size();
            toStage += (int) group.stream().filter(d -> !d.isRedelivery()).count();
            current = true;
            history = true;
        }

        void halted(FaultPoint point) {
            switch (point) {
                // The load never reached its commit point: the run left nothing that counts (on Spark, the raw rows
                // and rejects it appended are removed by the next start).
                case AFTER_STAGE, RAW_APPENDED, LOAD_BEFORE_COMMIT -> { }
                case LOAD_COMMITTED, CURRENT_BEFORE_COMMIT -> ingested();
                case CURRENT_COMMITTED, HISTORY_BEFORE_COMMIT -> {
                    ingested();
                    current = false;
                }
                case HISTORY_COMMITTED -> finished();
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

        /**
         * In pipeline order. After-stage comes per file staged; raw-appended (Spark) and the load's points once per
         * load that records files, a re-delivery too (its ledger entry is the load's); the task's points once per
         * task with input.
         */
        List<FaultPoint> reachable() {
            List<FaultPoint> points = new ArrayList<>();
            if (toStage > 0) {
                points.add(FaultPoint.AFTER_STAGE);
            }
            if (files > 0) {
                if (FaultPoint.RAW_APPENDED.reachedOn(engineType)) {
                    points.add(FaultPoint.RAW_APPENDED);
                }
                points.add(FaultPoint.LOAD_BEFORE_COMMIT);
                points.add(FaultPoint.LOAD_COMMITTED);
            }
            if (current) {
                points.add(FaultPoint.CURRENT_BEFORE_COMMIT);
                points.add(FaultPoint.CURRENT_COMMITTED);
            }
            if (history) {
                points.add(FaultPoint.HISTORY_BEFORE_COMMIT);
                points.add(FaultPoint.HISTORY_COMMITTED);
            }
            return points;
        }

        /**
         * After-stage comes once per file staged (at most three are armed); every other point once per run. A later
         * visit is never reached and would only let the run finish.
         */
        int visitsWorthArming(FaultPoint point) {
            return point == FaultPoint.AFTER_STAGE ? Math.min(3, toStage) : 1;
        }
    }
}
