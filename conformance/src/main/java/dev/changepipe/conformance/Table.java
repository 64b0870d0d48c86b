package dev.changepipe.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A table of canonical values ({@link Canonical}), compared by value: same columns in the same order
 * and the same rows in the same order. Callers sort both sides the same way before comparing.
 *
 * <p>Fixtures write tables as text, one row a line, cells separated by {@code |}, the first line
 * naming the columns, {@code null} for NULL:
 *
 * <pre>
 *   id | name | city
 *   1  | Ann  | Oslo
 *   2  | Bob  | null
 * </pre>
 *
 * {@link #toString()} prints the same form, so a failing test's actual table can be pasted into a fixture.
 */
public record Table(List<String> columns, List<List<String>> rows) {
    public Table {
        columns = List.copyOf(columns);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells for columns " + columns);
            }
            // Cells may be null (NULL), which List.copyOf refuses.
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    /** Parses the fixture text form shown above. */
    public static Table parse(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least a header line");
        }
        List<String> columns = cells(lines.get(0));
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> row = new ArrayList<>();
            for (String cell : cells(line)) {
                row.add(cell.equals("null") ? null : cell);
            }
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    /** Rows ordered by {@code leading} columns, then by every column left to right, so equal tables print equally. */
    public Table sortedBy(List<String> leading) {
        List<Integer> order = new ArrayList<>();
        for (String column : leading) {
            order.add(indexOf(column));
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!order.contains(i)) {
                order.add(i);
            }
        }
        Comparator<List<String>> byCells = (a, b) -> {
            for (int i : order) {
                int c = compareCells(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        List<List<String>> sorted = new ArrayList<>(rows);
        sorted.sort(byCells);
        return new Table(columns, sorted);
    }

    /** Rows ordered by every column left to right. */
    public Table sorted() {
        return sortedBy(List.of());
    }

    /** These columns only, in this order. */
    public Table project(List<String> wanted) {
        List<Integer> indexes = wanted.stream().map(this::indexOf).toList();
        List<List<String>> projected = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            indexes.forEach(i -> cells.add(row.get(i)));
            projected.add(cells);
        }
        return new Table(wanted, projected);
    }

    /** Rows whose {@code column} holds {@code value} (canonical form; null matches NULL). */
    public Table where(String column, String value) {
        int i = indexOf(column);
        return new Table(columns, rows.stream().filter(r -> Objects.equals(r.get(i), value)).toList());
    }

    /** The values of one column, top to bottom. */
    public List<String> column(String name) {
        int i = indexOf(name);
        List<String> values = new ArrayList<>();
        rows.forEach(r -> values.add(r.get(i)));
        return values;
    }

    /**
     * Replaces every cell that starts with {@code @} by {@code resolve} of the rest: fixtures write
     * {@code @users_1.csv} for values known only at run time, such as that file's ingestion time.
     */
    public Table resolve(UnaryOperator<String> resolve) {
        List<List<String>> resolved = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String cell : row) {
                cells.add(cell != null && cell.startsWith("@") ? resolve.apply(cell.substring(1)) : cell);
            }
            resolved.add(cells);
        }
        return new Table(columns, resolved);
    }

    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    private int indexOf(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return i;
    }

    /** {@link Canonical#compare}, then as text, so that only equal cells compare equal. */
    static int compareCells(String a, String b) {
        int c = Canonical.compare(a, b);
        return c != 0 || a == null || b == null ? c : a.compareTo(b);
    }

    @Override
    public String toString() {
        List<List<String>> all = new ArrayList<>();
        all.add(columns);
        rows.forEach(all::add);
        int[] widths = new int[columns.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], String.valueOf(row.get(i)).length());
            }
        }
        StringBuilder out = new StringBuilder("\n");
        for (List<String> row : all) {
            out.append("  ");
            for (int i = 0; i < row.size(); i++) {
                String cell = String.valueOf(row.get(i));
                out.append(i == 0 ? "" : " | ");
                out.append(i == row.size() - 1 ? cell : cell + " ".repeat(widths[i] - cell.length()));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
