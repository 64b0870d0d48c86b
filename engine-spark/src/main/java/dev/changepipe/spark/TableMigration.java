package dev.changepipe.spark;

import dev.changepipe.csv.RescuedBackfill.FilledRow;
import dev.changepipe.csv.RescuedBackfill.StoredRow;
import dev.changepipe.engine.ColumnRetyping;
import dev.changepipe.engine.ColumnRetyping.StoredText;
import dev.changepipe.engine.StoredShape;
import dev.changepipe.engine.TableColumns;
import dev.changepipe.engine.TableColumns.TypeChange;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.Identifier;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.sql.SparkDialect;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * What start changes in Delta tables an earlier spec made (docs/semantics.md rules 1.9–1.12): a widened type by Delta's
 * type widening; the raw table rewritten once with the columns that join it, the rescued values moved into them and the
 * types given, in one commit; a type given to the current or history table's column by rewriting that table, the change
 * feed so far copied first ({@link FeedArchive}). Each table is its own commit, so what a crash between two leaves is
 * found again at the next start: the raw table records the columns, and a table still of the old type is typed then. A
 * table property marks the current and history tables to be derived again for every key, set before the first rewrite
 * and removed once done.
 */
final class TableMigration {
    private static final Logger LOG = LoggerFactory.getLogger(TableMigration.class);
    /** Set on the current and history tables while they are to be derived again from every raw row. */
    static final String DERIVE_AGAIN = "changepipe.deriveAgain";

    private final PipelineTables tables;
    private final FeedArchive feed;

    TableMigration(PipelineTables tables, FeedArchive feed) {
        this.tables = tables;
        this.feed = feed;
    }

    /**
     * What start is to change: read and checked before the first write, each table as it will be, so that tables a spec
     * cannot take are left as they were.
     *
     * @param changes by the fragment naming each table, the types to change in it
     * @param derivesAgain whether raw values change, so that the current and history tables are to be derived again
     */
    record Plan(StoredShape stored, Map<String, String> rawColumns, Map<String, List<TypeChange>> changes,
            boolean derivesAgain) {}

    Plan plan(PipelineSpec spec) {
        SparkLocations at = tables.at();
        SparkDialect dialect = tables.dialect();
        Map<String, String> rawColumns = SparkSchema.typeNames(tables.schemaOf(at.raw()));
        StoredShape stored = StoredShape.of(spec, rawColumns, reads(), dialect);
        PipelineSpec shaped = stored.spec();
        Map<String, String> rawAfter = new LinkedHashMap<>(rawColumns);
        stored.retyped().keySet().forEach(c -> rawAfter.replaceAll((name, type) -> Identifier.fold(name)
                .equals(Identifier.fold(c)) ? dialect.typeName(shaped.typeOf(c)) : type));
        stored.joining().forEach(c -> rawAfter.put(c, dialect.typeName(shaped.typeOf(c))));
        Map<String, List<TypeChange>> changes = Map.of(
                "raw", check(shaped, shaped.tables().raw(), rawAfter, TableColumns.raw(shaped, dialect)),
                "current", check(shaped, shaped.tables().current(), withAdded(shaped, at.current(),
                        TableColumns.current(shaped, dialect)), TableColumns.current(shaped, dialect)),
                "history", check(shaped, shaped.tables().history(), withAdded(shaped, at.history(),
                        TableColumns.history(shaped, dialect)), TableColumns.history(shaped, dialect)));
        boolean parses = changes.values().stream().flatMap(List::stream).anyMatch(c -> c.kind() == TypeChange.Kind.PARSE);
        return new Plan(stored, rawColumns, changes, stored.rederives() || parses);
    }

    private List<TypeChange> check(PipelineSpec shaped, String table, Map<String, String> have, Map<String, String> want) {
        return TableColumns.check(table, tables.at().root(), have, want, shaped.addedColumns(), tables.dialect());
    }

    /** A table's columns as they will be once it has every added column it is to have. */
    private Map<String, String> withAdded(PipelineSpec shaped, String location, Map<String, String> wanted) {
        Map<String, String> have = SparkSchema.typeNames(tables.schemaOf(location));
        List<String> folded = have.keySet().stream().map(Identifier::fold).toList();
        shaped.addedColumns().stream().filter(c -> wanted.containsKey(c) && !folded.contains(Identifier.fold(c)))
                .forEach(c -> have.put(c, tables.dialect().typeName(shaped.typeOf(c))));
        return have;
    }

    /**
     * With the tables' spec the plan's: the current and history tables gain the columns the raw table has (a crash
     * between the tables' commits leaves raw, which is changed first, with columns others lack), then the types change.
     */
    void completeTables(Plan plan) {
        SparkLocations at = tables.at();
        addMissing(tables.spec().addedColumns());
        widen(plan.changes());
        for (String fragment : List.of("current", "history")) {
            for (TypeChange change : plan.changes().get(fragment)) {
                if (change.kind() == TypeChange.Kind.PARSE) {
                    parse(fragment, fragment.equals("current") ? at.current() : at.history(), change.column(),
                            tables.spec().typeOf(change.column()));
                }
            }
        }
    }

    /**
     * Adds each of {@code columns} that a table that is to have it lacks, with the spec's type: raw first, the record of
     * what joined the tables, then current and history.
     */
    void addMissing(List<String> columns) {
        SparkLocations at = tables.at();
        PipelineSpec spec = tables.spec();
        Map<String, Set<String>> wanted = Map.of("raw", TableColumns.raw(spec, tables.dialect()).keySet(),
                "current", TableColumns.current(spec, tables.dialect()).keySet(),
                "history", TableColumns.history(spec, tables.dialect()).keySet());
        for (Map.Entry<String, String> table : List.of(Map.entry("raw", at.raw()), Map.entry("current", at.current()),
                Map.entry("history", at.history()))) {
            String fragment = table.getKey();
            List<String> have = Arrays.stream(tables.schemaOf(table.getValue()).fieldNames()).map(Identifier::fold).toList();
            List<String> lacking = columns.stream()
                    .filter(c -> wanted.get(fragment).contains(c) && !have.contains(Identifier.fold(c))).toList();
            if (!lacking.isEmpty()) {
                tables.write("ALTER TABLE " + tables.text(fragment) + " ADD COLUMNS (" + String.join(", ", lacking.stream()
                        .map(c -> tables.dialect().quote(c) + " " + tables.dialect().typeName(spec.typeOf(c))).toList()) + ")");
            }
        }
    }

    /**
     * Widens the columns whose type the spec widened (rule 1.9) with Delta's type widening, which changes the table's
     * schema without rewriting its files; by the fragment that names each table. Each table is its own commit: a crash
     * between two leaves some widened, and the next start widens the rest. The current table's change feed so far is
     * copied first ({@link FeedArchive}), since its change data feed cannot be read across the change.
     */
    private void widen(Map<String, List<TypeChange>> byTable) {
        byTable.forEach((fragment, changes) -> {
            List<TypeChange> widenings = changes.stream()
                    .filter(c -> c.kind() == TypeChange.Kind.WIDEN).toList();
            if (widenings.isEmpty()) {
                return;
            }
            tables.write("ALTER TABLE " + tables.text(fragment) + " SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
            if (fragment.equals("current")) {
                feed.copyBeforeWidening();
            }
            for (TypeChange w : widenings) {
                LOG.info("widening column {} of table {} to {}, as the spec now types it", w.column(), w.table(), w.typeName());
                tables.write("ALTER TABLE " + tables.text(fragment) + " CHANGE COLUMN " + tables.dialect().quote(w.column())
                        + " TYPE " + w.typeName());
            }
        });
    }

    /** The raw table's reads that core asks for, each one Spark query. */
    private StoredShape.RawReads reads() {
        String raw = tables.text("raw");
        return new StoredShape.RawReads() {
            @Override
            public Set<String> rescuedKeys() {
                Set<String> keys = new LinkedHashSet<>();
                tables.rows("SELECT DISTINCT explode(json_object_keys(_rescued)) FROM " + raw + " WHERE _rescued IS NOT NULL")
                        .forEach(row -> keys.add(row.getString(0)));
                return keys;
            }

            @Override
            public List<StoredRow> rescuedRows() {
                return tables.rows("SELECT _file_id, _file, _line, _rescued FROM " + raw
                        + " WHERE _rescued IS NOT NULL ORDER BY _file_id, _line").stream()
                        .map(row -> new StoredRow(row.getLong(0), row.getString(1), row.getLong(2), row.getString(3)))
                        .toList();
            }

            @Override
            public List<StoredText> texts(String column) {
                String c = tables.dialect().quote(column);
                return tables.rows("SELECT _file, _line, " + c + " FROM " + raw + " WHERE " + c + " IS NOT NULL"
                        + " ORDER BY _file_id, _line").stream()
                        .map(row -> new StoredText(row.getString(0), row.getLong(1), row.getString(2))).toList();
            }
        };
    }

    /** Marks the current and history tables to be derived again, before anything they are derived from changes. */
    private void markDeriveAgain() {
        for (String fragment : List.of("current", "history")) {
            tables.write("ALTER TABLE " + tables.text(fragment) + " SET TBLPROPERTIES ('" + DERIVE_AGAIN + "' = 'true')");
        }
    }

    /** Whether the table at {@code location} is marked, read from its log's newest metadata (no Spark job). */
    boolean marked(String location) {
        return DeltaLog.forTable(tables.session(), location).update(false, Option.empty(), Option.empty()).metadata()
                .configuration().get(DERIVE_AGAIN).contains("true");
    }

    void unmark(String fragment) {
        tables.write("ALTER TABLE " + tables.text(fragment) + " UNSET TBLPROPERTIES IF EXISTS ('" + DERIVE_AGAIN + "')");
    }

    /**
     * Marks the current and history tables when they are to be derived again, then rewrites the raw table once with
     * what the plan changes in it: the columns joining it, the rescued values moved, the types given (each text's value
     * as core read it). Nothing to change, nothing written.
     */
    void rewriteRaw(Plan plan) {
        if (plan.derivesAgain()) {
            markDeriveAgain();
        }
        StoredShape stored = plan.stored();
        Map<String, String> rawColumns = plan.rawColumns();
        if (stored.joining().isEmpty() && stored.filled().isEmpty() && stored.retyped().isEmpty()) {
            return;
        }
        PipelineSpec spec = stored.spec();
        SparkDialect dialect = tables.dialect();
        boolean filling = !stored.filled().isEmpty();
        if (filling) {
            register("cp_filled", filledSchema(stored), filledRows(stored));
        }
        List<String> select = new ArrayList<>();
        int typed = 0;
        for (String column : rawColumns.keySet()) {
            String c = dialect.quote(column);
            String folded = Identifier.fold(column);
            String retypedColumn = stored.retyped().keySet().stream().filter(n -> Identifier.fold(n).equals(folded))
                    .findFirst().orElse(null);
            if (retypedColumn != null) {
                String view = "cp_typed_" + typed++;
                registerValues(view, spec.typeOf(retypedColumn), stored.retyped().get(retypedColumn));
                select.add(lookup(view, "r." + c) + " AS " + c);
            } else if (filling && column.equals(TableColumns.RESCUED)) {
                select.add("CASE WHEN f._file_id IS NULL THEN r._rescued ELSE f._rescued END AS _rescued");
            } else if (filling && stored.filledColumns().stream().anyMatch(n -> Identifier.fold(n).equals(folded))) {
                select.add("coalesce(f." + c + ", r." + c + ") AS " + c);
            } else {
                select.add("r." + c);
            }
        }
        for (String column : stored.joining()) {
            String c = dialect.quote(column);
            select.add(filling && stored.filledColumns().contains(column) ? "f." + c + " AS " + c
                    : "CAST(NULL AS " + dialect.typeName(spec.typeOf(column)) + ") AS " + c);
        }
        String query = "SELECT " + String.join(", ", select) + " FROM " + tables.text("raw") + " r"
                + (filling ? " LEFT JOIN cp_filled f ON r._file_id = f._file_id AND r._line = f._line" : "");
        tables.overwrite(tables.at().raw(), query);
        LOG.info("rewrote table {} of pipeline {}: columns joining {}, rescued values moved of {} rows, typed {}",
                spec.tables().raw(), spec.name(), stored.joining(), stored.filled().size(), stored.retyped().keySet());
    }

    /**
     * Gives a varchar column of the current or history table the spec's type (rule 1.11): the table rewritten with each
     * stored text's value as core reads it; for the current table, the change feed's texts too, for its copy.
     */
    private void parse(String fragment, String location, String column, ColumnType type) {
        String c = tables.dialect().quote(column);
        String texts = "SELECT " + c + " AS t FROM " + tables.text(fragment);
        if (fragment.equals("current")) {
            texts += " UNION SELECT " + c + " FROM " + feed.relation(0);
        }
        List<StoredText> stored = tables.rows("SELECT DISTINCT t FROM (" + texts + ")").stream()
                .map(row -> new StoredText(null, 0, row.getString(0))).toList();
        String table = fragment.equals("current") ? tables.spec().tables().current() : tables.spec().tables().history();
        registerValues("cp_typed", type, ColumnRetyping.typedValues(table, column, type, stored));
        String value = lookup("cp_typed", c);
        if (fragment.equals("current")) {
            feed.copyBeforeSchemaChange(Map.of(column, value));
        }
        List<String> select = Arrays.stream(tables.schemaOf(location).fieldNames())
                .map(name -> Identifier.fold(name).equals(Identifier.fold(column)) ? value + " AS " + c
                        : tables.dialect().quote(name))
                .toList();
        tables.overwrite(location, "SELECT " + String.join(", ", select) + " FROM " + tables.text(fragment));
        LOG.info("typed column {} of table {} as {}, as the spec now types it", column, table, type.specName());
    }

    /** The value a text maps to, looked up in a view of (text, value) rows. */
    private static String lookup(String view, String text) {
        return "(SELECT max(m.value) FROM " + view + " m WHERE m.text = " + text + ")";
    }

    private void registerValues(String view, ColumnType type, Map<String, Object> values) {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("text", DataTypes.StringType, false),
                DataTypes.createStructField("value", SparkSchema.dataType(type), true)));
        List<Row> rows = new ArrayList<>();
        values.forEach((text, value) -> rows.add(RowFactory.create(text, sparkValue(value))));
        register(view, schema, rows);
    }

    private void register(String view, StructType schema, List<Row> rows) {
        tables.whileActive(() -> {
            tables.session().createDataFrame(rows, schema).createOrReplaceTempView(view);
            return null;
        });
    }

    private static StructType filledSchema(StoredShape stored) {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("_file_id", DataTypes.LongType, false),
                DataTypes.createStructField("_line", DataTypes.LongType, false),
                DataTypes.createStructField(TableColumns.RESCUED, DataTypes.StringType, true)));
        for (String column : stored.filledColumns()) {
            fields.add(DataTypes.createStructField(column, SparkSchema.dataType(stored.spec().typeOf(column)), true));
        }
        return DataTypes.createStructType(fields);
    }

    private static List<Row> filledRows(StoredShape stored) {
        List<Row> rows = new ArrayList<>(stored.filled().size());
        for (FilledRow row : stored.filled()) {
            List<Object> values = new ArrayList<>(List.of(row.fileId(), row.line()));
            values.add(row.rescued());
            row.values().forEach(v -> values.add(sparkValue(v)));
            rows.add(RowFactory.create(values.toArray()));
        }
        return rows;
    }

    /** The session reads and writes instants (java8API); core reads timestamptz values with an offset. */
    private static Object sparkValue(Object value) {
        return value instanceof OffsetDateTime t ? t.toInstant() : value;
    }
}
