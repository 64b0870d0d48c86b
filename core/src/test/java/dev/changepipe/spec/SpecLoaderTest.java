package dev.changepipe.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.changepipe.error.ErrorCategory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecLoaderTest {

    /** The users example, one field a line, so a test can replace or drop one field. */
    static final String USERS = """
            name: users
            landing: landing
            pattern: "users_*.csv"
            engine: {type: duckdb, path: warehouse}
            columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: bigint}
            keys: [userId]
            sequence_by: sequenceNum
            delete_when: "operation = 'DELETE'"
            except_columns: [operation, sequenceNum]
            track_history_columns: [city]
            tables: {raw: users_raw, current: users, history: users_history}
            history_columns: {start: start_time, end: end_time, current: is_current}
            csv: {header: true, delimiter: ",", quote: "\\"", null: ""}
            """;

    static final String USER_COLUMNS = "userId, name, city, operation, sequenceNum";

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- helpers

    /** USERS with the line of top-level {@code field} replaced by {@code line} (appended when absent). */
    static String with(String field, String line) {
        List<String> lines = new ArrayList<>(Arrays.asList(USERS.split("\n")));
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(field + ":")) {
                lines.set(i, line);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(line);
        }
        return String.join("\n", lines) + "\n";
    }

    /** USERS without the line of top-level {@code field}. */
    static String without(String field) {
        assertThat("\n" + USERS).contains("\n" + field + ":");
        List<String> lines = new ArrayList<>(Arrays.asList(USERS.split("\n")));
        lines.removeIf(l -> l.startsWith(field + ":"));
        return String.join("\n", lines) + "\n";
    }

    PipelineSpec parse(String yaml) {
        return SpecLoader.parse(yaml, dir, "users.yaml");
    }

    List<String> problems(String yaml) {
        SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> parse(yaml));
        assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR);
        assertThat(e.getMessage()).startsWith("invalid pipeline spec users.yaml: ");
        for (String problem : e.problems()) {
            assertThat(e.getMessage()).contains(problem);
        }
        return e.problems();
    }

    /** The single problem of a spec that has exactly one. */
    String problem(String yaml) {
        List<String> problems = problems(yaml);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    // ---------------------------------------------------------------- a valid spec

    @Test
    void theUsersExampleLoadsWithEveryField() throws Exception {
        Path file = dir.resolve("users.yaml");
        Files.writeString(file, USERS);

        PipelineSpec spec = SpecLoader.load(file);

        assertThat(spec.name()).isEqualTo("users");
        assertThat(spec.landing()).isEqualTo(dir.resolve("landing").toAbsolutePath().normalize());
        assertThat(spec.pattern()).isEqualTo("users_*.csv");
        assertThat(spec.engine().type()).isEqualTo("duckdb");
        assertThat(spec.engine().path()).isEqualTo(dir.resolve("warehouse").toAbsolutePath().normalize());
        assertThat(spec.engine().options()).isEmpty();
        assertThat(spec.columns()).containsExactly(
                entry("userId", ColumnType.BIGINT),
                entry("name", ColumnType.VARCHAR),
                entry("city", ColumnType.VARCHAR),
                entry("operation", ColumnType.VARCHAR),
                entry("sequenceNum", ColumnType.BIGINT));
        assertThat(spec.keys()).containsExactly("userId");
        assertThat(spec.sequenceBy()).contains("sequenceNum");
        assertThat(spec.deleteWhen()).isPresent();
        assertThat(spec.deleteWhen().get().columns()).containsExactly("operation");
        assertThat(spec.deleteWhen().get().evaluate(Map.of("operation", "DELETE")::get)).isTrue();
        assertThat(spec.deleteWhen().get().evaluate(Map.of("operation", "UPDATE")::get)).isFalse();
        assertThat(spec.exceptColumns()).containsExactly("operation", "sequenceNum");
        assertThat(spec.trackHistoryColumns()).containsExactly("city");
        assertThat(spec.tables()).isEqualTo(new TableNames("users_raw", "users", "users_history"));
        assertThat(spec.tables().rejects()).isEqualTo("users_raw_rejects");
        assertThat(spec.tables().changes()).isEqualTo("users_changes");
        assertThat(spec.historyColumns()).isEqualTo(new HistoryColumns("start_time", "end_time", "is_current"));
        assertThat(spec.csv()).isEqualTo(new CsvFormat(true, ',', '"', ""));
        assertThat(spec.schedule()).isEqualTo(new Schedule(Duration.ofMinutes(1), Duration.ofMillis(200)));
        assertThat(spec.valueColumns()).containsExactly("name", "city");
        assertThat(spec.targetColumns()).containsExactly("userId", "name", "city");
        assertThat(spec.typeOf("sequenceNum")).isEqualTo(ColumnType.BIGINT);
        assertThatThrownBy(() -> spec.typeOf("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void everyOptionalFieldHasItsDefault() {
        PipelineSpec spec = parse("""
                name: orders
                landing: in
                columns: {id: bigint, amount: decimal, note: varchar}
                keys: [id]
                """);

        assertThat(spec.pattern()).isEqualTo("orders_*.csv");
        assertThat(spec.engine().type()).isEqualTo("duckdb");
        assertThat(spec.engine().path()).isEqualTo(dir.resolve("warehouse"));
        assertThat(spec.tables().raw()).isEqualTo("orders_raw");
        assertThat(spec.tables().current()).isEqualTo("orders");
        assertThat(spec.tables().history()).isEqualTo("orders_history");
        assertThat(spec.tables().rejects()).isEqualTo("orders_raw_rejects");
        assertThat(spec.tables().changes()).isEqualTo("orders_changes");
        assertThat(spec.historyColumns().start()).isEqualTo("start_time");
        assertThat(spec.historyColumns().end()).isEqualTo("end_time");
        assertThat(spec.historyColumns().current()).isEqualTo("is_current");
        assertThat(spec.csv().header()).isTrue();
        assertThat(spec.csv().delimiter()).isEqualTo(',');
        assertThat(spec.csv().quote()).isEqualTo('"');
        assertThat(spec.csv().nullText()).isEmpty();
        assertThat(spec.schedule().every()).isEqualTo(Duration.ofMinutes(1));
        assertThat(spec.schedule().settle()).isEqualTo(Duration.ofMillis(200));
        assertThat(spec.sequenceBy()).isEmpty();
        assertThat(spec.deleteWhen()).isEmpty();
        assertThat(spec.exceptColumns()).isEmpty();
        assertThat(spec.trackHistoryColumns()).containsExactly("amount", "note");
        assertThat(spec.valueColumns()).containsExactly("amount", "note");
    }

    @Test
    void derivedTableNamesFollowExplicitRawAndCurrentNames() {
        PipelineSpec spec = parse(with("tables", "tables: {raw: landed_users, current: dim_users}"));

        assertThat(spec.tables().history()).isEqualTo("users_history");
        assertThat(spec.tables().rejects()).isEqualTo("landed_users_rejects");
        assertThat(spec.tables().changes()).isEqualTo("dim_users_changes");
    }

    @Test
    void relativePathsResolveAgainstTheSpecFolderNotTheWorkingDirectory() throws Exception {
        Path specFolder = Files.createDirectories(dir.resolve("specs/nested"));
        Path file = specFolder.resolve("users.yaml");
        Files.writeString(file, with("landing", "landing: ../drop/zone")
                .replace("engine: {type: duckdb, path: warehouse}", "engine: {type: duckdb, path: data/wh, threads: 4}"));

        PipelineSpec spec = SpecLoader.load(file);

        Path real = dir.toAbsolutePath().normalize();
        assertThat(spec.landing()).isEqualTo(real.resolve("specs/drop/zone"));
        assertThat(spec.engine().path()).isEqualTo(real.resolve("specs/nested/data/wh"));
        assertThat(spec.landing()).isAbsolute();
        Path workingDirectory = Path.of("").toAbsolutePath();
        assertThat(spec.landing()).isNotEqualTo(workingDirectory.resolve("../drop/zone").normalize());
        assertThat(spec.engine().path()).isNotEqualTo(workingDirectory.resolve("data/wh"));
        assertThat(spec.engine().options()).containsExactly(entry("threads", 4));
    }

    @Test
    void anEnginePathWrittenAsAUriIsKeptAsWrittenNotResolvedAgainstTheSpecFolder() throws Exception {
        Path lake = dir.resolve("lake.yaml");
        Files.writeString(lake, with("engine", "engine: {type: spark, path: \"s3a://bucket/lake\", master: \"local[2]\"}"));
        Path local = dir.resolve("local.yaml");
        Files.writeString(local, with("engine", "engine: {type: spark, path: lake}"));

        EngineSpec uri = SpecLoader.load(lake).engine();
        EngineSpec folder = SpecLoader.load(local).engine();

        assertThat(uri.isUri()).isTrue();
        assertThat(uri.location()).isEqualTo("s3a://bucket/lake");
        assertThat(uri.path()).isNull();
        assertThat(uri.options()).containsExactly(entry("master", "local[2]"));
        assertThat(folder.isUri()).isFalse();
        assertThat(folder.path()).isEqualTo(dir.toAbsolutePath().normalize().resolve("lake"));
        assertThat(folder.location()).isEqualTo(folder.path().toString());
    }

    @Test
    void engineDefaultsToDuckdbInTheSpecFolderWhenLoadedFromAFile() throws Exception {
        Path file = Files.createDirectories(dir.resolve("p")).resolve("users.yaml");
        Files.writeString(file, without("engine"));

        assertThat(SpecLoader.load(file).engine().path()).isEqualTo(dir.toAbsolutePath().normalize().resolve("p/warehouse"));
    }

    @Test
    void anAbsoluteLandingIsKept() {
        Path elsewhere = dir.resolve("elsewhere/in").toAbsolutePath();
        PipelineSpec spec = SpecLoader.parse(with("landing", "landing: " + elsewhere), dir.resolve("x"), "users.yaml");

        assertThat(spec.landing()).isEqualTo(elsewhere);
    }

    @Test
    void valueAndTargetColumnsFollowDeclarationOrderWithKeysFirstInKeyOrder() {
        PipelineSpec spec = parse("""
                name: t
                landing: in
                columns: {b_val: varchar, key2: bigint, a_val: integer, key1: varchar, skip: varchar, c_val: date}
                keys: [key1, key2]
                except_columns: [skip]
                """);

        assertThat(spec.columns().keySet()).containsExactly("b_val", "key2", "a_val", "key1", "skip", "c_val");
        assertThat(spec.valueColumns()).containsExactly("b_val", "a_val", "c_val");
        assertThat(spec.targetColumns()).containsExactly("key1", "key2", "b_val", "a_val", "c_val");
        assertThat(spec.trackHistoryColumns()).containsExactly("b_val", "a_val", "c_val");
    }

    @Test
    void typeAliasesAreAcceptedInColumns() {
        PipelineSpec spec = parse(with("columns",
                "columns: {userId: long, name: string, city: TEXT, operation: varchar, sequenceNum: timestamp_ntz}"));

        assertThat(spec.columns()).containsExactly(
                entry("userId", ColumnType.BIGINT),
                entry("name", ColumnType.VARCHAR),
                entry("city", ColumnType.VARCHAR),
                entry("operation", ColumnType.VARCHAR),
                entry("sequenceNum", ColumnType.TIMESTAMP));
    }

    @Test
    void theLoadedSpecCannotBeChangedThroughItsCollections() {
        PipelineSpec spec = parse(USERS);

        assertThatThrownBy(() -> spec.columns().put("x", ColumnType.BIGINT)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.keys().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.exceptColumns().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.trackHistoryColumns().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---------------------------------------------------------------- unknown and missing fields

    @Test
    void anUnknownTopLevelFieldIsNamed() {
        String p = problem(USERS + "nmae: users\n");

        assertThat(p).startsWith("nmae: unknown field");
        assertThat(p).contains("name", "landing", "sequence_by", "history_columns");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "csv      | csv: {header: true, delim: \";\"}                                  | csv.delim",
        "tables   | tables: {raw: users_raw, curent: users}                             | tables.curent",
        "history_columns | history_columns: {begin: valid_from}                        | history_columns.begin",
        "schedule | schedule: {every: 1m, evry: 5m}                                     | schedule.evry",
    })
    void anUnknownNestedFieldIsNamedWithItsPath(String field, String line, String path) {
        String p = problem(with(field, line));

        assertThat(p).startsWith(path + ": unknown field");
    }

    @Test
    void anOpenEndIsAValueOfTheSequenceColumnsType() {
        PipelineSpec spec = parse(with("history_columns", "history_columns: {end: valid_to, open_end: 9223372036854775807}"));

        assertThat(spec.historyColumns()).isEqualTo(new HistoryColumns("start_time", "valid_to", "is_current",
                Optional.of(Long.MAX_VALUE), Optional.empty()));
        assertThat(parse(USERS).historyColumns().openEnd()).isEmpty();
        PipelineSpec timed = parse(with("columns", "columns: {userId: bigint, name: varchar, city: varchar, "
                + "operation: varchar, sequenceNum: timestamp}")
                .replace("history_columns: {", "history_columns: {open_end: \"9999-12-31 23:59:59\", "));
        assertThat(timed.historyColumns().openEnd()).contains(LocalDateTime.of(9999, 12, 31, 23, 59, 59));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "history_columns: {open_end: forever}   | history_columns.open_end: cannot read 'forever' as bigint, the type of the sequence column 'sequenceNum'",
        "history_columns: {open_end: [1, 2]}    | history_columns.open_end: must be one value of the sequence column's type",
    })
    void anOpenEndThatIsNotAValueOfTheSequenceTypeFailsAtStartNamingTheField(String line, String message) {
        assertThat(problem(with("history_columns", line))).isEqualTo(message);
    }

    @Test
    void anOpenEndWithoutSequenceByFailsAtStart() {
        String spec = without("sequence_by").replace("except_columns: [operation, sequenceNum]", "except_columns: [operation]")
                .replace("history_columns: {", "history_columns: {open_end: 99, ");
        assertThat(problem(spec)).startsWith("history_columns.open_end: needs sequence_by");
    }

    @Test
    void applyAsTruncatesIsAPredicateInTheDeleteWhenGrammarNamedByItsField() {
        assertThat(parse(USERS).truncateWhen()).isEmpty();
        assertThat(parse(USERS + "apply_as_truncates: \"operation = 'TRUNCATE'\"\n").truncateWhen().orElseThrow()
                .evaluate(Map.of("operation", "TRUNCATE")::get)).isTrue();
        assertThat(problem(USERS + "apply_as_truncates: \"opration = 'T'\"\n"))
                .startsWith("apply_as_truncates: unknown column 'opration'");
        assertThat(problem(USERS + "apply_as_truncates: \"operation = \"\n")).startsWith("apply_as_truncates: ");
    }

    @Test
    void theSchemaPolicyDefaultsToRescueAndRefuseAndReadsTheUnquotedWordNull() {
        assertThat(parse(USERS).schema()).isEqualTo(SchemaPolicy.DEFAULT);
        assertThat(parse(USERS + "schema: {new_columns: fail, missing_columns: null}\n").schema())
                .isEqualTo(new SchemaPolicy(SchemaPolicy.NewColumns.FAIL, SchemaPolicy.MissingColumns.NULL));
        assertThat(parse(USERS + "schema: {missing_columns: 'null'}\n").schema().missingColumns())
                .isEqualTo(SchemaPolicy.MissingColumns.NULL);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "schema: {new_columns: drop}      | schema.new_columns: 'drop' is not one of rescue, add, fail",
        "schema: {missing_columns: skip}  | schema.missing_columns: 'skip' is not one of refuse, null",
        "schema: {missing: null}          | schema.missing: unknown field; known fields are: new_columns, missing_columns",
        "schema: rescue                   | schema: must be a mapping",
    })
    void aBadSchemaPolicyFailsAtStartNamingTheField(String line, String message) {
        assertThat(problem(USERS + line + "\n")).startsWith(message);
    }

    @Test
    void filesAreChangesUnlessTheModeSaysSnapshotAndASnapshotRefusesTheOptionsOfChanges() {
        assertThat(parse(USERS).mode()).isEqualTo(FileMode.CHANGES);
        String snapshots = USERS.replace("delete_when: \"operation = 'DELETE'\"\n", "") + "mode: snapshot\n";
        assertThat(parse(snapshots).snapshots()).isTrue();
        assertThat(problem(USERS + "mode: snapshot\n")).isEqualTo("delete_when: in a snapshot (mode: snapshot) a key is"
                + " deleted by its absence from a later snapshot, and every row is a whole row; remove it");
        assertThat(problem(snapshots + "ignore_null_updates: true\n")).startsWith("ignore_null_updates: in a snapshot");
        assertThat(problem(snapshots + "apply_as_truncates: \"operation = 'T'\"\n")).startsWith("apply_as_truncates: in a snapshot");
        assertThat(problem(USERS + "mode: dump\n")).isEqualTo("mode: 'dump' is not one of changes, snapshot");
    }

    @Test
    void aSnapshotsTimeInItsFileNameNeedsSnapshotsAFormatInBracesAndATimestampSequence() {
        String snapshots = USERS.replace("delete_when: \"operation = 'DELETE'\"\n", "") + "mode: snapshot\n";
        String stamped = snapshots.replace("sequenceNum: bigint", "sequenceNum: timestamp");
        assertThat(parse(stamped + "snapshot_file_time: \"users_{yyyyMMddHHmmss}.csv\"\n").snapshotFileTime())
                .map(Object::toString).contains("users_{yyyyMMddHHmmss}.csv");
        assertThat(problem(stamped + "snapshot_file_time: users.csv\n")).startsWith("snapshot_file_time: 'users.csv' must be"
                + " a file name with the time's format in braces");
        assertThat(problem(stamped + "snapshot_file_time: \"users_{yyyyMMddbb}.csv\"\n"))
                .startsWith("snapshot_file_time: 'yyyyMMddbb' is not a date and time format");
        assertThat(problem(snapshots + "snapshot_file_time: \"users_{yyyyMMdd}.csv\"\n")).isEqualTo("snapshot_file_time:"
                + " sequence_by column 'sequenceNum' is bigint; a time read from a file's name is a timestamp or a date");
        assertThat(problem(USERS.replace("sequenceNum: bigint", "sequenceNum: timestamp")
                + "snapshot_file_time: \"users_{yyyyMMdd}.csv\"\n"))
                .isEqualTo("snapshot_file_time: a snapshot's time in its file's name goes with mode: snapshot only");
    }

    @Test
    void deletesAsRowsFlagThemInTheColumnHistoryColumnsNamesOrIsDeleted() {
        assertThat(parse(USERS).historyColumns().deleted()).isEmpty();
        assertThat(parse(USERS + "history_deletes: close\n").historyColumns().deleted()).isEmpty();
        assertThat(parse(USERS + "history_deletes: row\n").historyColumns().deleted()).contains("is_deleted");
        PipelineSpec named = parse(with("history_columns",
                "history_columns: {start: start_time, end: end_time, current: is_current, deleted: gone}")
                + "history_deletes: row\n");
        assertThat(named.historyColumns().deleted()).contains("gone");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "history_deletes: rows   | | history_deletes: 'rows' is not one of close, row",
        "history_deletes: [row]  | | history_deletes: must be one of close, row",
        "history_deletes: close  | deleted: gone | history_columns.deleted: names the delete flag of history_deletes: row, which this spec does not set",
        "history_deletes: row    | deleted: city | history_columns.deleted: 'city' is already the name of another column",
        "history_deletes: row    | deleted: IS_CURRENT | history_columns.deleted: 'IS_CURRENT' is already the name of another column",
    })
    void aBadDeletesAsRowsSettingFailsAtStartNamingTheField(String deletes, String deleted, String message) {
        String columns = "history_columns: {start: start_time, end: end_time, current: is_current"
                + (deleted == null ? "" : ", " + deleted) + "}";
        assertThat(problem(with("history_columns", columns) + deletes + "\n")).isEqualTo(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "landing", "keys"})
    void aMissingRequiredFieldIsNamed(String field) {
        assertThat(problems(without(field))).containsExactly(field + ": is required");
    }

    /**
     * Without usable {@code columns} no other field can be checked against columns; the loader says so
     * once instead of also reporting the (correct) keys and sequence_by as wrong.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "columns: [userId, name]", "columns: {}"})
    void unusableColumnsAreReportedAloneWithoutFollowOnProblems(String columnsLine) {
        String yaml = columnsLine.isEmpty() ? without("columns") : with("columns", columnsLine);

        List<String> problems = problems(yaml);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("columns: ");
    }

    @Test
    void aSpecWithNoFieldsNamesEveryRequiredField() {
        assertThat(problems("pattern: \"*.csv\"\n"))
                .containsExactlyInAnyOrder("name: is required", "landing: is required", "columns: is required",
                        "keys: is required");
    }

    @Test
    void emptyKeysAreRefused() {
        assertThat(problem(with("keys", "keys: []"))).startsWith("keys: ");
    }

    @Test
    void aSpecThatIsNotAMappingIsRefused() {
        assertThat(problems("- name\n- landing\n")).hasSize(1);
        assertThat(problems("")).hasSize(1);
    }

    // ---------------------------------------------------------------- column references

    @Test
    void anUnknownKeyNamesItsIndexAndListsTheColumns() {
        String p = problem(with("keys", "keys: [custmer_id]"));

        assertThat(p).startsWith("keys[0]: unknown column 'custmer_id'; columns are: ");
        assertThat(p).endsWith(USER_COLUMNS);
    }

    @Test
    void theIndexOfTheBadKeyIsItsPositionInTheList() {
        assertThat(problem(with("keys", "keys: [userId, custmer_id]"))).startsWith("keys[1]: unknown column 'custmer_id'");
        assertThat(problem(with("keys", "keys: [userId, userId]"))).startsWith("keys[1]: ");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"\"user id\"", "1st", "\"x-y\"", "\"semi;colon\"",
        "a234567890123456789012345678901234567890123456789012345678901234"})
    void aColumnNameThatIsNotAnIdentifierIsRefused(String column) {
        String bare = column.replace("\"", "");
        String p = problem(with("columns",
                "columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: bigint, "
                        + column + ": varchar}"));

        assertThat(p).startsWith("columns." + bare + ": ");
        assertThat(p).contains("'" + bare + "'", "not a valid identifier");
    }

    @Test
    void aColumnNameOf63CharactersIsAccepted() {
        String name63 = "a".repeat(63);
        PipelineSpec spec = parse(with("columns",
                "columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: bigint, "
                        + name63 + ": varchar}"));

        assertThat(spec.columns()).containsKey(name63);
    }

    @ParameterizedTest
    @CsvSource({
        "raw,     users-raw",
        "current, 'users current'",
        "history, 9users",
    })
    void aTableNameThatIsNotAnIdentifierIsRefused(String table, String name) {
        String line = "tables: {raw: users_raw, current: users, history: users_history}"
                .replaceFirst(table + ": [a-z_]+", table + ": \"" + name + "\"");
        assertThat(line).contains(name);

        String p = problem(with("tables", line));

        assertThat(p).startsWith("tables." + table + ": ");
        assertThat(p).contains("'" + name + "'");
    }

    @Test
    void aDerivedTableNameThatIsTooLongIsNamedAfterItsSource() {
        String raw = "r".repeat(60);
        String p = problem(with("tables", "tables: {raw: " + raw + ", current: users, history: users_history}"));

        assertThat(p).startsWith("tables.raw (its rejects table): ");
        assertThat(p).contains(raw + "_rejects");
    }

    @Test
    void aPipelineNameThatIsNotAnIdentifierIsRefused() {
        assertThat(problem(with("name", "name: \"my users\""))).startsWith("name: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"_file", "_FILE", "_line", "_ingested_at", "_change_type", "_commit_version"})
    void aReservedColumnNameIsRefused(String column) {
        String p = problem(with("columns",
                "columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: bigint, "
                        + column + ": varchar}"));

        assertThat(p).startsWith("columns." + column + ": ");
        assertThat(p).contains("reserved");
    }

    @Test
    void aColumnDeclaredTwiceDifferingOnlyInCaseIsRefused() {
        String p = problem(with("columns",
                "columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: bigint, NAME: bigint}"));

        assertThat(p).startsWith("columns.NAME: ");
        assertThat(p).contains("twice");
    }

    /** YAML itself does not forbid a repeated key; a loader that takes the last one silently changes the type of a column. */
    @Test
    void aColumnDeclaredTwiceWithTheSameSpellingIsRefused() {
        List<String> problems = problems(with("columns",
                "columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: bigint, name: bigint}"));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).containsIgnoringCase("name").containsIgnoringCase("duplicate");
    }

    @Test
    void anUnknownTypeIsNamedAndTheTypesAreListed() {
        String p = problem(with("columns",
                "columns: {userId: bigint, name: geography, city: varchar, operation: varchar, sequenceNum: bigint}"));

        assertThat(p).startsWith("columns.name: unknown type 'geography'");
        for (ColumnType type : ColumnType.values()) {
            assertThat(p).contains(type.specName());
        }
    }

    @Test
    void aTypeThatIsNotANameIsRefused() {
        assertThat(problem(with("columns",
                "columns: {userId: bigint, name: 5, city: varchar, operation: varchar, sequenceNum: bigint}")))
                .startsWith("columns.name: ");
    }

    // ---------------------------------------------------------------- sequence_by

    @Test
    void sequenceByAnUnknownColumnIsRefused() {
        String p = problem(with("sequence_by", "sequence_by: seq_num"));

        assertThat(p).startsWith("sequence_by: unknown column 'seq_num'");
        assertThat(p).endsWith(USER_COLUMNS);
    }

    @Test
    void sequenceByAKeyIsRefused() {
        assertThat(problem(with("sequence_by", "sequence_by: userId"))).startsWith("sequence_by: 'userId'").contains("key");
    }

    @ParameterizedTest
    @CsvSource({"varchar, varchar", "boolean, boolean", "string, varchar", "bool, boolean"})
    void sequenceByAVarcharOrBooleanColumnIsRefused(String declared, String reported) {
        String p = problem(with("columns",
                "columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: " + declared + "}"));

        assertThat(p).startsWith("sequence_by: 'sequenceNum'").contains(reported);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bigint", "integer", "double", "decimal", "date", "timestamp", "timestamptz"})
    void sequenceByANumericDateOrTimestampColumnIsAccepted(String type) {
        PipelineSpec spec = parse(with("columns",
                "columns: {userId: bigint, name: varchar, city: varchar, operation: varchar, sequenceNum: " + type + "}"));

        assertThat(spec.sequenceBy()).contains("sequenceNum");
    }

    // ---------------------------------------------------------------- delete_when

    @Test
    void deleteWhenOnAnUnknownColumnIsADeleteWhenProblem() {
        String p = problem(with("delete_when", "delete_when: \"op = 'D'\""));

        assertThat(p).startsWith("delete_when: ");
        assertThat(p).contains("'op'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "operation = 'D'; DROP TABLE x",
        "operation = 'D' OR 1=1",
        "operation = 'D' -- x",
        "lower(operation) = 'd'",
    })
    void hostileDeleteWhenTextIsADeleteWhenProblem(String condition) {
        String p = problem(with("delete_when", "delete_when: \"" + condition + "\""));

        assertThat(p).startsWith("delete_when: ");
        assertThat(p).doesNotStartWith("delete_when: delete_when:");
    }

    @Test
    void deleteWhenMatchesColumnsIgnoringCaseAndKeepsTheDeclaredSpelling() {
        PipelineSpec spec = parse(with("delete_when", "delete_when: \"OPERATION IN ('D', 'X')\""));

        assertThat(spec.deleteWhen().orElseThrow().columns()).containsExactly("operation");
    }

    // ---------------------------------------------------------------- except and tracked columns

    @Test
    void exceptingAKeyIsRefused() {
        String p = problem(with("except_columns", "except_columns: [operation, sequenceNum, userId]"));

        assertThat(p).startsWith("except_columns: 'userId'").contains("key");
    }

    @Test
    void anUnknownExceptColumnIsNamedWithItsIndex() {
        assertThat(problem(with("except_columns", "except_columns: [operation, seq]")))
                .startsWith("except_columns[1]: unknown column 'seq'");
    }

    @Test
    void trackingAnExceptedColumnIsRefused() {
        String p = problem(with("track_history_columns", "track_history_columns: [city, operation]"));

        assertThat(p).startsWith("track_history_columns: 'operation'");
        assertThat(p).contains("name, city");
    }

    @Test
    void trackingAKeyIsRefused() {
        assertThat(problem(with("track_history_columns", "track_history_columns: [userId]")))
                .startsWith("track_history_columns: 'userId'");
    }

    @Test
    void anEmptyTrackHistoryListIsRefused() {
        assertThat(problem(with("track_history_columns", "track_history_columns: []")))
                .startsWith("track_history_columns: ");
    }

    @Test
    void aSingleNameIsAcceptedWhereAListIsExpected() {
        PipelineSpec spec = parse(with("track_history_columns", "track_history_columns: name"));

        assertThat(spec.trackHistoryColumns()).containsExactly("name");
    }

    // ---------------------------------------------------------------- ignore_null_updates

    @Test
    void nullsOverwriteUnlessIgnoreNullUpdatesIsSet() {
        assertThat(parse(USERS).ignoreNullUpdates()).isEmpty();
        assertThat(parse(with("ignore_null_updates", "ignore_null_updates: false")).ignoreNullUpdates()).isEmpty();
    }

    @Test
    void ignoreNullUpdatesTrueFillsEveryValueColumn() {
        assertThat(parse(with("ignore_null_updates", "ignore_null_updates: true")).ignoreNullUpdates())
                .containsExactly("name", "city");
    }

    @Test
    void ignoreNullUpdatesTrueLeavesOutAKeptSequenceColumn() {
        String yaml = with("except_columns", "except_columns: [operation]")
                .replace("track_history_columns: [city]\n", "") + "ignore_null_updates: true\n";

        assertThat(parse(yaml).valueColumns()).contains("sequenceNum");
        assertThat(parse(yaml).ignoreNullUpdates()).containsExactly("name", "city");
    }

    @Test
    void ignoreNullUpdatesListsTheColumnsToFill() {
        assertThat(parse(with("ignore_null_updates", "ignore_null_updates: [city]")).ignoreNullUpdates())
                .containsExactly("city");
        assertThat(parse(with("ignore_null_updates", "ignore_null_updates: name")).ignoreNullUpdates())
                .containsExactly("name");
    }

    @Test
    void ignoreNullUpdatesOfAnUnknownColumnIsNamedWithItsIndex() {
        assertThat(problem(with("ignore_null_updates", "ignore_null_updates: [city, town]")))
                .startsWith("ignore_null_updates[1]: unknown column 'town'");
    }

    @Test
    void ignoreNullUpdatesOfAKeyAnExceptedOrTheSequenceColumnIsRefused() {
        assertThat(problem(with("ignore_null_updates", "ignore_null_updates: [userId]")))
                .startsWith("ignore_null_updates: 'userId' is a key or an excepted column")
                .contains("name, city");
        assertThat(problem(with("ignore_null_updates", "ignore_null_updates: [operation]")))
                .startsWith("ignore_null_updates: 'operation' is a key or an excepted column");
        String keptSequence = with("except_columns", "except_columns: [operation]") + "ignore_null_updates: [sequenceNum]\n";
        assertThat(problem(keptSequence)).startsWith("ignore_null_updates: 'sequenceNum' is the sequence column");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ignore_null_updates: []", "ignore_null_updates: 1", "ignore_null_updates: {city: true}",
            "ignore_null_updates: yes please"})
    void ignoreNullUpdatesOfAnotherShapeIsRefused(String line) {
        assertThat(problem(with("ignore_null_updates", line))).startsWith("ignore_null_updates");
    }

    // ---------------------------------------------------------------- table and history column collisions

    @Test
    void aCurrentTableNamedLikeTheRawRejectsTableIsRefused() {
        String p = problem(with("tables", "tables: {raw: users_raw, current: users_raw_rejects, history: users_history}"));

        assertThat(p).startsWith("tables.raw (its rejects table): 'users_raw_rejects'");
        assertThat(p).contains("tables.current");
    }

    @Test
    void tablesDifferingOnlyInCaseCollide() {
        String p = problem(with("tables", "tables: {raw: users_raw, current: users, history: USERS_RAW}"));

        assertThat(p).startsWith("tables.history: 'USERS_RAW'");
        assertThat(p).contains("tables.raw");
    }

    @Test
    void aHistoryTableNamedLikeTheChangeFeedIsRefused() {
        String p = problem(with("tables", "tables: {raw: users_raw, current: users, history: users_changes}"));

        assertThat(p).startsWith("tables.current (its change feed table): 'users_changes'");
        assertThat(p).contains("tables.history");
    }

    @ParameterizedTest
    @CsvSource({"start, city", "end, CITY", "current, userId"})
    void aHistoryColumnNamedLikeADataColumnIsRefused(String which, String column) {
        String line = "history_columns: {start: start_time, end: end_time, current: is_current}"
                .replaceFirst(which + ": [a-z_]+", which + ": " + column);
        assertThat(line).contains(column);

        String p = problem(with("history_columns", line));

        assertThat(p).startsWith("history_columns." + which + ": '" + column + "'");
    }

    @Test
    void twoHistoryColumnsWithTheSameNameAreRefused() {
        String p = problem(with("history_columns", "history_columns: {start: valid, end: VALID}"));

        assertThat(p).startsWith("history_columns.end: 'VALID'");
    }

    @Test
    void anExceptedColumnStillCollidesWithAHistoryColumn() {
        assertThat(problem(with("history_columns", "history_columns: {start: operation}")))
                .startsWith("history_columns.start: 'operation'");
    }

    // ---------------------------------------------------------------- csv

    @Test
    void aTwoCharacterDelimiterIsRefused() {
        String p = problem(with("csv", "csv: {delimiter: \";;\"}"));

        assertThat(p).startsWith("csv.delimiter: ").contains("';;'");
    }

    @Test
    void aLineBreakDelimiterIsRefused() {
        assertThat(problem(with("csv", "csv: {delimiter: \"\\n\"}"))).startsWith("csv.delimiter: ");
    }

    @Test
    void aQuoteEqualToTheDelimiterIsRefused() {
        assertThat(problem(with("csv", "csv: {delimiter: \";\", quote: \";\"}"))).startsWith("csv.quote: ");
    }

    @Test
    void anEmptyQuoteIsRefused() {
        assertThat(problem(with("csv", "csv: {quote: \"\"}"))).startsWith("csv.quote: ");
    }

    @Test
    void aHeaderThatIsNotABooleanIsRefused() {
        assertThat(problem(with("csv", "csv: {header: \"yes\"}"))).startsWith("csv.header: ");
    }

    @Test
    void aCustomCsvFormatIsRead() {
        PipelineSpec spec = parse(with("csv", "csv: {header: false, delimiter: \"\\t\", quote: \"'\", null: \"NULL\"}"));

        assertThat(spec.csv()).isEqualTo(new CsvFormat(false, '\t', '\'', "NULL"));
    }

    /**
     * {@code null: NULL} is how most users will write a null text, but YAML reads an unquoted NULL as
     * no value at all; silently falling back to the empty string makes every literal "NULL" a string.
     */
    @Test
    void anUnquotedNullTextIsNotSilentlyReplacedByTheDefault() {
        List<String> problems = problems(with("csv", "csv: {null: NULL}"));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("csv.null: ");
    }

    // ---------------------------------------------------------------- schedule

    @Test
    void scheduleIsRead() {
        PipelineSpec spec = parse(with("schedule", "schedule: {every: 5m, settle: 2s}"));

        assertThat(spec.schedule()).isEqualTo(new Schedule(Duration.ofMinutes(5), Duration.ofSeconds(2)));
    }

    @Test
    void aScheduleEveryThatIsNotADurationIsRefused() {
        String p = problem(with("schedule", "schedule: {every: fast}"));

        assertThat(p).startsWith("schedule.every: ").contains("'fast'");
    }

    @Test
    void aZeroScheduleEveryIsRefused() {
        assertThat(problem(with("schedule", "schedule: {every: 0s}"))).startsWith("schedule.every: ");
    }

    @Test
    void aZeroSettleIsAccepted() {
        assertThat(parse(with("schedule", "schedule: {settle: 0ms}")).schedule().settle()).isZero();
    }

    @Test
    void aNegativeSettleIsRefused() {
        assertThat(problem(with("schedule", "schedule: {settle: PT-1S}"))).startsWith("schedule.settle: ");
    }

    @Test
    void aScheduleEveryTooLargeForADurationIsAProblemNotACrash() {
        assertThat(problem(with("schedule", "schedule: {every: 999999999999999d}"))).startsWith("schedule.every: ");
    }

    // ---------------------------------------------------------------- landing

    @ParameterizedTest
    @ValueSource(strings = {"gs://bucket/x", "file:///tmp/x", "https://example.com/x"})
    void aLandingAddressOfAnotherStoreIsRefused(String landing) {
        String p = problem(with("landing", "landing: \"" + landing + "\""));

        assertThat(p).startsWith("landing: '" + landing + "'");
        assertThat(p).contains("neither a local folder nor an s3:// address");
    }

    @Test
    void aBucketLandingTakesItsStoreFromTheS3Block() {
        PipelineSpec spec = parse(with("landing", """
                landing: s3://change-files/users/incoming/
                s3: {endpoint: "http://127.0.0.1:9000", region: eu-west-3, path_style: false, list_every: 2s}"""));

        Landing.Bucket bucket = (Landing.Bucket) spec.landingZone();
        assertThat(bucket.uri()).isEqualTo(new S3Uri("change-files", "users/incoming"));
        assertThat(bucket.uri().key("users_1.csv")).isEqualTo("users/incoming/users_1.csv");
        assertThat(bucket.settings().endpoint()).contains(java.net.URI.create("http://127.0.0.1:9000"));
        assertThat(bucket.settings().region()).contains("eu-west-3");
        assertThat(bucket.settings().pathStyle()).isFalse();
        assertThat(bucket.settings().listEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(spec::landing).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("s3://change-files/users/incoming");
    }

    @Test
    void aBucketLandingWithoutAnS3BlockIsAwsS3WithTheAwsSettings() {
        Landing.Bucket bucket = (Landing.Bucket) parse(with("landing", "landing: s3://change-files")).landingZone();

        assertThat(bucket.uri().prefix()).isEmpty();
        assertThat(bucket.uri().key("users_1.csv")).isEqualTo("users_1.csv");
        assertThat(bucket.settings()).isEqualTo(S3Settings.AWS);
        assertThat(bucket.settings().listEvery()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anEndpointMeansPathStyleUnlessTheSpecSaysOtherwise() {
        Landing.Bucket bucket = (Landing.Bucket) parse(with("landing",
                "landing: s3://change-files/x\ns3: {endpoint: \"https://minio.internal:9000\"}")).landingZone();

        assertThat(bucket.settings().pathStyle()).isTrue();
        assertThat(bucket.settings().region()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"access_key_id", "secret_access_key", "aws_secret_access_key", "session_token", "password",
            "credentials", "Secret_Key"})
    void credentialsInTheSpecAreRefusedPointingAtTheAwsProviderChainWithoutRepeatingThem(String field) {
        List<String> problems = problems(with("landing",
                "landing: s3://change-files/x\ns3: {region: us-east-1, " + field + ": wJalrXUtnFEMI-K7MDENG}"));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("s3." + field + ": credentials are not read from the spec; ")
                .contains("AWS_ACCESS_KEY_ID", "AWS_PROFILE")
                .doesNotContain("wJalrXUtnFEMI");
    }

    /** The second host has an underscore: URI then reads the authority as one name, with no user info to find. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9000", "minio_host:9000"})
    void anEndpointCarryingAUserAndPasswordIsRefusedWithoutRepeatingThem(String host) {
        String p = problem(with("landing",
                "landing: s3://change-files/x\ns3: {endpoint: \"http://admin:wJalrXUtnFEMI@" + host + "\"}"));

        assertThat(p).startsWith("s3.endpoint: must not carry a user or password").doesNotContain("wJalrXUtnFEMI")
                .doesNotContain("admin");
    }

    @Test
    void everyProblemOfTheS3BlockIsReportedAtOnceWithItsField() {
        List<String> problems = problems(with("landing", """
                landing: s3://change-files/x
                s3: {endpoint: "ftp://127.0.0.1", region: "us east", path_style: yes please, list_every: 0s, bucket: b}"""));

        assertThat(problems).hasSize(5);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("s3.endpoint: 'ftp://127.0.0.1' must be an http://"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("s3.region: 'us east'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("s3.path_style: must be true or false"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("s3.list_every: must be longer than zero"));
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .isEqualTo("s3.bucket: unknown field; known fields are: endpoint, region, path_style, list_every"));
    }

    @Test
    void anEndpointWithAPathIsRefusedSayingWhereTheBucketGoes() {
        String p = problem(with("landing", "landing: s3://change-files/x\ns3: {endpoint: \"http://127.0.0.1:9000/bucket\"}"));

        assertThat(p).startsWith("s3.endpoint: ").contains("without a path").contains("landing: s3://bucket/prefix");
    }

    @Test
    void anS3BlockNextToALocalFolderIsRefused() {
        String p = problem(with("landing", "landing: landing\ns3: {region: us-east-1}"));

        assertThat(p).startsWith("s3: only applies to a landing zone in a bucket");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "s3://Change-Files/x | 'Change-Files' is not a bucket name",
            "s3://cf/x | 'cf' is not a bucket name",
            "s3:// | '' is not a bucket name",
            "s3://change-files//x | empty path segment"})
    void aBadBucketAddressIsRefusedSayingWhy(String landing, String why) {
        String p = problem(with("landing", "landing: \"" + landing + "\""));

        assertThat(p).startsWith("landing: '" + landing + "'").contains(why);
    }

    @Test
    void anInvalidPatternIsRefused() {
        assertThat(problem(with("pattern", "pattern: \"users_[.csv\""))).startsWith("pattern: ");
    }

    // ---------------------------------------------------------------- all at once; unreadable input

    @Test
    void everyProblemOfASpecIsReportedAtOnce() {
        String yaml = with("csv", "csv: {delimiter: \";;\"}")
                .replace("keys: [userId]", "keys: [custmer_id]")
                + "schedule: {every: fast}\n";

        SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> parse(yaml));

        assertThat(e.problems()).hasSize(3);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("keys[0]: "));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("csv.delimiter: "));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("schedule.every: "));
    }

    @Test
    void invalidYamlReportsItsLine() {
        String yaml = "name: users\nlanding: landing\ncolumns: {userId: bigint: x}\nkeys: [userId]\n";

        String p = problem(yaml);

        assertThat(p).startsWith("not valid YAML at line 3");
    }

    @Test
    void aSpecFileThatDoesNotExistIsASpecExceptionNamingTheFile() {
        Path missing = dir.resolve("nope/missing-spec.yaml");

        SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class, () -> SpecLoader.load(missing));

        assertThat(e.getMessage()).contains(missing.toString());
        assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR);
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0)).startsWith("cannot read the file");
    }
}
