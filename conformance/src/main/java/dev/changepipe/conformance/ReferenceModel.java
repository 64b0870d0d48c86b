package dev.changepipe.conformance;

import dev.changepipe.spec.ColumnType;
import dev.changepipe.spec.PipelineSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The semantics of docs/semantics.md (rules 2, 3 and 5), written as plainly as possible: group by
 * key, sort, loop. It is slow and holds everything in memory on purpose — it is the yardstick the
 * engines are measured against, so it must be obviously right rather than fast.
 *
 * <p>A change is one accepted row of a landed file: its typed values by declared column name, the
 * position of its file in ingestion order, and its line in that file.
 */
public final class ReferenceModel {

    /**
     * One accepted row.
     *
     * @param row typed values (as {@link ColumnType#parse} gives them) by declared column name; NULL is null
     * @param fileOrder the file's place in ingestion order (the ledger's file id, or any increasing number)
     * @param line the row's line in its file
     */
    public record Change(Map<String, Object> row, long fileOrder, long line) {
        public Change {
            // Values may be null, which Map.copyOf refuses.
            row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
        }
    }

    private final PipelineSpec spec;
    private final LongFunction<?> ingestedAt;

    /** A model whose files' ingestion times, used without {@code sequence_by}, are their file orders. */
    public ReferenceModel(PipelineSpec spec) {
        this(spec, fileOrder -> fileOrder);
    }

    /**
     * @param ingestedAt the ingestion time of the file with a given file order; without
     *     {@code sequence_by} it orders the changes and gives the history's start and end values
     */
    public ReferenceModel(PipelineSpec spec, LongFunction<?> ingestedAt) {
        this.spec = spec;
        this.ingestedAt = ingestedAt;
    }

    /** The expected current (SCD1) table: keys and value columns, one row per live key (rule 3). */
    public List<Map<String, Object>> current(Collection<Change> changes) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Step> ordered : changesByKey(changes).values()) {
            Step latest = ordered.get(ordered.size() - 1);
            if (!latest.delete()) {
                rows.add(targetValues(latest.row()));
            }
        }
        return rows;
    }

    /**
     * The expected history (SCD2) table: keys, value columns, start, end, is_current and, with
     * {@code history_deletes: row}, the delete flag (rule 5).
     */
    public List<Map<String, Object>> history(Collection<Change> changes) {
        boolean deleteRows = spec.historyColumns().deleted().isPresent();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Step> ordered : changesByKey(changes).values()) {
            List<Version> versions = new ArrayList<>();
            Version open = null;
            // With history_deletes: row, the delete row that stands until the next upsert (rule 5.7).
            Version deleted = null;
            for (Step change : ordered) {
                Object sequence = change.sequence();
                if (change.delete()) {
                    // A delete closes the open version; with none open it changes nothing.
                    if (open != null) {
                        open.end = sequence;
                        if (deleteRows) {
                            deleted = new Version(open.values, sequence, true);
                            versions.add(deleted);
                        }
                        open = null;
                    }
                } else if (open == null) {
                    if (deleted != null) {
                        deleted.end = sequence;
                        deleted = null;
                    }
                    open = new Version(targetValues(change.row()), sequence, false);
                    versions.add(open);
                } else if (trackedValuesDiffer(open.values, change.row())) {
                    open.end = sequence;
                    open = new Version(targetValues(change.row()), sequence, false);
                    versions.add(open);
                } else {
                    // Equal tracked values: the other value columns change in place, the start stays.
                    open.values = targetValues(change.row());
                }
            }
            for (Version version : versions) {
                Map<String, Object> row = new LinkedHashMap<>(version.values);
                row.put(spec.historyColumns().start(), version.start);
                // An open version ends at history_columns.open_end, NULL unless the spec gives one (rule 5.6).
                row.put(spec.historyColumns().end(), version.end == null ? spec.historyColumns().openEnd().orElse(null)
                        : version.end);
                // A delete row is never current, open or not (rules 5.3, 5.7).
                row.put(spec.historyColumns().current(), version.end == null && !version.deleted);
                spec.historyColumns().deleted().ifPresent(column -> row.put(column, version.deleted));
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * The expected current table as of sequence time {@code asOf} (rule 3.5): the current table of the changes whose
     * sequence value is at or before it.
     */
    public Table currentTableAsOf(Collection<Change> changes, Object asOf) {
        List<Change> upTo = changes.stream().filter(c -> compare(sequence(c), asOf) <= 0).toList();
        return currentTable(upTo);
    }

    /** {@link #current} as a canonical table sorted by the keys. */
    public Table currentTable(Collection<Change> changes) {
        return toTable(current(changes), currentColumns(spec), currentTypes(spec)).sortedBy(spec.keys());
    }

    /** {@link #history} as a canonical table sorted by the keys and start. */
    public Table historyTable(Collection<Change> changes) {
        return toTable(history(changes), historyColumns(spec), historyTypes(spec)).sortedBy(historyOrder(spec));
    }

    /** The columns of the current table: keys, then value columns. */
    public static List<String> currentColumns(PipelineSpec spec) {
        return spec.targetColumns();
    }

    /** The columns of the history table: keys, value columns, start, end, is_current, and the delete flag if any. */
    public static List<String> historyColumns(PipelineSpec spec) {
        List<String> columns = new ArrayList<>(spec.targetColumns());
        columns.add(spec.historyColumns().start());
        columns.add(spec.historyColumns().end());
        columns.add(spec.historyColumns().current());
        spec.historyColumns().deleted().ifPresent(columns::add);
        return columns;
    }

    /** How history tables are sorted for comparison and display: keys, then start. */
    public static List<String> historyOrder(PipelineSpec spec) {
        List<String> order = new ArrayList<>(spec.keys());
        order.add(spec.historyColumns().start());
        return order;
    }

    static List<ColumnType> currentTypes(PipelineSpec spec) {
        return spec.targetColumns().stream().map(spec::typeOf).toList();
    }

    static List<ColumnType> historyTypes(PipelineSpec spec) {
        List<ColumnType> types = new ArrayList<>(currentTypes(spec));
        ColumnType sequence = sequenceType(spec);
        types.add(sequence);
        types.add(sequence);
        types.add(ColumnType.BOOLEAN);
        spec.historyColumns().deleted().ifPresent(column -> types.add(ColumnType.BOOLEAN));
        return types;
    }

    /** The type of the history's start and end: the sequence column's, or timestamptz (ingestion time). */
    public static ColumnType sequenceType(PipelineSpec spec) {
        return spec.sequenceBy().map(spec::typeOf).orElse(ColumnType.TIMESTAMPTZ);
    }

    static Table toTable(List<Map<String, Object>> rows, List<String> columns, List<ColumnType> types) {
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<String> canonical = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                canonical.add(Canonical.of(row.get(columns.get(i)), types.get(i)));
            }
            cells.add(canonical);
        }
        return new Table(columns, cells);
    }

    private static final class Version {
        Map<String, Object> values;
        final Object start;
        final boolean deleted;
        Object end;

        Version(Map<String, Object> values, Object start, boolean deleted) {
            this.values = values;
            this.start = start;
            this.deleted = deleted;
        }
    }

    /**
     * Each key's changes in sequence order, keeping of several changes with one sequence value only
     * the last to arrive (rule 2.2): sort by (sequence, file order, line), then drop every change
     * that is followed by one with the same sequence value.
     */
    private Map<List<Object>, List<Step>> changesByKey(Collection<Change> changes) {
        if (spec.snapshots()) {
            return snapshotSteps(changes);
        }
        Map<List<Object>, List<Change>> byKey = new LinkedHashMap<>();
        List<Change> truncates = new ArrayList<>();
        Optional<Object> openEnd = spec.historyColumns().openEnd();
        for (Change change : changes) {
            // A change at or after history_columns.open_end is a reject (rule 5.6): it changes nothing.
            if (openEnd.isEmpty() || compare(sequence(change), openEnd.get()) < 0) {
                if (isTruncate(change)) {
                    truncates.add(change);
                } else {
                    byKey.computeIfAbsent(key(change), k -> new ArrayList<>()).add(change);
                }
            }
        }
        // Rule 2.4: a truncate is a delete of every key, at its sequence value and in its place of arrival.
        Set<Change> truncateCopies = Collections.newSetFromMap(new IdentityHashMap<>());
        byKey.forEach((key, keyChanges) -> {
            for (Change truncate : truncates) {
                Map<String, Object> row = new LinkedHashMap<>(truncate.row());
                for (int i = 0; i < spec.keys().size(); i++) {
                    row.put(spec.keys().get(i), key.get(i));
                }
                Change copy = new Change(row, truncate.fileOrder(), truncate.line());
                truncateCopies.add(copy);
                keyChanges.add(copy);
            }
        });
        Comparator<Change> order = Comparator.<Change, Object>comparing(this::sequence, ReferenceModel::compare)
                .thenComparingLong(Change::fileOrder)
                .thenComparingLong(Change::line);
        Map<List<Object>, List<Step>> result = new LinkedHashMap<>();
        byKey.forEach((key, keyChanges) -> {
            List<Change> sorted = new ArrayList<>(keyChanges);
            sorted.sort(order);
            List<Change> kept = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                boolean overtaken = i + 1 < sorted.size()
                        && compare(sequence(sorted.get(i)), sequence(sorted.get(i + 1))) == 0;
                if (!overtaken) {
                    kept.add(sorted.get(i));
                }
            }
            result.put(key, fillNulls(kept, truncateCopies));
        });
        return result;
    }

    /**
     * Rules 7.2 and 7.4, written out: the rows are every loaded snapshot's; of the snapshots with one time the last to
     * arrive counts; in time order, a key's row in a snapshot is an upsert there, and a key the snapshot before had and
     * this one lacks is deleted here with its last values.
     */
    private Map<List<Object>, List<Step>> snapshotSteps(Collection<Change> rows) {
        java.util.TreeMap<Object, Long> effective = new java.util.TreeMap<>(ReferenceModel::compare);
        for (Change row : rows) {
            effective.merge(sequence(row), row.fileOrder(), Math::max);
        }
        Map<List<Object>, Map<Object, Change>> present = new LinkedHashMap<>();
        for (Change row : rows) {
            Object time = sequence(row);
            if (effective.get(time) == row.fileOrder()) {
                // Of a key's two rows in one dump, the later line.
                present.computeIfAbsent(key(row), k -> new java.util.TreeMap<>(ReferenceModel::compare))
                        .merge(time, row, (a, b) -> a.line() > b.line() ? a : b);
            }
        }
        Map<List<Object>, List<Step>> result = new LinkedHashMap<>();
        present.forEach((key, byTime) -> {
            List<Step> steps = new ArrayList<>();
            Change last = null;
            for (Object time : effective.keySet()) {
                Change row = byTime.get(time);
                if (row != null) {
                    steps.add(new Step(row.row(), time, false));
                } else if (last != null && byTime.containsKey(effective.lowerKey(time))) {
                    steps.add(new Step(last.row(), time, true));
                }
                last = row != null ? row : last;
            }
            result.put(key, steps);
        });
        return result;
    }

    /**
     * Rule 2.3 ({@code ignore_null_updates}), on one key's changes already in order with tied losers
     * gone: an upsert's NULL in a listed column becomes the last non-NULL value of that column among
     * the upserts since the last delete. A delete forgets every value and keeps its own row.
     */
    private List<Step> fillNulls(List<Change> ordered, Set<Change> truncates) {
        List<Step> steps = new ArrayList<>();
        Map<String, Object> lastValues = new LinkedHashMap<>();
        for (Change change : ordered) {
            // Whether a change deletes is decided on the row as it landed, before any fill; a truncate is a delete.
            boolean delete = truncates.contains(change) || isDelete(change);
            Map<String, Object> row = new LinkedHashMap<>(change.row());
            if (delete) {
                lastValues.clear();
            } else {
                for (String column : spec.ignoreNullUpdates()) {
                    if (row.get(column) == null) {
                        row.put(column, lastValues.get(column));
                    } else {
                        lastValues.put(column, row.get(column));
                    }
                }
            }
            steps.add(new Step(row, sequence(change), delete));
        }
        return steps;
    }

    /** A change as the tables see it: its values (filled by rule 2.3), sequence value, and whether it deletes. */
    private record Step(Map<String, Object> row, Object sequence, boolean delete) {}

    private List<Object> key(Change change) {
        List<Object> key = new ArrayList<>();
        for (String column : spec.keys()) {
            key.add(change.row().get(column));
        }
        return key;
    }

    private Object sequence(Change change) {
        return spec.sequenceBy().<Object>map(column -> change.row().get(column))
                .orElseGet(() -> ingestedAt.apply(change.fileOrder()));
    }

    /** Only TRUE makes a truncate (rule 2.4), as for a delete. */
    private boolean isTruncate(Change change) {
        return spec.truncateWhen().map(p -> Boolean.TRUE.equals(p.evaluate(change.row()::get))).orElse(false);
    }

    /** Only TRUE makes a delete; FALSE and NULL (unknown) are upserts (rule 2.1). */
    private boolean isDelete(Change change) {
        return spec.deleteWhen().map(p -> Boolean.TRUE.equals(p.evaluate(change.row()::get))).orElse(false);
    }

    private Map<String, Object> targetValues(Map<String, Object> row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String column : spec.targetColumns()) {
            values.put(column, row.get(column));
        }
        return values;
    }

    private boolean trackedValuesDiffer(Map<String, Object> open, Map<String, Object> row) {
        for (String column : spec.trackHistoryColumns()) {
            if (!nullSafeEqual(open.get(column), row.get(column))) {
                return true;
            }
        }
        return false;
    }

    /** NULL equals NULL, NULL differs from any value (SQL's IS NOT DISTINCT FROM). */
    static boolean nullSafeEqual(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }
}
