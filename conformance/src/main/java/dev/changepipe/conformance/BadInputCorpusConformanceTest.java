package dev.changepipe.conformance;

import static dev.changepipe.conformance.ExpectedLoad.loaded;
import static dev.changepipe.conformance.ExpectedLoad.refused;
import static dev.changepipe.conformance.ExpectedLoad.withRejects;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.changepipe.engine.StatusView;
import dev.changepipe.engine.TaskRun;
import dev.changepipe.landing.LandingFolder;
import dev.changepipe.ledger.FileOutcome;
import dev.changepipe.ledger.FileStatus;
import dev.changepipe.ledger.LandedFile;
import dev.changepipe.ledger.LedgerEntry;
import dev.changepipe.ledger.LedgerQuery;
import dev.changepipe.schedule.Cycle;
import dev.changepipe.schedule.PipelineListener;
import dev.changepipe.schedule.PipelineRunner;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus: files as they really land — empty, broken, oddly written, huge, many,
 * linked, still being written, gone or replaced — and what rule 1 of docs/semantics.md makes of
 * each: the file's ledger status and first error, its rejected rows (line, column, reason), its rows
 * in the raw table, and that the pipeline goes on: in every case a good file landed after the bad one
 * loads too — found in the same scan wherever the case allows, so loaded in the same batch.
 *
 * <p>Cases that are bytes on disk live in {@code corpus/<case>/people_1.csv} among this module's
 * resources ({@code corpus/.gitattributes} keeps their line endings) and run as one parameterized
 * test, {@link #filesOnDisk()}, all landed in one pipeline. Cases that must be made at run time — invalid UTF-8, gzip, a 5 MB
 * field, thousands of files, links, files being written, deleted or replaced — are tests of their own.
 *
 * <p>The ledger is read through every engine's typed ledger read ({@link LoadHistory});
 * {@link #manyTinyFilesLandedAtOnceAllLoad()} also reads it as the status shows it.
 */
public abstract class BadInputCorpusConformanceTest extends ConformanceSuite {
    /** How many files {@link #manyTinyFilesLandedAtOnceAllLoad()} lands; lower it with {@code -Dchangepipe.corpus.manyFiles=N}. */
    static final int MANY_FILES = Integer.getInteger("changepipe.corpus.manyFiles", 10_000);

    /** The file of every case on disk, and the name most other cases land under. */
    static final String CORPUS_FILE = "people_1.csv";
    /** The good file landed after the bad one in every case, and its one key. */
    static final String NEXT_FILE = "people_next.csv";
    static final long NEXT_ID = 1_000_000;

    /** {@link People#SPEC} with a timestamp and a timestamptz column, for values that are not times. */
    static final String SPEC_WITH_TIMES = """
            name: people
            columns: {id: bigint, name: varchar, city: varchar, op: varchar, seq: bigint, seen: timestamp, seen_tz: timestamptz}
            keys: [id]
            sequence_by: seq
            delete_when: "op = 'D'"
            except_columns: [op, seq]
            """;

    /** {@link People#SPEC} with a quality check that drops rows and one that refuses files (rule 1.7). */
    static final String SPEC_WITH_CHECKS = People.SPEC + """
            checks:
              - {name: city_known, must: "city <> 'Nowhere'", on_fail: drop}
              - {name: no_test_rows, must: "name <> 'TEST'", on_fail: refuse}
            """;

    /** {@link People#SPEC} taking gzip-compressed files too: the pattern matches people_1.csv and people_1.csv.gz. */
    static final String SPEC_WITH_GZIP = People.SPEC + "pattern: \"people_*.csv*\"\n";

    /**
     * The modification time of the next file {@link #land} lands: a second later each time, and in the
     * past (a day holds more seconds than {@link #MANY_FILES} lands files), so that files are settled.
     */
    private Instant nextModified = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    // ---------------------------------------------------------------------------------------------
    // Files on disk: corpus/<case>/people_1.csv

    /** A case on disk: {@code corpus/<folder>/people_1.csv}, landed under {@code spec}. */
    record CorpusCase(String folder, String spec, ExpectedLoad expected) {
        byte[] bytes() {
            String resource = "/corpus/" + folder + "/" + CORPUS_FILE;
            try (InputStream in = BadInputCorpusConformanceTest.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("no corpus file " + resource + " on the class path");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The name it lands under: people_{folder}.csv. */
        String landedName() {
            return "people_" + folder + ".csv";
        }

        @Override
        public String toString() {
            return folder;
        }
    }

    private static CorpusCase onDisk(String folder, ExpectedLoad expected) {
        return new CorpusCase(folder, People.SPEC, expected);
    }

    static Stream<CorpusCase> filesOnDisk() {
        return Stream.of(
                // Nothing to read: refused (rule 1.5).
                onDisk("zero-byte-file", refused("empty")),
                onDisk("blank-lines-only", refused("no header row")),
                onDisk("byte-order-mark-only", refused("no header row")),
                // A header and no rows is a file with no changes, not an error.
                onDisk("header-only", loaded("id")),

                // The header (rules 1.5 and 1.8): a spec column missing or any column named twice refuses the file;
                // any order, any case and spaces around names do not; an extra column's values are rescued, per row,
                // into the raw table's _rescued as JSON, and an unnamed one's (a trailing delimiter) under its position.
                onDisk("missing-spec-column", refused("'city'", "id, name, op, seq")),
                onDisk("wrong-delimiter", refused("'id'", "'seq'", "id;name;city;op;seq")),
                onDisk("duplicate-header-names", refused("'city'", "twice")),
                onDisk("duplicate-header-names-in-other-case", refused("'id'", "twice")),
                onDisk("malformed-header", refused("header", "quote")),
                onDisk("extra-column", loaded("""
                        id | name | city | _line | _rescued
                        1  | Ann  | Oslo | 2     | {"note":"first"}
                        2  | Bob  | Rome | 3     | {"note":"second"}
                        """)),
                onDisk("duplicate-extra-column", refused("'note'", "twice")),
                onDisk("reordered-columns", loaded("""
                        id | name | city | _line
                        1  | Ann  | Oslo | 2
                        2  | Bob  | Rome | 3
                        """)),
                onDisk("header-in-other-case-with-spaces", loaded("""
                        id | name | city | _line
                        1  | Ann  | Oslo | 2
                        """)),

                // How lines end and what precedes the header does not matter.
                onDisk("crlf-line-endings", loaded("""
                        id | name | city | _line
                        1  | Ann  | Oslo | 2
                        2  | Bob  | Rome | 3
                        """)),
                onDisk("cr-line-endings", loaded("""
                        id | name | city | _line
                        1  | Ann  | Oslo | 2
                        2  | Bob  | Rome | 3
                        """)),
                onDisk("utf8-byte-order-mark", loaded("""
                        id | name  | city     | _line
                        1  | Ann   | Oslo     | 2
                        2  | Børge | Tønsberg | 3
                        """)),
                onDisk("blank-lines-between-rows", loaded("""
                        id | name | city | _line
                        1  | Ann  | Oslo | 2
                        2  | Bob  | Rome | 5
                        """)),
                onDisk("no-final-line-break", loaded("""
                        id | name | city | _line
                        1  | Ann  | Oslo | 2
                        2  | Bob  | Rome | 3
                        """)),

                // Quoting: a quoted line break is part of the field (the next record starts two lines
                // on); an unterminated quote takes the rest of the file into one bad record; text after
                // a closing quote spoils that record only.
                onDisk("quoted-field-with-newline", loaded("""
                        id | city | _line
                        1  | Oslo | 2
                        2  | Rome | 4
                        """)),
                onDisk("unterminated-quote", withRejects("""
                        id | name | _line
                        1  | Ann  | 2
                        """, """
                        _line | column_name | reason
                        3     | null        | fields
                        """)),
                onDisk("text-after-closing-quote", withRejects("""
                        id | name | _line
                        1  | Ann  | 2
                        3  | Cy   | 4
                        """, """
                        _line | column_name | reason
                        3     | null        | malformed
                        """)),

                // Field counts (rule 1.4): a row with a field too many or too few is rejected; a trailing
                // delimiter on the header as well gives every line the same count, an empty extra column.
                onDisk("trailing-delimiter", withRejects("id", """
                        _line | column_name | reason
                        2     | null        | found 6
                        3     | null        | found 6
                        """)),
                onDisk("trailing-delimiter-on-every-line", loaded("""
                        id | name | city | _line | _rescued
                        1  | Ann  | Oslo | 2     | null
                        2  | Bob  | Rome | 3     | null
                        """)),
                onDisk("missing-field", withRejects("""
                        id | _line
                        1  | 2
                        3  | 4
                        """, """
                        _line | column_name | reason
                        3     | null        | found 4
                        """)),

                // Values (rules 1.4 and 1.6): NULL keys and sequence values, values not of their type.
                onDisk("null-key", withRejects("""
                        id | _line
                        1  | 2
                        3  | 4
                        """, """
                        _line | column_name | reason
                        3     | id          | NULL
                        """)),
                onDisk("quoted-empty-key", withRejects("""
                        id | _line
                        1  | 2
                        """, """
                        _line | column_name | reason
                        3     | id          | NULL
                        """)),
                onDisk("null-sequence", withRejects("""
                        id | _line
                        1  | 2
                        """, """
                        _line | column_name | reason
                        3     | seq         | NULL
                        """)),
                onDisk("non-numeric-key", withRejects("""
                        id | _line
                        1  | 2
                        3  | 4
                        """, """
                        _line | column_name | reason
                        3     | id          | bigint
                        """)),
                onDisk("key-out-of-range", withRejects("""
                        id | _line
                        1  | 2
                        """, """
                        _line | column_name | reason
                        3     | id          | bigint
                        """)),
                new CorpusCase("bad-timestamp", SPEC_WITH_TIMES, withRejects("""
                        id | seen                | seen_tz              | _line
                        1  | 2024-03-01T10:15:00 | 2024-03-01T10:15:00Z | 2
                        """, """
                        _line | column_name | reason
                        3     | seen        | timestamp
                        4     | seen        | timestamp
                        5     | seen_tz     | timestamptz
                        6     | seen_tz     | timestamptz
                        """)),

                // Quality checks (rule 1.7): a row failing a drop check is a reject named after it; one failing a
                // refuse check refuses its file; a NULL passes (and a NULL sequence is still a reject, before any check).
                new CorpusCase("check-dropped-row", SPEC_WITH_CHECKS, withRejects("""
                        id | name | city | _line
                        1  | Ann  | Oslo | 2
                        3  | Cy   | Lima | 4
                        """, """
                        _line | column_name | reason
                        3     | city        | check failed: city_known
                        """)),
                new CorpusCase("check-refused-file", SPEC_WITH_CHECKS,
                        refused("line 3", "check 'no_test_rows'", "checks[1].must: name <> 'TEST'")),
                new CorpusCase("check-null-passes", SPEC_WITH_CHECKS, withRejects("""
                        id | name | city | _line
                        1  | null | null | 2
                        """, """
                        _line | column_name | reason
                        3     | seq         | NULL
                        """)));
    }

    /** The pipelines of the cases on disk, one per spec and test class, made by the first case that needs one. */
    private static final Map<String, PipelineHarness> ON_DISK = new HashMap<>();

    @TempDir
    static Path onDiskDir;

    @AfterAll
    static void closeOnDiskPipelines() {
        ON_DISK.values().forEach(PipelineHarness::close);
        ON_DISK.clear();
    }

    /**
     * The cases of one spec land together, each under its own name so that every failure names the
     * case, then the next file; one run takes them all in one scan. Each case's file must end as
     * expected while all the others, the next file included, are loaded beside it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("filesOnDisk")
    void aFileOfTheCorpusEndsAsExpectedAmongTheOthersAndTheFileAfterThemLoads(CorpusCase corpusCase) {
        PipelineHarness pipeline = ON_DISK.computeIfAbsent(getClass().getName() + "\n" + corpusCase.spec(),
                key -> landTogether(corpusCase.spec()));
        assertLoad(pipeline, onlyEntry(pipeline, corpusCase.landedName()), corpusCase.expected());
        assertNextFileLoaded(pipeline);
    }

    private PipelineHarness landTogether(String spec) {
        PipelineHarness pipeline = PipelineHarness.open(onDiskDir.resolve("pipeline-" + ON_DISK.size()), spec, engineType(),
                engineOptions());
        filesOnDisk().filter(c -> c.spec().equals(spec)).forEach(c -> land(pipeline, c.landedName(), c.bytes()));
        landNextFile(pipeline);
        runUntilIdle(pipeline);
        return pipeline;
    }

    // ---------------------------------------------------------------------------------------------
    // Bytes that are not UTF-8

    @Test
    void invalidUtf8RejectsTheRowsThatHoldItAndTheOtherRowsLoad() {
        // Written as ISO-8859-1: ø is the single byte 0xF8, which is not UTF-8.
        byte[] latin1 = (People.HEADER + "\n1,Ann,Oslo,U,1\n2,Børge,Tønsberg,U,1\n3,Cy,Lima,U,1\n").getBytes(ISO_8859_1);
        assertLandedAlone(People.SPEC, CORPUS_FILE, latin1, withRejects("""
                id | name | _line
                1  | Ann  | 2
                3  | Cy   | 4
                """, """
                _line | column_name | reason
                3     | name        | UTF-8
                """));
    }

    @Test
    void invalidUtf8InTheHeaderLeavesASpecColumnMissingAndRefusesTheFile() {
        byte[] latin1 = "id,nåme,city,op,seq\n1,Ann,Oslo,U,1\n".getBytes(ISO_8859_1);
        assertLandedAlone(People.SPEC, CORPUS_FILE, latin1, refused("'name'"));
    }

    @Test
    void aBinaryFileIsRefused() {
        // The start of a PNG image: signature, IHDR chunk, then bytes of every value.
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'});
        for (int i = 0; i < 512; i++) {
            png.write(i * 31);
        }
        assertLandedAlone(People.SPEC, CORPUS_FILE, png.toByteArray(), refused("'id'", "'seq'"));
    }

    // ---------------------------------------------------------------------------------------------
    // Size

    @Test
    void aFiveMegabyteFieldLoadsWholeAndARejectedRowKeepsOnlyTheStartOfItsText() {
        String big = "x".repeat(5 << 20);
        String csv = People.HEADER + "\n1," + big + ",Oslo,U,1\n2," + big + ",Rome,U,two\n3,Cy,Lima,U,1\n";
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            land(pipeline, CORPUS_FILE, csv.getBytes(UTF_8));
            landNextFile(pipeline);
            runUntilIdle(pipeline);

            LoadHistory.Entry entry = onlyEntry(pipeline, CORPUS_FILE);
            assertLoad(pipeline, entry, withRejects("""
                    id | city | _line
                    1  | Oslo | 2
                    3  | Lima | 4
                    """, """
                    _line | column_name | reason
                    3     | seq         | bigint
                    """));
            assertThat(rawRows(pipeline, entry).where("id", "1").column("name").get(0)).isEqualTo(big);
            assertThat(pipeline.current().where("id", "1").column("name").get(0)).hasSize(big.length());
            // The reject keeps the start of the record's text (at most 10,000 characters and a mark), not 5 MB.
            String rawText = rejectsOf(pipeline, entry).column("raw_text").get(0);
            assertThat(rawText).startsWith("2,xxxxxxxx").hasSizeLessThanOrEqualTo(10_001);
            assertThat(entry.firstError()).hasSizeLessThan(1_000);
            assertNextFileLoaded(pipeline);
        }
    }

    /**
     * Many small files at once, as after an outage of the loader. The time taken is printed (the
     * test output of surefire); {@link #MANY_FILES} is lowered with {@code -Dchangepipe.corpus.manyFiles}.
     */
    @Test
    void manyTinyFilesLandedAtOnceAllLoad() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            for (int i = 1; i <= MANY_FILES; i++) {
                land(pipeline, "people_" + i + ".csv", (People.HEADER + "\n" + i + ",P" + i + ",Oslo,U,1\n").getBytes(UTF_8));
            }
            landNextFile(pipeline);
            long started = System.nanoTime();
            runUntilIdle(pipeline);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("%s: %d tiny files (and one more) landed at once loaded and applied in %d ms, %.2f ms a file%n",
                    getClass().getSimpleName(), MANY_FILES, tookMillis, tookMillis / (double) (MANY_FILES + 1));

            String raw = PipelineHarness.quote(pipeline.spec().tables().raw());
            assertThat(numbersOfOneRow(pipeline, "SELECT count(*), count(DISTINCT _file), count(DISTINCT _file_id) FROM " + raw))
                    .as("raw rows, files and file ids")
                    .containsExactly(MANY_FILES + 1L, MANY_FILES + 1L, MANY_FILES + 1L);
            assertThat(numbersOfOneRow(pipeline, "SELECT count(*) FROM " + PipelineHarness.quote(pipeline.spec().tables().current())))
                    .containsExactly(MANY_FILES + 1L);
            List<LoadHistory.Entry> ledger = LoadHistory.of(pipeline);
            assertThat(ledger).hasSize(MANY_FILES + 1).allSatisfy(entry -> {
                assertThat(entry.status()).isEqualTo("loaded");
                assertThat(entry.rowsLoaded()).isEqualTo(1);
            });
            // The status shows the latest 20 of them.
            assertThat(LoadHistory.inStatus(pipeline)).isEqualTo(ledger.subList(Math.max(0, ledger.size() - 20), ledger.size()));
            assertNextFileLoaded(pipeline);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Gzip

    @Test
    void aGzipCompressedFileLoadsLikeItsText() {
        String csv = People.HEADER + "\n1,Ann,Oslo,U,1\n,Bob,Rome,U,1\n3,Cy,Lima,U,1\n";
        assertLandedAlone(SPEC_WITH_GZIP, "people_1.csv.gz", gzip(csv.getBytes(UTF_8)), withRejects("""
                id | name | _file           | _line
                1  | Ann  | people_1.csv.gz | 2
                3  | Cy   | people_1.csv.gz | 4
                """, """
                _line | column_name | reason
                3     | id          | NULL
                """));
    }

    @Test
    void aFileNamedGzThatIsNotGzipIsRefused() {
        byte[] plain = (People.HEADER + "\n1,Ann,Oslo,U,1\n").getBytes(UTF_8);
        assertLandedAlone(SPEC_WITH_GZIP, "people_1.csv.gz", plain, refused("gzip"));
    }

    @Test
    void aTruncatedGzipFileIsRefusedWithNothingLoadedFromIt() {
        StringBuilder csv = new StringBuilder(People.HEADER).append('\n');
        for (int i = 1; i <= 50_000; i++) {
            csv.append(i).append(",P").append(i).append(",Oslo,U,1\n");
        }
        byte[] whole = gzip(csv.toString().getBytes(UTF_8));
        assertLandedAlone(SPEC_WITH_GZIP, "people_1.csv.gz", Arrays.copyOf(whole, whole.length / 2), refused("gzip"));
    }

    // ---------------------------------------------------------------------------------------------
    // Files that move: still being written, deleted, replaced

    /**
     * Rule 1.1: a file is taken once it has not been modified for {@code schedule.settle}. A clock the
     * test sets shows the file is left alone while it grows; then the real clock shows the runner
     * waits for it to settle and loads all of it.
     */
    @Test
    void aFileStillBeingWrittenIsNotReadUntilItIsCompleteAndHasSettled() throws Exception {
        try (PipelineHarness pipeline = openPipeline(People.SPEC + "schedule: {settle: 300ms}\n")) {
            PipelineSpec spec = pipeline.spec();
            Duration settle = spec.schedule().settle();
            Path file = spec.landing().resolve(CORPUS_FILE);
            SetClock clock = new SetClock();
            try (LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), settle, clock)) {
                PipelineRunner runner = new PipelineRunner(spec, pipeline.engine(), landing, clock, PipelineListener.NONE);

                Files.writeString(file, People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bo");
                clock.set(lastModified(file).plus(settle).minusMillis(1));
                assertNothingTakenYet(pipeline, runner.runCycle());

                Files.writeString(file, "b,Rome,U,1\n3,Cy,Lima,U,1\n", StandardOpenOption.APPEND);
                clock.set(lastModified(file).plus(settle).minusMillis(1));
                assertNothingTakenYet(pipeline, runner.runCycle());
            }
            try (LandingFolder landing = new LandingFolder(spec.landing(), spec.pattern(), settle, Clock.systemUTC())) {
                PipelineRunner runner = new PipelineRunner(spec, pipeline.engine(), landing, Clock.systemUTC(),
                        PipelineListener.NONE);
                Files.setLastModifiedTime(file, FileTime.from(Instant.now())); // the writer's last touch: now
                runner.runUntilIdle();

                assertLoad(pipeline, onlyEntry(pipeline, CORPUS_FILE), loaded("""
                        id | name | city | _line
                        1  | Ann  | Oslo | 2
                        2  | Bob  | Rome | 3
                        3  | Cy   | Lima | 4
                        """));
                landNextFile(pipeline);
                runner.runUntilIdle();
                assertNextFileLoaded(pipeline);
            }
        }
    }

    private static void assertNothingTakenYet(PipelineHarness pipeline, Cycle cycle) {
        assertThat(cycle.filesSeen()).as("files taken while one is being written").isZero();
        assertThat(cycle.filesSettling()).as("a file is settling").isTrue();
        assertThat(LoadHistory.of(pipeline)).as("ledger while the file is being written").isEmpty();
        assertThat(pipeline.raw().isEmpty()).as("raw table while the file is being written").isTrue();
    }

    /**
     * A file found, then deleted before it is read: the engine records it as vanished. Timed from
     * outside by handing the engine the found file after deleting it.
     */
    @Test
    void aFileDeletedBeforeItIsReadIsRecordedAsVanishedAndLoadsWhenItComesBack() throws Exception {
        byte[] content = (People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n").getBytes(UTF_8);
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            Path path = land(pipeline, CORPUS_FILE, content);
            LandedFile found = found(path, content);
            Files.delete(path);

            assertThat(pipeline.engine().load(found)).isInstanceOf(FileOutcome.Vanished.class);
            LoadHistory.Entry vanished = onlyEntry(pipeline, CORPUS_FILE);
            assertLoad(pipeline, vanished, new ExpectedLoad("vanished", List.of("gone"), ExpectedLoad.NO_ROWS,
                    ExpectedLoad.NO_REJECTS));

            // The same name and content again: not a re-delivery of a file never read, so it loads.
            land(pipeline, CORPUS_FILE, content);
            landNextFile(pipeline);
            runUntilIdle(pipeline);
            List<LoadHistory.Entry> entries = LoadHistory.of(pipeline, CORPUS_FILE);
            assertThat(entries).extracting(LoadHistory.Entry::status).containsExactly("vanished", "loaded");
            assertLoad(pipeline, entries.get(1), loaded("""
                    id | name | _line
                    1  | Ann  | 2
                    2  | Bob  | 3
                    """));
            assertNextFileLoaded(pipeline);
        }
    }

    /**
     * A file replaced between being found (and hashed) and being read: nothing is loaded or recorded,
     * and the file is taken again as it now is. Timed from outside by handing the engine the file as
     * it was found (size and hash of the old content) while the disk holds the new one.
     */
    @Test
    void aFileReplacedWhileItIsReadIsNotRecordedAndLoadsAsItNowIs() throws Exception {
        byte[] old = (People.HEADER + "\n1,Ann,Oslo,U,1\n").getBytes(UTF_8);
        byte[] replacement = (People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n").getBytes(UTF_8);
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            Path path = land(pipeline, CORPUS_FILE, replacement);
            LandedFile asFound = new LandedFile(CORPUS_FILE, path, old.length, lastModified(path), sha256(old));

            assertThat(pipeline.engine().load(asFound)).isInstanceOf(FileOutcome.ChangedWhileRead.class);
            assertThat(LoadHistory.of(pipeline)).as("ledger after a changed read").isEmpty();
            assertThat(pipeline.raw().isEmpty()).as("raw table after a changed read").isTrue();

            landNextFile(pipeline);
            runUntilIdle(pipeline);
            assertLoad(pipeline, onlyEntry(pipeline, CORPUS_FILE), loaded("""
                    id | name | _line
                    1  | Ann  | 2
                    2  | Bob  | 3
                    """));
            assertNextFileLoaded(pipeline);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Files the landing zone will not read: unreadable, linked out of the folder

    @Test
    void anUnreadableFileIsRefusedAndLoadsOnceItIsReadableAgain() throws Exception {
        byte[] content = (People.HEADER + "\n1,Ann,Oslo,U,1\n").getBytes(UTF_8);
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            Path path = land(pipeline, CORPUS_FILE, content);
            Files.setPosixFilePermissions(path, Set.of());
            try {
                Assumptions.assumeFalse(Files.isReadable(path), "a file with mode 000 is still readable here (running"
                        + " as root, as in CI), so no file can be unreadable; the refusal itself is covered by"
                        + " aFileTheLandingZoneCannotReadIsRecordedAsRefusedAndLoadsOnceItCan");
                landNextFile(pipeline);
                runUntilIdle(pipeline);
                assertLoad(pipeline, onlyEntry(pipeline, CORPUS_FILE), refused("cannot read"));
                assertNextFileLoaded(pipeline);

                // Readable again, and touched (a new modification time) so that the landing zone takes it again.
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
                Files.setLastModifiedTime(path, FileTime.from(nextModified()));
                runUntilIdle(pipeline);
                List<LoadHistory.Entry> entries = LoadHistory.of(pipeline, CORPUS_FILE);
                assertThat(entries).extracting(LoadHistory.Entry::status).containsExactly("refused", "loaded");
                assertLoad(pipeline, entries.get(1), loaded("id | _line\n1 | 2"));
            } finally {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    /**
     * The refusal path of an unreadable file, which runs as root too: the landing zone hands the engine
     * a file with a refusal. It cannot hash what it cannot read, so the hash it gives stands for the
     * unreadable file, not for content (any hash but the content's will do).
     */
    @Test
    void aFileTheLandingZoneCannotReadIsRecordedAsRefusedAndLoadsOnceItCan() throws Exception {
        byte[] content = (People.HEADER + "\n1,Ann,Oslo,U,1\n").getBytes(UTF_8);
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            Path path = land(pipeline, CORPUS_FILE, content);
            LandedFile unreadable = new LandedFile(CORPUS_FILE, path, content.length, lastModified(path),
                    sha256(("unreadable " + CORPUS_FILE).getBytes(UTF_8)), "cannot read the file: permission denied");

            assertThat(pipeline.engine().load(unreadable)).isInstanceOf(FileOutcome.Refused.class);
            assertLoad(pipeline, onlyEntry(pipeline, CORPUS_FILE), refused("cannot read", "permission denied"));
            assertThat(pipeline.raw().isEmpty()).isTrue();

            // Now the landing zone can read it: it loads, as the file's second version.
            landNextFile(pipeline);
            runUntilIdle(pipeline);
            List<LoadHistory.Entry> entries = LoadHistory.of(pipeline, CORPUS_FILE);
            assertThat(entries).extracting(LoadHistory.Entry::status).containsExactly("refused", "loaded");
            assertLoad(pipeline, entries.get(1), loaded("id | _line\n1 | 2"));
            assertNextFileLoaded(pipeline);
        }
    }

    @Test
    void aSymbolicLinkToAFileOutsideTheLandingFolderIsRefusedNamingItsTarget() throws Exception {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            Path outside = Files.createDirectories(workDir.resolve("outside")).resolve("secrets.csv");
            Files.writeString(outside, People.HEADER + "\n1,Ann,Oslo,U,1\n");
            Files.setLastModifiedTime(outside, FileTime.from(nextModified()));
            Files.createSymbolicLink(pipeline.spec().landing().resolve("people_link.csv"), outside);
            landNextFile(pipeline);
            runUntilIdle(pipeline);

            assertLoad(pipeline, onlyEntry(pipeline, "people_link.csv"),
                    refused("symbolic link", outside.toRealPath().toString(), "outside the landing folder"));
            assertNextFileLoaded(pipeline);
        }
    }

    @Test
    void aSymbolicLinkToAFileInsideTheLandingFolderLoadsUnderTheLinksName() throws Exception {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            Path archive = Files.createDirectories(pipeline.spec().landing().resolve("archive"));
            Path target = Files.writeString(archive.resolve("people_archived.csv"), People.HEADER + "\n1,Ann,Oslo,U,1\n");
            Files.setLastModifiedTime(target, FileTime.from(nextModified()));
            Files.createSymbolicLink(pipeline.spec().landing().resolve("people_link.csv"), Path.of("archive/people_archived.csv"));
            landNextFile(pipeline);
            runUntilIdle(pipeline);

            assertLoad(pipeline, onlyEntry(pipeline, "people_link.csv"), loaded("""
                    id | name | _file           | _line
                    1  | Ann  | people_link.csv | 2
                    """));
            assertNextFileLoaded(pipeline);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Names

    @Test
    void namesWithSpacesQuotesAndNonAsciiCharactersLoadUnderTheirOwnNames() {
        List<String> names = List.of("people_new york.csv", "people_Zürich Øst.csv", "people_東京.csv",
                "people_o'neil, jr.csv");
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            for (int i = 0; i < names.size(); i++) {
                land(pipeline, names.get(i), (People.HEADER + "\n" + (i + 1) + ",Ann,Oslo,U,1\n").getBytes(UTF_8));
            }
            landNextFile(pipeline);
            runUntilIdle(pipeline);

            for (int i = 0; i < names.size(); i++) {
                assertLoad(pipeline, onlyEntry(pipeline, names.get(i)), loaded("id | _file | _line\n" + (i + 1) + " | "
                        + names.get(i) + " | 2"));
            }
            assertNextFileLoaded(pipeline);
        }
    }

    @Test
    void filesNotMatchingThePatternAreLeftAloneAndNotRecorded() throws Exception {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            byte[] content = (People.HEADER + "\n1,Ann,Oslo,U,1\n").getBytes(UTF_8);
            for (String name : List.of("people_1.txt", "people_1.csv.tmp", "people_1.csv.gz", "orders_1.csv",
                    ".people_1.csv.swp", "PEOPLE_1.CSV")) {
                land(pipeline, name, content);
            }
            Files.createDirectory(pipeline.spec().landing().resolve("people_folder.csv"));
            landNextFile(pipeline);
            runUntilIdle(pipeline);

            assertThat(LoadHistory.of(pipeline)).extracting(LoadHistory.Entry::name).containsExactly(NEXT_FILE);
            assertNextFileLoaded(pipeline);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Names and content (rule 1.2)

    @Test
    void theSameContentUnderTwoNamesLoadsTwice() {
        byte[] content = (People.HEADER + "\n1,Ann,Oslo,U,1\n2,Bob,Rome,U,1\n").getBytes(UTF_8);
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            land(pipeline, "people_a.csv", content);
            land(pipeline, "people_b.csv", content);
            landNextFile(pipeline);
            runUntilIdle(pipeline);

            for (String name : List.of("people_a.csv", "people_b.csv")) {
                assertLoad(pipeline, onlyEntry(pipeline, name), loaded("id | _file | _line\n1 | " + name + " | 2\n2 | "
                        + name + " | 3"));
            }
            assertNextFileLoaded(pipeline);
        }
    }

    @Test
    void theSameNameWithNewContentLoadsAsVersionTwoOfTheFile() {
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            land(pipeline, CORPUS_FILE, (People.HEADER + "\n1,Ann,Oslo,U,1\n").getBytes(UTF_8));
            runUntilIdle(pipeline);
            land(pipeline, CORPUS_FILE, (People.HEADER + "\n1,Ann,Rome,U,2\n2,Bob,Lima,U,2\n").getBytes(UTF_8));
            landNextFile(pipeline);
            runUntilIdle(pipeline);

            List<LoadHistory.Entry> entries = LoadHistory.of(pipeline, CORPUS_FILE);
            assertThat(entries).extracting(LoadHistory.Entry::status).containsExactly("loaded", "loaded");
            assertLoad(pipeline, entries.get(0), loaded("id | city | _line\n1 | Oslo | 2"));
            assertLoad(pipeline, entries.get(1), loaded("id | city | _line\n1 | Rome | 2\n2 | Lima | 3"));
            // The typed ledger, which every engine provides: the status does not show versions.
            assertThat(pipeline.engine().ledger(LedgerQuery.all().named(List.of(CORPUS_FILE))))
                    .extracting(LedgerEntry::version).containsExactly(1, 2);
            assertThat(pipeline.current().where("id", "1").column("city")).containsExactly("Rome");
            assertNextFileLoaded(pipeline);
        }
    }

    @Test
    void theSameNameWithTheSameContentIsRecordedAsRedeliveredAndNotLoaded() {
        byte[] content = (People.HEADER + "\n1,Ann,Oslo,U,1\n").getBytes(UTF_8);
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            land(pipeline, CORPUS_FILE, content);
            runUntilIdle(pipeline);
            land(pipeline, CORPUS_FILE, content);
            landNextFile(pipeline);
            runUntilIdle(pipeline);

            List<LoadHistory.Entry> entries = LoadHistory.of(pipeline, CORPUS_FILE);
            assertThat(entries).extracting(LoadHistory.Entry::status).containsExactly("loaded", "redelivered");
            assertLoad(pipeline, entries.get(0), loaded("id | _line\n1 | 2"));
            assertLoad(pipeline, entries.get(1), new ExpectedLoad("redelivered", List.of(), ExpectedLoad.NO_ROWS,
                    ExpectedLoad.NO_REJECTS));
            assertNextFileLoaded(pipeline);
        }
    }

    @Test
    void aRedeliveryOfAnOlderContentCarriesTheVersionAndIdOfTheEntryItRepeats() {
        byte[] first = (People.HEADER + "\n1,Ann,Oslo,U,1\n").getBytes(UTF_8);
        byte[] second = (People.HEADER + "\n1,Ann,Rome,U,2\n").getBytes(UTF_8);
        try (PipelineHarness pipeline = openPipeline(People.SPEC)) {
            for (byte[] content : List.of(first, second, first)) {
                land(pipeline, CORPUS_FILE, content);
                runUntilIdle(pipeline);
            }
            List<LedgerEntry> entries = pipeline.engine().ledger(LedgerQuery.all().named(List.of(CORPUS_FILE)));
            assertThat(entries).extracting(LedgerEntry::status)
                    .containsExactly(FileStatus.LOADED, FileStatus.LOADED, FileStatus.REDELIVERED);
            assertThat(entries).extracting(LedgerEntry::version).containsExactly(1, 2, 1);
            assertThat(entries.get(2).originalFileId()).isEqualTo(entries.get(0).fileId());
            assertThat(pipeline.current().where("id", "1").column("city")).as("a re-delivery changes nothing")
                    .containsExactly("Rome");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /**
     * Runs the pipeline until it is idle; when it stops instead, fails with the errors of the task
     * history (the latest runs, as every engine gives them), since the
     * runner's own message only points there.
     */
    private static void runUntilIdle(PipelineHarness pipeline) {
        try {
            pipeline.runUntilIdle();
        } catch (RuntimeException e) {
            List<String> errors = new ArrayList<>();
            pipeline.engine().taskHistory(StatusView.LATEST).stream().map(TaskRun::error).filter(Objects::nonNull)
                    .distinct().forEach(errors::add);
            throw new AssertionError("the pipeline stopped instead of going on: " + e.getMessage() + "; task errors: "
                    + errors, e);
        }
    }

    /** Lands one file, then the next file after it, runs the pipeline once, and checks both. */
    private void assertLandedAlone(String spec, String name, byte[] bytes, ExpectedLoad expected) {
        try (PipelineHarness pipeline = openPipeline(spec)) {
            land(pipeline, name, bytes);
            landNextFile(pipeline);
            runUntilIdle(pipeline);

            assertLoad(pipeline, onlyEntry(pipeline, name), expected);
            assertNextFileLoaded(pipeline);
        }
    }

    /**
     * Lands {@code bytes} as {@code name}, exactly, modified a second after the file landed before:
     * written outside the landing folder, then moved into it in one step. Returns its path.
     */
    private Path land(PipelineHarness pipeline, String name, byte[] bytes) {
        try {
            Path staging = Files.createDirectories(workDir.resolve("staging"));
            Path temp = Files.write(staging.resolve(UUID.randomUUID() + ".part"), bytes);
            Files.setLastModifiedTime(temp, FileTime.from(nextModified()));
            return Files.move(temp, pipeline.spec().landing().resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Instant nextModified() {
        Instant modified = nextModified;
        nextModified = nextModified.plusSeconds(1);
        return modified;
    }

    /** Lands {@link #NEXT_FILE}: one good row of key {@link #NEXT_ID}, whatever the spec's columns. */
    private void landNextFile(PipelineHarness pipeline) {
        land(pipeline, NEXT_FILE, nextFile(pipeline.spec()).getBytes(UTF_8));
    }

    static String nextFile(PipelineSpec spec) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, ColumnType> column : spec.columns().entrySet()) {
            boolean key = spec.keys().contains(column.getKey());
            values.add(switch (column.getValue()) {
                case BIGINT, INTEGER, DOUBLE, DECIMAL -> key ? String.valueOf(NEXT_ID) : "1";
                case VARCHAR -> key ? "next-" + NEXT_ID : "next";
                case BOOLEAN -> "true";
                case DATE -> "2024-01-01";
                case TIMESTAMP -> "2024-01-01 00:00:00";
                case TIMESTAMPTZ -> "2024-01-01T00:00:00Z";
            });
        }
        return String.join(",", spec.columns().keySet()) + "\n" + String.join(",", values) + "\n";
    }

    /** The next file loaded, whole, and reached the current table: the pipeline went on after the bad file. */
    private static void assertNextFileLoaded(PipelineHarness pipeline) {
        ExpectedLoad expected = loaded("id | _line\n" + NEXT_ID + " | 2");
        assertLoad(pipeline, onlyEntry(pipeline, NEXT_FILE), expected);
        assertThat(pipeline.current().column("id")).as("current table after the next file").contains(String.valueOf(NEXT_ID));
    }

    private static LoadHistory.Entry onlyEntry(PipelineHarness pipeline, String name) {
        List<LoadHistory.Entry> entries = LoadHistory.of(pipeline, name);
        assertThat(entries).as(() -> "ledger entries of " + name + " among " + LoadHistory.of(pipeline)).hasSize(1);
        return entries.get(0);
    }

    /** The ledger entry, the rejects and the raw rows of one load are as expected. */
    static void assertLoad(PipelineHarness pipeline, LoadHistory.Entry entry, ExpectedLoad expected) {
        String file = entry.name();
        assertThat(entry.status()).as("ledger status of %s (first error: %s)", file, entry.firstError())
                .isEqualTo(expected.status());

        Table rejects = rejectsOf(pipeline, entry);
        assertThat(rejects.column("_file")).as("file of the rejects of %s", file).allMatch(file::equals);
        List<String> lineAndColumn = List.of("_line", "column_name");
        assertThat(rejects.project(lineAndColumn)).as("rejects of %s:%s", file, rejects)
                .isEqualTo(expected.rejects().project(lineAndColumn));
        List<String> reasons = rejects.column("reason");
        List<String> words = expected.rejects().column("reason");
        for (int i = 0; i < words.size(); i++) {
            assertThat(reasons.get(i)).as("reason of the reject of %s at line %s", file, rejects.column("_line").get(i))
                    .containsIgnoringCase(words.get(i));
        }

        Table raw = rawRows(pipeline, entry);
        assertThat(raw.column("_file")).as("file of the raw rows of %s", file).allMatch(file::equals);
        assertThat(raw.project(expected.loaded().columns())).as("raw rows of %s", file).isEqualTo(expected.loaded());

        assertThat(entry.rowsLoaded()).as("rows loaded from %s in the ledger", file).isEqualTo(expected.loaded().size());
        assertThat(entry.rowsRejected()).as("rows rejected from %s in the ledger", file).isEqualTo(expected.rejects().size());
        if (expected.firstErrorWords().isEmpty()) {
            assertThat(entry.firstError()).as("first error of %s", file).isNull();
        }
        for (String word : expected.firstErrorWords()) {
            assertThat(entry.firstError()).as("first error of %s", file).containsIgnoringCase(word);
        }
    }

    /** The raw rows of one load, by line. */
    static Table rawRows(PipelineHarness pipeline, LoadHistory.Entry entry) {
        return pipeline.raw().where("_file_id", String.valueOf(entry.fileId()));
    }

    /** The rejects of one load, by line: file, line, column, reason, raw text. */
    static Table rejectsOf(PipelineHarness pipeline, LoadHistory.Entry entry) {
        List<String> columns = List.of("_file", "_line", "column_name", "reason", "raw_text");
        String select = "SELECT " + String.join(", ", columns.stream().map(PipelineHarness::quote).toList())
                + " FROM " + PipelineHarness.quote(pipeline.spec().tables().rejects()) + " WHERE _file_id = ? ORDER BY _line";
        return pipeline.table(select, columns, Arrays.asList(ColumnType.VARCHAR, ColumnType.BIGINT, ColumnType.VARCHAR,
                ColumnType.VARCHAR, ColumnType.VARCHAR), entry.fileId());
    }

    /** The numbers of a query that returns one row. */
    private static List<Long> numbersOfOneRow(PipelineHarness pipeline, String sql) {
        List<List<Object>> rows = pipeline.query(sql).rows();
        assertThat(rows).as("rows of %s", sql).hasSize(1);
        return rows.get(0).stream().map(v -> ((Number) v).longValue()).toList();
    }

    /** The file as the landing zone finds it: name, path, size, modification time and hash of {@code content}. */
    private static LandedFile found(Path path, byte[] content) throws IOException {
        return new LandedFile(path.getFileName().toString(), path, content.length, lastModified(path), sha256(content));
    }

    private static Instant lastModified(Path path) throws IOException {
        return Files.getLastModifiedTime(path).toInstant();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A clock that shows the time the test set, so that "not settled yet" does not depend on how fast the test runs. */
    private static final class SetClock extends Clock {
        private volatile Instant now = Instant.now();

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a SetClock is in UTC");
        }
    }
}
