package dev.changepipe.duckdb;

import dev.changepipe.csv.RescuedBackfill.FilledRow;
import dev.changepipe.csv.RescuedBackfill.StoredRow;
import dev.changepipe.engine.ColumnRetyping;
import dev.changepipe.engine.ColumnRetyping.StoredText;
import dev.changepipe.engine.StoredShape;
import dev.changepipe.engine.TableColumns;
import dev.changepipe.engine.TableColumns.TypeChange;
import dev.changepipe.error.ChangepipeException;
import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import dev.changepipe.spec.TableNames;
import dev.changepipe.sql.SqlDialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What start changes in tables an earlier spec made (docs/semantics.md rules 1.9–1.12), inside the transaction of the
 * engine's start: columns that join the tables, rescued values moved into them, types given and widened. A crash or a
 * value that does not fit leaves every table as it was.
 */
final class TableMigration {
    private static final Logger LOG = LoggerFactory.getLogger(TableMigration.class);
    /** Rows a batch of the staging inserts below sends at once. */
    private static final int BATCH = 10_000;
    /** A retyped column's texts while it is typed; dropped before the transaction ends. */
    private static final String TEXT_COLUMN = "_changepipe_text";

    private final TaskConnection connection;
    private final SqlDialect dialect;
    private final TableNames tables;

    TableMigration(TaskConnection connection, SqlDialect dialect, TableNames tables) {
        this.connection = connection;
        this.dialect = dialect;
        this.tables = tables;
    }

    /** The raw table's reads that core asks for, each one query. */
    StoredShape.RawReads reads() {
        String raw = dialect.quote(tables.raw());
        return new StoredShape.RawReads() {
            @Override
            public Set<String> rescuedKeys() {
                Set<String> keys = new LinkedHashSet<>();
                for (List<Object> row : rows("SELECT DISTINCT unnest(json_keys(_rescued)) FROM " + raw
                        + " WHERE _rescued IS NOT NULL")) {
                    keys.add((String) row.get(0));
                }
                return keys;
            }

            @Override
            public List<StoredRow> rescuedRows() {
                List<StoredRow> stored = new ArrayList<>();
                for (List<Object> row : rows("SELECT _file_id, _file, _line, _rescued FROM " + raw
                        + " WHERE _rescued IS NOT NULL ORDER BY _file_id, _line")) {
                    stored.add(new StoredRow(Jdbc.number(row.get(0)), (String) row.get(1), Jdbc.number(row.get(2)),
                            (String) row.get(3)));
                }
                return stored;
            }

            @Override
            public List<StoredText> texts(String column) {
                List<StoredText> texts = new ArrayList<>();
                for (List<Object> row : rows("SELECT _file, _line, " + dialect.quote(column) + " FROM " + raw + " WHERE "
                        + dialect.quote(column) + " IS NOT NULL ORDER BY _file_id, _line")) {
                    texts.add(new StoredText((String) row.get(0), Jdbc.number(row.get(1)), (String) row.get(2)));
                }
                return texts;
            }
        };
    }

    /** Adds the columns joining the tables to each table that is to have them, with the spec's types (rule 1.12). */
    void join(StoredShape stored) throws SQLException {
        PipelineSpec spec = stored.spec();
        Set<String> history = TableColumns.history(spec, dialect).keySet();
        for (String column : stored.joining()) {
            List<String> to = new ArrayList<>(List.of(tables.raw()));
            if (spec.targetColumns().contains(column)) {
                to.addAll(List.of(tables.current(), tables.changes()));
            }
            if (history.contains(column)) {
                to.add(tables.history());
            }
            for (String table : to) {
                connection.execute("ALTER TABLE " + dialect.quote(table) + " ADD COLUMN IF NOT EXISTS " + dialect.quote(column)
                        + " " + dialect.typeName(spec.typeOf(column)), List.of());
            }
            LOG.info("column {} joins the tables of pipeline {}, as the spec now has it", column, spec.name());
        }
    }

    /** Moves the rescued values of columns the tables now have out of the raw rows' {@code _rescued} (rule 1.12). */
    void fill(StoredShape stored) throws SQLException {
        if (stored.filled().isEmpty()) {
            return;
        }
        PipelineSpec spec = stored.spec();
        List<String> columns = stored.filledColumns();
        StringBuilder definition = new StringBuilder("CREATE OR REPLACE TEMP TABLE cp_filled (_file_id BIGINT, _line BIGINT,"
                + " _rescued VARCHAR");
        StringBuilder assignments = new StringBuilder("_rescued = f._rescued");
        for (String column : columns) {
            String quoted = dialect.quote(column);
            definition.append(", ").append(quoted).append(' ').append(dialect.typeName(spec.typeOf(column)));
            assignments.append(", ").append(quoted).append(" = coalesce(f.").append(quoted).append(", r.").append(quoted)
                    .append(')');
        }
        connection.execute(definition.append(')').toString(), List.of());
        List<List<Object>> rows = new ArrayList<>();
        for (FilledRow row : stored.filled()) {
            List<Object> values = new ArrayList<>(List.of(row.fileId(), row.line()));
            values.add(row.rescued());
            values.addAll(row.values());
            rows.add(values);
        }
        insert("cp_filled", 3 + columns.size(), rows);
        connection.execute("UPDATE " + dialect.quote(tables.raw()) + " AS r SET " + assignments
                + " FROM cp_filled f WHERE r._file_id = f._file_id AND r._line = f._line", List.of());
        connection.execute("DROP TABLE cp_filled", List.of());
        LOG.info("moved the rescued values of column '{}' of {} raw rows of pipeline {} into the column",
                String.join("', '", columns), stored.filled().size(), spec.name());
    }

    /**
     * Changes the types the spec changed: a widened one in place (rule 1.9), a type given to a varchar column files
     * added by each stored text's reading (rule 1.11), the raw table's from {@code rawValues}, each other table's from its
     * own texts; the current table's change with its change feed's.
     *
     * @return whether a type was given, so that the tables are to be derived again
     */
    boolean change(List<TypeChange> changes, PipelineSpec spec, Map<String, Map<String, Object>> rawValues)
            throws SQLException {
        boolean parsed = false;
        for (TypeChange change : changes) {
            List<String> names = change.table().equals(tables.current())
                    ? List.of(change.table(), tables.changes()) : List.of(change.table());
            for (String table : names) {
                if (change.kind() == TypeChange.Kind.WIDEN) {
                    LOG.info("widening column {} of table {} to {}, as the spec now types it", change.column(), table,
                            change.typeName());
                    connection.execute("ALTER TABLE " + dialect.quote(table) + " ALTER COLUMN " + dialect.quote(change.column())
                            + " SET DATA TYPE " + change.typeName(), List.of());
                } else {
                    ColumnType type = spec.typeOf(change.column());
                    Map<String, Object> values = table.equals(tables.raw()) ? rawValues.get(change.column())
                            : ColumnRetyping.typedValues(table, change.column(), type, texts(table, change.column()));
                    LOG.info("typing column {} of table {} as {}, as the spec now types it", change.column(), table,
                            change.typeName());
                    parse(table, change.column(), change.typeName(), values);
                    parsed = true;
                }
            }
        }
        return parsed;
    }

    private List<StoredText> texts(String table, String column) throws SQLException {
        List<StoredText> texts = new ArrayList<>();
        for (List<Object> row : rows("SELECT DISTINCT " + dialect.quote(column) + " FROM " + dialect.quote(table))) {
            texts.add(new StoredText(null, 0, (String) row.get(0)));
        }
        return texts;
    }

    /** The column's texts set aside, the column typed, then each text's value set by a join with the values. */
    private void parse(String table, String column, String typeName, Map<String, Object> values) throws SQLException {
        String t = dialect.quote(table);
        String c = dialect.quote(column);
        connection.execute("CREATE OR REPLACE TEMP TABLE cp_typed (text VARCHAR, value " + typeName + ")", List.of());
        List<List<Object>> rows = new ArrayList<>();
        values.forEach((text, value) -> rows.add(List.of(text, value)));
        insert("cp_typed", 2, rows);
        connection.execute("ALTER TABLE " + t + " ADD COLUMN " + TEXT_COLUMN + " VARCHAR", List.of());
        connection.execute("UPDATE " + t + " SET " + TEXT_COLUMN + " = " + c, List.of());
        connection.execute("ALTER TABLE " + t + " ALTER COLUMN " + c + " SET DATA TYPE " + typeName + " USING CAST(NULL AS "
                + typeName + ")", List.of());
        connection.execute("UPDATE " + t + " AS r SET " + c + " = m.value FROM cp_typed m WHERE r." + TEXT_COLUMN
                + " = m.text", List.of());
        connection.execute("ALTER TABLE " + t + " DROP COLUMN " + TEXT_COLUMN, List.of());
        connection.execute("DROP TABLE cp_typed", List.of());
    }

    private void insert(String table, int width, List<List<Object>> rows) throws SQLException {
        String sql = "INSERT INTO " + table + " VALUES (" + String.join(", ", Collections.nCopies(width, "?")) + ")";
        try (PreparedStatement statement = connection.jdbc().prepareStatement(sql)) {
            int pending = 0;
            for (List<Object> row : rows) {
                Jdbc.bind(statement, row);
                statement.addBatch();
                if (++pending == BATCH) {
                    statement.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                statement.executeBatch();
            }
        }
    }

    private List<List<Object>> rows(String sql) {
        try {
            return connection.select(sql, List.of()).rows();
        } catch (SQLException e) {
            throw ChangepipeException.external("reading the tables of pipeline " + tables.current() + " failed: "
                    + ChangepipeException.firstLine(e.getMessage()), e);
        }
    }
}
