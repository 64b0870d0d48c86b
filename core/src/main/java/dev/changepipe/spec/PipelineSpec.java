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
 * @param mode what a file is: changes, or a snapshot of the whole table (docs/semantics.md §7)
 * @param snapshotFileTime where a snapshot's name carries its time, which then fills {@code sequenceBy} (rule 7.1)
 * @param addedColumns the columns that joined the tables after they were made, in the tables' order, at the end of
 *     {@code columns}: those files brought under {@code schema.new_columns: add} (rule 1.10), varchar unless the spec
 *     types them later (rule 1.11), and those declared later (rule 1.12); none in a spec as loaded, the tables say which
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
        FileMode mode,
        Optional<SnapshotFileTime> snapshotFileTime,
        List<String> addedColumns) {

    public PipelineSpec {
        checks = List.copyOf(checks);
        schema = schema == null ? SchemaPolicy.DEFAULT : schema;
        mode = mode == null ? FileMode.CHANGES : mode;
        snapshotFileTime = snapshotFileTime == null ? Optional.empty() : snapshotFileTime;
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
     * This spec with {@code names} as columns files added (rule 1.10), after those added before, in the tables' order.
     * A name the spec does not have is a varchar value column, tracked when the spec tracks every value column and
     * filled when {@code ignore_null_updates} fills every one, as a column the spec declared would be. A name the spec
     * declares is a column that joined the tables after they were made, which the spec now types (rule 1.11) or
     * declares (rule 1.12): it keeps its type and what the spec says of it, and takes its place among the added
     * columns, at the tables' end. A name already added is left as it is.
     */
    public PipelineSpec withAddedColumns(List<String> names) {
        Map<String, String> byFold = new LinkedHashMap<>();
        columns.keySet().forEach(c -> byFold.put(Identifier.fold(c), c));
        Set<String> done = new java.util.HashSet<>();
        addedColumns.forEach(c -> done.add(Identifier.fold(c)));
        List<String> joining = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (String name : names) {
            if (done.add(Identifier.fold(name))) {
                String declared = byFold.get(Identifier.fold(name));
                joining.add(declared != null ? declared : name);
                if (declared == null) {
                    fresh.add(name);
                }
            }
        }
        if (joining.isEmpty()) {
            return this;
        }
        Map<String, ColumnType> wider = new LinkedHashMap<>(columns);
        joining.forEach(wider::remove);
        joining.forEach(c -> wider.put(c, columns.getOrDefault(c, ColumnType.VARCHAR)));
        List<String> tracked = new ArrayList<>(trackHistoryColumns);
        if (Set.copyOf(trackHistoryColumns).equals(Set.copyOf(valueColumns()))) {
            tracked.addAll(fresh);
        }
        List<String> filled = new ArrayList<>(ignoreNullUpdates);
        List<String> fillable = valueColumns().stream().filter(c -> sequenceBy.map(s -> !s.equals(c)).orElse(true)).toList();
        if (!ignoreNullUpdates.isEmpty() && Set.copyOf(ignoreNullUpdates).equals(Set.copyOf(fillable))) {
            filled.addAll(fresh);
        }
        List<String> added = new ArrayList<>(addedColumns);
        added.addAll(joining);
        return new PipelineSpec(name, landingZone, pattern, engine, wider, keys, sequenceBy, deleteWhen, truncateWhen,
                exceptColumns, tracked, filled, tables, historyColumns, csv, schedule, checks, schema, mode, snapshotFileTime, added);
    }

    /**
     * Why a column named so cannot join this spec's tables (rule 1.10), or empty when it can: not an identifier, a name
     * of changepipe's own columns, or one of the history's.
     */
    public Optional<String> cannotAdd(String column) {
        Optional<String> bad = Identifier.problem(column);
        if (bad.isPresent()) {
            return bad;
        }
        String folded = Identifier.fold(column);
        if (Identifier.RESERVED.contains(folded)) {
            return Optional.of("the name is reserved for changepipe's own columns");
        }
        if (historyColumns.names().stream().anyMatch(own -> Identifier.fold(own).equals(folded))) {
            return Optional.of("the history table names a column of its own so (history_columns)");
        }
        return Optional.empty();
    }

    /** Whether each file is the whole table as of its snapshot time (docs/semantics.md §7). */
    public boolean snapshots() {
        return mode == FileMode.SNAPSHOT;
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
