package dev.changepipe.spec;

import dev.changepipe.spec.predicate.Predicate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated pipeline. Every name in it has passed {@link Identifier#problem(String)}, every column
 * named anywhere is one of {@link #columns()}, and paths are absolute.
 *
 * @param landingZone where files land: a local folder or a bucket prefix
 * @param columns the columns of a landed file, in declaration order
 * @param sequenceBy the column that orders changes; empty means arrival order
 * @param deleteWhen marks a change as a delete; empty means every change is an upsert
 * @param truncateWhen marks a change as a truncate, a delete of every key ({@code apply_as_truncates}, rule 2.4);
 *     empty means there are none
 * @param exceptColumns columns kept in the raw table only
 * @param trackHistoryColumns the columns whose change opens a new history version
 * @param ignoreNullUpdates the value columns in which an upsert's NULL keeps the key's last non-NULL
 *     value ({@code ignore_null_updates}); empty means a NULL overwrites, as by default
 * @param checks the quality checks every row is held to, in spec order (docs/semantics.md §1.7)
 * @param schema what a header may differ from {@code columns} by (docs/semantics.md §1.8)
 * @param addedColumns the columns files brought under {@code schema.new_columns: add} (rule 1.10), in the order they
 *     came, each a varchar column at the end of {@code columns}; none in a spec as loaded, the tables say which
 */
public record PipelineSpec(
        String name,
        Landing landingZone,
        String pattern,
        EngineSpec engine,
        Map<String, ColumnType> columns,
        List<String> keys,
        Optional<String> sequenceBy,
        Optional<Predicate> deleteWhen,
        Optional<Predicate> truncateWhen,
        List<String> exceptColumns,
        List<String> trackHistoryColumns,
        List<String> ignoreNullUpdates,
        TableNames tables,
        HistoryColumns historyColumns,
        CsvFormat csv,
        Schedule schedule,
        List<QualityCheck> checks,
        SchemaPolicy schema,
        List<String> addedColumns) {

    public PipelineSpec {
        checks = List.copyOf(checks);
        schema = schema == null ? SchemaPolicy.DEFAULT : schema;
        addedColumns = addedColumns == null ? List.of() : List.copyOf(addedColumns);
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        keys = List.copyOf(keys);
        exceptColumns = List.copyOf(exceptColumns);
        trackHistoryColumns = List.copyOf(trackHistoryColumns);
        ignoreNullUpdates = List.copyOf(ignoreNullUpdates);
    }

    /**
     * The landing folder of a pipeline whose files land in a local folder (tests, the benchmark, the demo).
     *
     * @throws IllegalStateException when the files land in a bucket; see {@link #landingZone()}
     */
    public Path landing() {
        if (landingZone instanceof Landing.Folder folder) {
            return folder.path();
        }
        throw new IllegalStateException("pipeline " + name + " lands its files in " + landingZone + ", not in a local folder");
    }

    /** Columns of the current and history tables besides the keys, in declaration order. */
    public List<String> valueColumns() {
        Set<String> skip = Set.copyOf(keysAndExcepted());
        List<String> result = new ArrayList<>();
        for (String column : columns.keySet()) {
            if (!skip.contains(column)) {
                result.add(column);
            }
        }
        return result;
    }

    /** Keys then value columns: the columns of the current table. */
    public List<String> targetColumns() {
        List<String> result = new ArrayList<>(keys);
        result.addAll(valueColumns());
        return result;
    }

    /**
     * The columns every file's header must name whatever {@link #schema()} says: the keys, the sequence column and
     * every column {@code delete_when}, {@code apply_as_truncates} or a check reads, since a NULL in any of them
     * would change what a row does rather than what it holds.
     */
    public Set<String> requiredColumns() {
        Set<String> required = new java.util.LinkedHashSet<>(keys);
        sequenceBy.ifPresent(required::add);
        deleteWhen.ifPresent(p -> required.addAll(p.columns()));
        truncateWhen.ifPresent(p -> required.addAll(p.columns()));
        checks.forEach(check -> required.addAll(check.must().columns()));
        return java.util.Collections.unmodifiableSet(required);
    }

    /**
     * This spec with {@code names} added as varchar value columns (rule 1.10), after those added before. They are
     * tracked when the spec tracks every value column, and filled when {@code ignore_null_updates} fills every one, as
     * a column the spec declared would be; a name already a column is left as it is.
     */
    public PipelineSpec withAddedColumns(List<String> names) {
        Set<String> known = new java.util.HashSet<>();
        columns.keySet().forEach(c -> known.add(Identifier.fold(c)));
        List<String> fresh = names.stream().filter(n -> known.add(Identifier.fold(n))).toList();
        if (fresh.isEmpty()) {
            return this;
        }
        Map<String, ColumnType> wider = new LinkedHashMap<>(columns);
        fresh.forEach(n -> wider.put(n, ColumnType.VARCHAR));
        List<String> tracked = new ArrayList<>(trackHistoryColumns);
        if (trackHistoryColumns.equals(valueColumns())) {
            tracked.addAll(fresh);
        }
        List<String> filled = new ArrayList<>(ignoreNullUpdates);
        List<String> fillable = valueColumns().stream().filter(c -> sequenceBy.map(s -> !s.equals(c)).orElse(true)).toList();
        if (!ignoreNullUpdates.isEmpty() && ignoreNullUpdates.equals(fillable)) {
            filled.addAll(fresh);
        }
        List<String> added = new ArrayList<>(addedColumns);
        added.addAll(fresh);
        return new PipelineSpec(name, landingZone, pattern, engine, wider, keys, sequenceBy, deleteWhen, truncateWhen,
                exceptColumns, tracked, filled, tables, historyColumns, csv, schedule, checks, schema, added);
    }

    /** The columns the spec declares: {@link #columns()} without those files added (rule 1.10). */
    public List<String> declaredColumns() {
        List<String> declared = new ArrayList<>(columns.keySet());
        declared.removeAll(addedColumns);
        return declared;
    }

    public ColumnType typeOf(String column) {
        ColumnType type = columns.get(column);
        if (type == null) {
            throw new IllegalArgumentException("no column " + column + " in pipeline " + name);
        }
        return type;
    }

    private List<String> keysAndExcepted() {
        List<String> result = new ArrayList<>(keys);
        result.addAll(exceptColumns);
        return result;
    }
}
